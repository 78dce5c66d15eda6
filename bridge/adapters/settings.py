"""Every QgsSettings key of the plugin, under one prefix, each with an explicit type (architecture.md §4).

Usage::

    from .settings import MODEL_SIZE
    size = MODEL_SIZE.value()        # "tiny" until the user changes it
    MODEL_SIZE.set_value("base")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from qgis.core import QgsSettings

from ...core.jobs import DEVICES, GENERATED_MODALITIES, LIMITS, MODEL_SIZES, PRECISIONS, Task

PREFIX = "terramind_qgis/"

T = TypeVar("T", str, int, float, bool)


@dataclass(frozen=True)
class SettingKey(Generic[T]):
    """One typed setting.

    Attributes:
        name: key below ``PREFIX`` (e.g. ``"model/size"``).
        type: ``str``, ``int``, ``float`` or ``bool``; stored values are converted to it.
        default: value returned while the key is unset or holds something unusable.
        choices: allowed values; any other stored value reads as ``default``.
    """

    name: str
    type: type
    default: T
    choices: tuple[T, ...] | None = None

    @property
    def key(self) -> str:
        """Full QgsSettings key."""
        return PREFIX + self.name

    def value(self, settings: QgsSettings | None = None) -> T:
        """Read the value (``default`` when unset, of the wrong type or not among ``choices``)."""
        s = settings or QgsSettings()
        if not s.contains(self.key):
            return self.default
        raw = s.value(self.key, self.default)
        try:
            value = _convert(raw, self.type)
        except (TypeError, ValueError):
            return self.default
        if self.choices is not None and value not in self.choices:
            return self.default
        return value

    def set_value(self, value: T, settings: QgsSettings | None = None) -> None:
        """Store ``value``.

        Raises:
            ValueError: ``value`` is not of this key's type or not among its choices.
        """
        converted = _convert(value, self.type)
        if self.choices is not None and converted not in self.choices:
            raise ValueError(f"Setting {self.key!r}: {value!r} is not one of {list(self.choices)}.")
        (settings or QgsSettings()).setValue(self.key, converted)

    def remove(self, settings: QgsSettings | None = None) -> None:
        """Forget the stored value so that ``value()`` returns the default again."""
        (settings or QgsSettings()).remove(self.key)


def _convert(raw: Any, kind: type) -> Any:
    """Convert a stored value (ini files give strings) to ``kind``."""
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no", ""):
            return False
        raise ValueError(f"not a boolean: {raw!r}")
    if kind is int and isinstance(raw, float) and not raw.is_integer():
        raise ValueError(f"not an integer: {raw!r}")
    if kind in (int, float) and isinstance(raw, bool):
        raise TypeError(f"boolean where a number is expected: {raw!r}")
    if kind is int:
        return int(float(raw)) if isinstance(raw, str) else int(raw)
    return kind(raw)


# Model and run defaults (mirror JobSpec fields; integer defaults from core.jobs.LIMITS).
MODEL_SIZE = SettingKey("model/size", str, "tiny", MODEL_SIZES)
DEVICE = SettingKey("run/device", str, "auto")  # free text: "cuda:1" is valid too
PRECISION = SettingKey("run/precision", str, "auto", PRECISIONS)
BATCH_SIZE = SettingKey("run/batch_size", int, LIMITS["batch_size"].default)
TILE_SIZE = SettingKey("run/tile_size", int, LIMITS["tile_size"].default)
OVERLAP = SettingKey("run/overlap", int, LIMITS["overlap"].default)
TIMESTEPS = SettingKey("generation/timesteps", int, LIMITS["timesteps"].default)
SEED = SettingKey("generation/seed", int, LIMITS["seed"].default)

# Weights.
WEIGHTS_DIR = SettingKey("weights/local_dir", str, "")  # "" = use the Hugging Face cache
CACHE_DIR = SettingKey("weights/cache_dir", str, "")  # "" = huggingface_hub's default cache
OFFLINE = SettingKey("weights/offline", bool, False)

# Outputs and runtime.
OUTPUT_DIR = SettingKey("output/folder", str, "")  # "" = a temporary folder per run
ADD_EMBEDDINGS_LAYER = SettingKey("output/add_embeddings_layer", bool, False)
WORKER_PYTHON = SettingKey("runtime/worker_python", str, "")  # "" = run in the QGIS process
CLUSTER_ENABLED = SettingKey("cluster/enabled", bool, False)  # run jobs on a Dask cluster (core/cluster.py)
CLUSTER_SCHEDULER = SettingKey("cluster/scheduler", str, "")  # e.g. "tcp://host:8786"

# Dock choices (added by the dock helper).
DOCK_TASK = SettingKey("dock/task", str, Task.LULC.value, tuple(t.value for t in Task))
DOCK_GENERATE = SettingKey("dock/generate_modality", str, "DEM", GENERATED_MODALITIES)

# Pre-flight estimate: "<device type>:<GFLOP/s>" measured by bridge/runtime/calibration.py ("" = not yet).
CALIBRATION = SettingKey("run/calibration", str, "")

#: Every key, e.g. for a "reset to defaults" button.
ALL_KEYS: tuple[SettingKey, ...] = (
    MODEL_SIZE, DEVICE, PRECISION, BATCH_SIZE, TILE_SIZE, OVERLAP, TIMESTEPS, SEED,
    WEIGHTS_DIR, CACHE_DIR, OFFLINE, OUTPUT_DIR, ADD_EMBEDDINGS_LAYER, WORKER_PYTHON,
    CLUSTER_ENABLED, CLUSTER_SCHEDULER, DOCK_TASK, DOCK_GENERATE, CALIBRATION,
)  # fmt: skip

__all__ = ["PREFIX", "SettingKey", "ALL_KEYS", "DEVICES"] + [
    "MODEL_SIZE", "DEVICE", "PRECISION", "BATCH_SIZE", "TILE_SIZE", "OVERLAP", "TIMESTEPS", "SEED",
    "WEIGHTS_DIR", "CACHE_DIR", "OFFLINE", "OUTPUT_DIR", "ADD_EMBEDDINGS_LAYER", "WORKER_PYTHON",
    "CLUSTER_ENABLED", "CLUSTER_SCHEDULER", "DOCK_TASK", "DOCK_GENERATE",
]  # fmt: skip
