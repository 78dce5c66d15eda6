"""The tile predictor of ``Task.SEGMENT``: raw dated tiles in, class logits out.

The job's inputs arrive as ``{key: (B, C, T, T)}`` with keys ``"<modality>@<date>"`` (per date) or
``"<modality>"`` (once for every date, e.g. the DEM); the predictor selects the model's bands, standardizes
with the fine-tune's statistics and stacks the dates into ``(B, C, dates, T, T)`` for temporal models.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..i18n import tr
from ..jobs import JobSpec, ProgressCallback, split_key
from ..predictor import StepCallback, file_sha256
from ..products import TASKS
from .catalog import catalog_model, class_colors
from .config import TaskConfig, read_task_config
from .standardize import standardize_array

__all__ = ["InputPlan", "SegmentPredictor", "build_segment_predictor", "plan_model_inputs"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InputPlan:
    """How one model modality is fed.

    Attributes:
        name: the modality as the model's config names it.
        keys: tile-batch keys in date order (one key repeated for an input given once).
        bands: indices of the model's bands among the input's channels (pretrained order).
        mean, std: standardization statistics of those bands.
    """

    name: str
    keys: tuple[str, ...]
    bands: tuple[int, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]


def _key(name: str) -> str:
    from ..terramind.modalities import input_modality_key

    return input_modality_key(name)


def _stats(config: TaskConfig, name: str, bands: Sequence[str]) -> tuple[list[float], list[float], str]:
    """Statistics of modality ``name`` from the config, else TerraMind's pretraining statistics."""
    from ..terramind.standardize import stats_for

    for cname in config.means:
        if _key(cname) == _key(name) and cname in config.stds:
            return config.means[cname], config.stds[cname], tr("config")
    mean, std = stats_for(name, list(bands) or None)
    return list(mean), list(std), tr("TerraMind v1 pretraining")


def plan_model_inputs(model: Any, config: TaskConfig, keys: Sequence[str], num_dates: int) -> list[InputPlan]:
    """Match the job's inputs to the model's modalities and dates.

    Raises:
        InputError: a date count the model refuses (saying how many it needs), a missing modality, an input
            the model does not use, or statistics that do not fit the bands.
    """
    from ..terramind.modalities import PRETRAINED_BANDS

    if model.temporal:
        need = model.num_dates
        if need is not None and num_dates != need:
            raise InputError(
                tr("This model is built for {0} dates; the job has {1}. Give {2} dates.").format(
                    need, num_dates, need
                )
            )
    elif num_dates != 1:
        raise InputError(tr("This model takes one date; the job has {0}. Give one date.").format(num_dates))
    backbone = model.encoder.encoder if model.temporal else model.encoder
    by_key: dict[str, list[str]] = {}
    for k in keys:
        by_key.setdefault(_key(split_key(k)[0]), []).append(k)
    plans, used = [], set()
    for name in model.modalities:
        mkey = backbone.configured_key(name)
        given = by_key.get(mkey)
        if not given:
            raise InputError(tr("The model needs a {0} input; add a {1} raster.").format(name, name))
        dated = sorted((k for k in given if split_key(k)[1] is not None), key=lambda k: split_key(k)[1])
        order = tuple(dated) if dated else tuple(given[:1]) * num_dates
        used.update(given)
        names = backbone.bands.get(mkey, ())
        full = PRETRAINED_BANDS.get(mkey, names)
        bands = tuple(full.index(b) for b in names) if names else (0,)
        mean, std, origin = _stats(config, name, names)
        if len(mean) != len(bands) or len(std) != len(bands):
            raise InputError(
                tr(
                    "The statistics for {0} ({1}) have {2} values for {3} bands; "
                    "fix the means/stds of the config."
                ).format(name, origin, len(mean), len(bands))
            )
        log.info("%s standardized with %s statistics: means %s, stds %s", name, origin, mean, std)
        plans.append(InputPlan(name, order, bands, tuple(mean), tuple(std)))
    unused = [k for k in keys if k not in used]
    if unused:
        raise InputError(
            tr("The model does not use the input(s) {0}; it takes {1}.").format(
                ", ".join(unused), ", ".join(model.modalities)
            )
        )
    return plans


class SegmentPredictor:
    """A fine-tuned segmentation model on batches of dated tiles (blended logits, argmax in the sink)."""

    out_scale = 1

    def __init__(
        self,
        model: Any,
        plans: Sequence[InputPlan],
        classes: Sequence[tuple[str, str]],
        device: Any,
        dtype: Any,
        provenance: dict[str, str],
    ):
        self.model, self.plans, self.device, self.dtype = model, list(plans), device, dtype
        self.classes = list(classes)  # (name, colour) per class
        self.out_channels = len(self.classes)
        self.provenance = provenance

    def inputs(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Standardized model inputs ``{modality: (B, C, [dates,] T, T)}`` float32 from raw tiles."""
        out = {}
        for p in self.plans:
            per_date = [standardize_array(batch[k][:, list(p.bands)], p.mean, p.std, axis=1) for k in p.keys]
            out[p.name] = np.stack(per_date, axis=2) if self.model.temporal else per_date[0]
        return out

    def __call__(
        self,
        batch: dict[str, np.ndarray],
        origins: Sequence[tuple[int, int]],
        on_step: StepCallback | None = None,
    ) -> np.ndarray:
        import torch

        from ..device import autocast

        x = self.inputs(batch)
        with torch.inference_mode(), autocast(self.device, self.dtype):
            logits = self.model({k: torch.from_numpy(v).to(self.device) for k, v in x.items()})
        return logits.float().cpu().numpy()


def _model_files(spec: JobSpec, source: Any) -> tuple[str, Path, Path, tuple[str, ...], tuple[str, ...]]:
    """(name, config path, checkpoint path, catalogued class names, colours) of the job's model."""
    from ..checkpoints import resolve_checkpoint

    if spec.task_model:
        entry = catalog_model(spec.task_model)
        config = resolve_checkpoint(entry.config, source)
        checkpoint = resolve_checkpoint(entry.checkpoint, source)
        return entry.name, config, checkpoint, entry.class_names, entry.colors
    return Path(spec.task_checkpoint).stem, Path(spec.task_config), Path(spec.task_checkpoint), (), ()


def build_segment_predictor(
    spec: JobSpec, keys: Sequence[str], progress: ProgressCallback | None = None
) -> SegmentPredictor:
    """Resolve (download) the fine-tune, load it strictly and plan its inputs.

    Raises:
        InputError, WeightsError: see :func:`plan_model_inputs`, :func:`~.loading.load_task_model`.
    """
    from ..checkpoints import WeightsSource
    from ..device import choose_precision, resolve_device
    from .loading import load_task_model

    device = resolve_device(spec.device)
    precision = choose_precision(spec.precision, device, TASKS[spec.task].cpu_bfloat16)
    dtype = precision.dtype

    def on_bytes(done: int, total: int) -> None:
        if progress is not None and total:
            progress(
                0.0, tr("Downloading the model: {0:.0f} / {1:.0f} MiB").format(done / 2**20, total / 2**20)
            )

    source = WeightsSource(spec.weights_dir, spec.cache_dir, spec.offline, on_bytes)
    name, config_path, ckpt_path, names, colors = _model_files(spec, source)
    config = read_task_config(config_path)
    model = load_task_model(config, ckpt_path, device)
    plans = plan_model_inputs(model, config, keys, len(spec.dates))
    count = model.num_classes
    if config.class_names and len(config.class_names) == count:
        names = tuple(config.class_names)
    elif len(names) != count:
        names = tuple(f"class {i}" for i in range(count))
    classes = list(zip(names, class_colors(count, colors if len(colors) == count else ())))
    provenance = {
        "TERRAMIND_MODEL": name,
        "TERRAMIND_CONFIG": str(config_path),
        "TERRAMIND_CONFIG_SHA256": file_sha256(str(config_path)),
        "TERRAMIND_CHECKPOINT": str(ckpt_path),
        "TERRAMIND_CHECKPOINT_SHA256": file_sha256(str(ckpt_path)),
        "TERRAMIND_CLASSES": json.dumps([n for n, _ in classes]),
        "TERRAMIND_STANDARDIZATION": json.dumps({p.name: {"mean": p.mean, "std": p.std} for p in plans}),
        "TERRAMIND_DEVICE": str(device),
        "TERRAMIND_PRECISION": precision.name,
        "TERRAMIND_PRECISION_REASON": precision.reason,
    }
    log.info("Loaded %s (%d classes: %s) on %s", name, count, ", ".join(n for n, _ in classes), device)
    log.info("%s runs in %s (%s)", name, precision.name, precision.reason)
    return SegmentPredictor(model, plans, classes, device, dtype, provenance)
