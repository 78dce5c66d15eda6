"""Helpers shared by the tests (fixture loading, seeded checkpoints, data paths)."""
