"""TerraTorch fine-tune configs (YAML): the model block, input statistics, class names, tiling.

Only the parts needed to rebuild and run the model are read: ``model.init_args.model_args``, the data
module's ``means``/``stds`` (per modality), ``model.init_args.class_names`` and
``model.init_args.tiled_inference_parameters``. Nothing in the file is executed (``yaml.safe_load``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import tr

__all__ = ["TaskConfig", "read_task_config", "parse_task_config"]

_FACTORIES = ("EncoderDecoderFactory", None)


@dataclass(frozen=True)
class TaskConfig:
    """What a fine-tune needs besides its weights.

    Attributes:
        model_args: the ``model_args`` block for :func:`~.model.build_task_model`.
        means, stds: ``{modality: per-band values}`` used to standardize inputs (empty when the config has
            none; the run then says which statistics it used).
        class_names: one name per class, or empty.
        tile_size, stride: the config's tiled-inference window and stride in pixels (``None``: not given).
        source: the config file, for messages and provenance.
    """

    model_args: dict[str, Any]
    means: dict[str, list[float]] = field(default_factory=dict)
    stds: dict[str, list[float]] = field(default_factory=dict)
    class_names: list[str] = field(default_factory=list)
    tile_size: int | None = None
    stride: int | None = None
    source: str = ""


def _per_modality(value: Any, what: str, source: str) -> dict[str, list[float]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(
            tr("{0}: data {1} must be given per modality ({{S2L2A: [...], ...}}), got {2}.").format(
                source, what, type(value).__name__
            )
        )
    out = {}
    for name, values in value.items():
        if not isinstance(values, (list, tuple)) or not all(isinstance(v, (int, float)) for v in values):
            raise InputError(tr("{0}: data {1} of {2} must be a list of numbers.").format(source, what, name))
        out[str(name)] = [float(v) for v in values]
    return out


def parse_task_config(config: Mapping[str, Any], source: str = "config") -> TaskConfig:
    """Extract a :class:`TaskConfig` from a parsed TerraTorch config.

    Raises:
        InputError: not a segmentation config of TerraTorch's ``EncoderDecoderFactory`` (named).
    """
    model = config.get("model") if isinstance(config, Mapping) else None
    init = (model or {}).get("init_args") if isinstance(model, Mapping) else None
    if not isinstance(init, Mapping) or not isinstance(init.get("model_args"), Mapping):
        raise InputError(
            tr("{0} has no model.init_args.model_args block; is it a TerraTorch config?").format(source)
        )
    task = str(model.get("class_path", ""))
    if task and not task.endswith("SemanticSegmentationTask"):
        raise InputError(
            tr("{0} is a {1} config; only SemanticSegmentationTask fine-tunes are supported.").format(
                source, task
            )
        )
    if init.get("model_factory") not in _FACTORIES:
        raise InputError(
            tr("{0}: model_factory {1!r} is not supported (EncoderDecoderFactory).").format(
                source, init.get("model_factory")
            )
        )
    data = config.get("data") or {}
    data_args = data.get("init_args") or {} if isinstance(data, Mapping) else {}
    tiled = init.get("tiled_inference_parameters") or {}
    names = init.get("class_names") or []
    return TaskConfig(
        model_args=dict(init["model_args"]),
        means=_per_modality(data_args.get("means"), "means", source),
        stds=_per_modality(data_args.get("stds"), "stds", source),
        class_names=[str(n) for n in names],
        tile_size=tiled.get("h_crop") or tiled.get("crop"),
        stride=tiled.get("h_stride") or tiled.get("stride"),
        source=source,
    )


def read_task_config(path: str | os.PathLike) -> TaskConfig:
    """Read a TerraTorch YAML config with ``yaml.safe_load``.

    Raises:
        InputError: missing file, invalid YAML, PyYAML not installed, or an unsupported config.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(tr("Config file {0} does not exist.").format(path))
    try:
        import yaml
    except ImportError:
        raise InputError(
            tr("Reading TerraTorch configs needs PyYAML; install it (pip install PyYAML).")
        ) from None
    try:
        parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise InputError(tr("{0} is not a readable YAML file: {1}").format(path, err)) from None
    return parse_task_config(parsed, source=str(path))
