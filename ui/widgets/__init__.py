"""Reusable widgets of the dock, one per file."""
