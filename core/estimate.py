"""Pre-flight estimate of a job: tiles, seconds and disk space, for the dock before a run.

Seconds come from a per-tile cost model measured with this implementation (tiny model, float32, one
224 px tile, 2 CPU cores; see benchmarks/pipeline.py), scaled by model size, tile area, diffusion steps
and device. It is a rough guide (within a factor of about two on a CPU), not a promise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .jobs import JobSpec, Task
from .predictor import OUTPUT_CHANNELS, generated_modality
from .terramind.registry import config_for
from .tiling import tile_origins

# Seconds per 224 px tile on a CPU (tiny, float32), measured: backbone 0.32; generation encoder+decoder 0.6;
# LULC tokenizer decoder 2.0 (size-independent); diffusion decoder 10.5 per DDIM step (size-independent).
CPU_BACKBONE_S = 0.32
CPU_GENERATION_S = 0.6
CPU_LULC_DECODE_S = 2.0
CPU_DIFFUSION_STEP_S = 10.5
# Transformer cost relative to tiny: D^2 x depth (spec §1.2).
SIZE_FACTOR = {"tiny": 1.0, "small": 4.0, "base": 16.0, "large": 57.0}
# Speed-up of a device over the CPU reference (rough: a mid-range CUDA GPU, Apple M-series).
DEVICE_SPEEDUP = {"cpu": 1.0, "cuda": 40.0, "mps": 6.0}
MODEL_LOAD_S = 5.0  # reading the checkpoint and tokenizer files


@dataclass(frozen=True)
class JobEstimate:
    """Pre-flight numbers of a job.

    Attributes:
        tiles: model windows the job runs (tiles without any valid pixel are skipped at run time).
        seconds: expected wall time, including model loading.
        disk_bytes: peak disk use of the outputs, uncompressed upper bound (temp files included).
    """

    tiles: int
    seconds: float
    disk_bytes: int


def estimate_job(spec: JobSpec) -> JobEstimate:
    """Estimate a job from its inputs' metadata (no pixel is read, no model is built).

    Raises:
        InputError: the inputs or options are invalid (as ``run_job`` would report).
    """
    from .pipeline import plan_inputs

    grid, _planned = plan_inputs(spec, check_outputs=False)
    align = 16 if spec.task == Task.EMBEDDINGS else 1
    tiles = len(tile_origins(grid.height, spec.tile_size, spec.overlap, align)) * len(
        tile_origins(grid.width, spec.tile_size, spec.overlap, align)
    )
    seconds = MODEL_LOAD_S + tiles * seconds_per_tile(spec)
    return JobEstimate(tiles=tiles, seconds=seconds, disk_bytes=_disk_bytes(spec, grid.width, grid.height))


def seconds_per_tile(spec: JobSpec) -> float:
    """Model seconds for one tile of ``spec.tile_size`` on ``spec.device`` (the cost model above)."""
    size = SIZE_FACTOR[spec.model_size]
    out = generated_modality(spec)
    if out is None:
        cpu = CPU_BACKBONE_S * size
    elif out == "LULC":
        cpu = CPU_GENERATION_S * size + CPU_LULC_DECODE_S
    else:
        cpu = CPU_GENERATION_S * size + CPU_DIFFUSION_STEP_S * spec.timesteps
    area = (spec.tile_size / 224) ** 2
    device = "cpu" if spec.device == "auto" else spec.device.split(":")[0]
    speedup = DEVICE_SPEEDUP.get(device, 1.0)
    if spec.device == "auto":
        speedup = _auto_speedup()
    return cpu * area / speedup


def _auto_speedup() -> float:
    """Speed-up of the device ``auto`` would pick, without importing torch if it is not loaded yet."""
    import sys

    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        return DEVICE_SPEEDUP["cuda"]
    return DEVICE_SPEEDUP["cpu"]


def _disk_bytes(spec: JobSpec, width: int, height: int) -> int:
    out = generated_modality(spec)
    if out == "LULC":
        return width * height
    if out is not None:
        return width * height * OUTPUT_CHANNELS[out] * 4
    patches = math.ceil(width / 16) * math.ceil(height / 16)
    per_value = 2 if spec.embedding_dtype == "float16" else 4
    return patches * (config_for(spec.model_size).dim * per_value + 3)  # embeddings (temp if not kept) + PCA
