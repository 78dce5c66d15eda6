"""Fine-tuned TerraMind task models (TerraTorch encoder-decoders) in plain PyTorch.

:func:`build_task_model` builds a segmentation model from a TerraTorch ``model_args`` block with TerraTorch's
state_dict keys; the pieces live in :mod:`.temporal`, :mod:`.necks`, :mod:`.decoders` and :mod:`.model`.
Names are loaded lazily so that the catalogue (:mod:`.catalog`) can be read without importing torch.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["TaskModel", "build_task_model"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(".model", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
