"""TerraMind 1.0 in plain PyTorch: backbone, generation, tokenizers, weights (see docs/model.md).

Weight-compatible with the official checkpoints: module attribute names and state_dict keys are those of
TerraTorch's implementation. Public entry points are the registries in :mod:`.registry`.
"""
