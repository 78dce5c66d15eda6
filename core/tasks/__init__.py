"""Fine-tuned TerraMind task models (TerraTorch encoder-decoders) in plain PyTorch.

:func:`build_task_model` builds a segmentation model from a TerraTorch ``model_args`` block with TerraTorch's
state_dict keys; the pieces live in :mod:`.temporal`, :mod:`.necks`, :mod:`.decoders` and :mod:`.model`.
"""

from .model import TaskModel, build_task_model

__all__ = ["TaskModel", "build_task_model"]
