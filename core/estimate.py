"""Pre-flight estimate of a job (tiles, seconds, disk space) and the limits every entry point applies.

The dock, Processing and the command line all call ``check_limits`` before a run: outputs that do not
fit the free space of their folder are refused; a job above ``LARGE_JOB_SECONDS`` or ``LARGE_JOB_TILES``
is refused unless the caller allows large jobs (Processing's ``ALLOW_LARGE_JOB``, the CLI's
``--allow-large``), and the dock shows it as a warning.

Seconds are a fixed set-up time, the time to read the checkpoint files (their size over ``READ_BYTES_S``),
the reading of the input values (``INPUT_S_PER_MVALUE``), and the floating-point work of each tile
(counted for this implementation: transformer passes, the LULC decoder, the diffusion UNet per DDIM step)
over this machine's calibrated matrix-multiply rate at the job's precision (``core.device.MatmulRates``)
times the fraction of it each part reaches at that precision (``EFFICIENCY``: narrow and wide
transformers, the UNet's convolutions). ``benchmarks/estimate.py`` compares the estimate with
measured runs (goal: within ±30 %). Without a calibration a typical float32 rate per device is assumed.
"""

from __future__ import annotations

import math
import os
import shutil
from dataclasses import dataclass

import numpy as np

from .device import MatmulRates
from .errors import InputError, OutputError
from .i18n import tr
from .jobs import JobSpec, model_passes
from .predictor import generated_modality
from .products import TASKS, product_for_modality
from .terramind.registry import config_for
from .tiling import tile_origins

# GFLOP of one 224 px tile (2 per multiply-add), counted with benchmarks/backbone.py and
# benchmarks/generation.py: encoder pass per size; LULC tokenizer decoder (ViT-B, size-independent);
# diffusion UNet per DDIM step (size-independent).
ENCODER_GFLOP = {"tiny": 2.67, "small": 9.49, "base": 35.64, "large": 122.0}
LULC_DECODER_GFLOP = 35.0
UNET_STEP_GFLOP = 190.0
# The encoder-decoder of generation costs about the encoder plus its decoder blocks (self- and
# cross-attention and MLP: about 1.3 encoder blocks each).
DECODER_BLOCK_COST = 1.3
# Fraction of the calibrated matmul rate (``core.device.measure_matmul_rates``) each part of the model
# reaches, per precision: transformers narrower than ``WIDE_DIM`` (TerraMind tiny, small), ViT-B and wider
# ones (TerraMind base, large, the LULC tokenizer decoder, the fine-tunes), and the diffusion UNet. Measured
# with benchmarks/estimate.py on a 2-core CPU with AVX-512 and AMX-BF16 (docs/estimate.md).
EFFICIENCY = {
    "float32": {"narrow": 0.65, "wide": 0.68, "unet": 1.0},
    "bfloat16": {"narrow": 0.65, "wide": 0.84, "unet": 0.87},
    "float16": {"narrow": 0.65, "wide": 0.84, "unet": 0.87},
}
WIDE_DIM = 768
# Matmul rate assumed when the machine was not calibrated (float32 GFLOP/s).
TYPICAL_GFLOPS = {"cpu": 100.0, "cuda": 15000.0, "mps": 2000.0}
SETUP_S = 0.08  # opening the inputs, writing the styles
READ_BYTES_S = 3e9  # building the model from its checkpoint files (memory-mapped, in the page cache)
INPUT_S_PER_MVALUE = 0.012  # reading, decoding, blending and writing, per million input values (row bands)
LARGE_JOB_SECONDS = 3 * 3600.0  # a job expected to take longer needs an explicit "allow large jobs"
LARGE_JOB_TILES = 20_000  # likewise for a job with more tiles


@dataclass(frozen=True)
class JobEstimate:
    """Pre-flight numbers of a job.

    Attributes:
        tiles: model windows the job runs (tiles without any valid pixel are skipped at run time).
        seconds: expected wall time, including model loading.
        disk_bytes: peak disk use of the outputs, uncompressed upper bound (temp files included).
        passes: model runs per tile (``(16 / stride)**2`` for strided embeddings, else 1).
    """

    tiles: int
    seconds: float
    disk_bytes: int
    passes: int = 1


TASK_DECODER_FACTOR = 1.3  # base flood UNet: backbone 78% of a window (benchmarks/task_models.py)


def estimate_job(spec: JobSpec, rates: MatmulRates | None = None) -> JobEstimate:
    """Estimate a job from its inputs' metadata (no pixel is read, no model is built).

    Args:
        spec: the job.
        rates: calibrated matmul rates of the device the job runs on (``core.device.measure_matmul_rates``);
            ``None`` assumes a typical float32 rate for ``spec.device``.

    Raises:
        InputError: the inputs or options are invalid (as ``run_job`` would report).
    """
    from .pipeline import fit_tile_to_scene, plan_inputs

    grid, planned = plan_inputs(spec, check_outputs=False)
    spec = fit_tile_to_scene(spec, grid)
    align = 1 if TASKS[spec.task].generative else spec.embedding_stride  # backbone outputs: whole cells
    tiles = len(tile_origins(grid.height, spec.tile_size, spec.overlap, align)) * len(
        tile_origins(grid.width, spec.tile_size, spec.overlap, align)
    )
    values = grid.width * grid.height * sum(len(p.bands) for p in planned)
    seconds = (
        SETUP_S
        + checkpoint_bytes(spec) / READ_BYTES_S
        + values / 1e6 * INPUT_S_PER_MVALUE
        + tiles * seconds_per_tile(spec, rates)
    )
    passes = 1 if TASKS[spec.task].generative else model_passes(spec.embedding_stride)
    disk = _disk_bytes(spec, grid.width, grid.height)
    return JobEstimate(tiles=tiles, seconds=seconds, disk_bytes=disk, passes=passes)


def checkpoint_bytes(spec: JobSpec) -> int:
    """Approximate bytes of checkpoint the job's model is built from (``core.checkpoints.APPROX_BYTES``).

    A backbone job (embeddings) takes only the encoder's tensors from the memory-mapped checkpoint:
    12 dim² float32 weights per block (attention 4 dim², MLP 8 dim²).
    """
    from .checkpoints import APPROX_BYTES
    from .products import required_checkpoints

    if TASKS[spec.task].model == "backbone":
        cfg = config_for(spec.model_size)
        return 4 * 12 * cfg.depth * cfg.dim**2
    names = required_checkpoints(spec.task, spec.model_size, spec.output_modality)
    return sum(APPROX_BYTES.get(name, 0) for name in names)


def tile_work(spec: JobSpec) -> dict[str, float]:
    """GFLOP of one tile per part of ``EFFICIENCY``: ``narrow`` and ``wide`` transformers, ``unet``."""
    cfg = config_for(spec.model_size)
    width = _width(spec.model_size)
    encoder = ENCODER_GFLOP[spec.model_size]
    out = generated_modality(spec)
    scale = (spec.tile_size / 224) ** 2
    if TASKS[spec.task].model == "task":  # a fine-tune: its backbone once per date (+ about a third, decoder)
        size = "base" if spec.task_model else spec.model_size  # the catalogued models are base fine-tunes
        work = ENCODER_GFLOP[size] * max(1, len(spec.dates)) * TASK_DECODER_FACTOR
        return {_width(size): work * scale}
    if out is None:  # shifted windows for finer embeddings
        return {width: encoder * model_passes(spec.embedding_stride) * scale}
    parts = {width: encoder * (1 + DECODER_BLOCK_COST * cfg.decoder_depth / cfg.depth) * scale}
    if product_for_modality(out).classes:  # class products: one ViT-B decoder pass
        parts["wide"] = parts.get("wide", 0.0) + LULC_DECODER_GFLOP * scale
    else:  # the others: DDIM diffusion
        parts["unet"] = UNET_STEP_GFLOP * spec.timesteps * scale
    return parts


def _width(size: str) -> str:
    """The ``EFFICIENCY`` part of a TerraMind size's transformer: ``narrow`` or ``wide``."""
    return "wide" if config_for(size).dim >= WIDE_DIM else "narrow"


def seconds_per_tile(spec: JobSpec, rates: MatmulRates | None = None) -> float:
    """Model seconds for one tile on a device with the given calibrated matmul rates (see module doc)."""
    if rates is None:
        rates = MatmulRates({"float32": TYPICAL_GFLOPS.get(_device_type(spec.device), TYPICAL_GFLOPS["cpu"])})
    precision = spec.precision
    if precision == "auto" and not TASKS[spec.task].cpu_bfloat16 and _device_type(spec.device) == "cpu":
        precision = "float32"
    precision, gflops = rates.rate(precision)
    return sum(work / (gflops * EFFICIENCY[precision][part]) for part, work in tile_work(spec).items())


def _device_type(device: str) -> str:
    """``cpu``, ``cuda`` or ``mps`` for a spec device; ``auto`` without importing torch if not loaded."""
    import sys

    if device != "auto":
        return device.split(":")[0]
    cuda = getattr(sys.modules.get("torch"), "cuda", None)  # torch may be half-imported by another thread
    if cuda is not None and cuda.is_available():
        return "cuda"
    return "cpu"


def _disk_bytes(spec: JobSpec, width: int, height: int) -> int:
    if TASKS[spec.task].model == "task":  # uint8 classes (+ float32 probabilities of 2 classes, typically)
        return width * height * (1 + (8 if "probabilities" in spec.outputs else 0))
    out = generated_modality(spec)
    if out is not None:
        product = product_for_modality(out)
        return width * height * len(product.band_names) * np.dtype(product.dtype).itemsize
    s = spec.embedding_stride
    patches = math.ceil(width / s) * math.ceil(height / s)
    per_value = 2 if spec.embedding_dtype == "float16" else 4
    return patches * (config_for(spec.model_size).dim * per_value + 3)  # embeddings (temp if not kept) + PCA


def large_job_reason(estimate: JobEstimate) -> str | None:
    """Why a job counts as large (``LARGE_JOB_SECONDS``, ``LARGE_JOB_TILES``), or ``None``."""
    if estimate.seconds <= LARGE_JOB_SECONDS and estimate.tiles <= LARGE_JOB_TILES:
        return None
    return tr(
        "This job is large: about {0} tile(s) and {1:.1f} h on this computer (limits: {2} tiles, {3:.0f} h)."
    ).format(estimate.tiles, estimate.seconds / 3600, LARGE_JOB_TILES, LARGE_JOB_SECONDS / 3600)


def free_space_problem(estimate: JobEstimate, folder: str) -> str | None:
    """A message when the outputs would not fit the free space of ``folder``, else ``None``."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None  # a missing folder is reported by the output checks
    if estimate.disk_bytes <= free:
        return None
    return tr(
        "The outputs need up to {0:.2f} GB but the output folder {1!r} has only {2:.2f} GB free. Free some "
        "space or choose another folder."
    ).format(estimate.disk_bytes / 1e9, folder, free / 1e9)


def check_limits(
    spec: JobSpec, allow_large: bool, allow_hint: str, rates: MatmulRates | None = None
) -> list[str]:
    """The pre-flight limits of a run (see the module doc); returns warnings for the log.

    Args:
        spec: the job, with its output paths.
        allow_large: run a large job anyway.
        allow_hint: how the caller allows large jobs, ending the refusal ("set ALLOW_LARGE_JOB=true").
        rates: as for ``estimate_job``.

    Raises:
        OutputError: the outputs do not fit the free space of their folder.
        InputError: a large job was not allowed, or the inputs are invalid.
    """
    estimate = estimate_job(spec, rates)
    folder = os.path.dirname(os.path.abspath(next(iter(spec.outputs.values()))))
    problem = free_space_problem(estimate, folder)
    if problem:
        raise OutputError(problem)
    large = large_job_reason(estimate)
    if large and not allow_large:
        raise InputError(
            tr(
                "{0} Choose a smaller area, fewer diffusion steps or a smaller model, or {1} to run it "
                "anyway."
            ).format(large, allow_hint)
        )
    return [tr("{0} It runs because large jobs are allowed.").format(large)] if large else []
