"""Headless TerraMind core: model, weights and the scene pipeline. Never imports qgis or Qt.

Public names are loaded lazily so that ``import terramind_qgis.core`` stays cheap and does not
import torch until a model is actually needed.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import InputError, JobCancelled, OutputError, TerraMindError, WeightsError
from .jobs import Area, InputRaster, JobResult, JobSpec, Task

_LAZY = {
    "BACKBONE_REGISTRY": ".terramind.registry",
    "FULL_MODEL_REGISTRY": ".terramind.registry",
    "run_job": ".pipeline",
    "build_task_model": ".tasks",
}

__all__ = [
    "Area",
    "InputRaster",
    "JobResult",
    "JobSpec",
    "Task",
    "InputError",
    "JobCancelled",
    "OutputError",
    "TerraMindError",
    "WeightsError",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
