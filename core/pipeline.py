"""``run_job(spec, progress, is_cancelled)``: the single entry point of the scene pipeline.

Stages: validate the spec and inputs (no model yet) -> open readers on the output grid -> build the
predictor -> the tile pass (``tile_pass``: strips of tiles, batched, blended, finished rows streamed to
the run's temp files, see ``run_files``) -> for embeddings, a second pass over the written file writes the
PCA map -> rename the files, write styles. The run claims its outputs for its lifetime; any error or a
cancel removes exactly the files it created.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .bands import check_band_mapping, check_units, guess_band_mapping
from .device import usable_cpus
from .errors import InputError
from .executor import Executor, LocalExecutor
from .grid import Grid, bounds_overlap, grid_for_area, north_up
from .i18n import tr
from .jobs import (
    CancelCheck,
    InputRaster,
    JobResult,
    JobSpec,
    ProgressCallback,
    input_entries,
    job_label,
    validate_spec,
)
from .outputs import make_sinks
from .predictor import Predictor, PredictorFactory
from .products import OPTICAL_ROLES, TASKS
from .raster_io import InputReader, RasterInfo, check_writable, inspect_raster
from .run_files import RunFiles
from .tile_pass import TileLayout, check_cancel, sinks_block_width

log = logging.getLogger(__name__)

TILE_SHARE_WITH_PCA = 0.9  # fraction of the progress bar for the tile pass when a PCA pass follows


def run_job(
    spec: JobSpec,
    progress: ProgressCallback | None = None,
    is_cancelled: CancelCheck | None = None,
    files: RunFiles | None = None,
    executor: Executor | None = None,
) -> JobResult:
    """Run a job: read the inputs, run TerraMind tile by tile, write georeferenced outputs.

    Args:
        spec: the job.
        progress: ``progress(fraction, message)``, called between batches.
        is_cancelled: polled between batches; when it returns True the job stops.
        files: the run's files when another process started the run (the worker's parent); ``None``: this
            call starts the run, claiming the outputs until it returns.
        executor: where the model runs; ``None``: in this process (``executor.LocalExecutor``), else e.g.
            ``cluster.DaskExecutor`` (same outputs).

    Returns:
        The written files, their ``.qml`` styles and warnings for the user.

    Raises:
        InputError, WeightsError, OutputError, TerraMindError: with a message naming the layer/file.
            OutputError also when another run is writing one of the outputs.
        JobCancelled: ``is_cancelled()`` returned True; no partial output is left.
    """
    from .device import job_threads
    from .predictor import build_predictor

    with job_threads() as threads:
        log.info("The job runs with %d torch threads", threads)
        return execute_job(spec, build_predictor, progress, is_cancelled, files, executor)


@dataclass(frozen=True)
class PlannedInput:
    """An input with its file metadata and 1-based bands in pretrained order.

    ``key`` names its channels in the tile batches: the modality, or ``"<modality>@<date index>"``.
    """

    raster: InputRaster
    info: RasterInfo
    bands: tuple[int, ...]
    key: str = ""


def plan_inputs(spec: JobSpec, check_outputs: bool = True) -> tuple[Grid, list[PlannedInput]]:
    """Validate the spec and the input files; return the output grid and the inputs (grid raster first).

    Args:
        spec: the job.
        check_outputs: also check the output paths and folders.

    Raises:
        InputError: invalid option, missing/unreadable file, bad band mapping, no overlap.
        OutputError: an output folder does not exist or is not writable.
    """
    validate_spec(spec, check_outputs)
    planned = []
    for key, inp in input_entries(spec):
        info = inspect_raster(inp.path, inp.label)
        if inp.bands is None:
            try:
                bands = guess_band_mapping(inp.modality, info.count, info.descriptions)
            except InputError as exc:
                raise InputError(tr("Input '{0}': {1}").format(inp.label, exc)) from exc
        else:
            bands = check_band_mapping(inp.modality, inp.bands, info.count, inp.label)
        planned.append(PlannedInput(inp, info, bands, key))
    primary = min(planned, key=lambda p: _grid_rank(p.raster.modality))
    planned.remove(primary)
    planned.insert(0, primary)
    # A south-up raster is read flipped (warped onto the north-up grid): the model sees north up.
    grid = north_up(grid_for_area(primary.info.grid, spec.area, primary.raster.label))
    for p in planned[1:]:
        if not bounds_overlap(_bounds_in(p.info.grid, grid), grid.bounds):
            raise InputError(
                tr(
                    "Input '{0}' does not overlap '{1}' (or the area of "
                    "interest); choose layers that cover the same place."
                ).format(p.raster.label, primary.raster.label)
            )
    if check_outputs:
        for path in spec.outputs.values():
            check_writable(path)
    return grid, planned


def _grid_rank(modality: str) -> int:
    """Which input defines the grid: optical roles in ``OPTICAL_ROLES`` order, then the others."""
    return OPTICAL_ROLES.index(modality) if modality in OPTICAL_ROLES else len(OPTICAL_ROLES)


def fit_tile_to_scene(spec: JobSpec, grid: Grid) -> JobSpec:
    """``spec`` with its tile no larger than the scene needs (the smallest allowed size covering it), and
    the overlap at most half of that tile; unchanged when the tile already fits."""
    step = 32 if TASKS[spec.task].generative else 16
    tile = max(step, -(-max(grid.width, grid.height) // step) * step)
    if tile >= spec.tile_size:
        return spec
    overlap = min(spec.overlap, tile // 2 // 16 * 16 if step == 16 else tile // 2)
    log.info("Tile size %d clamped to %d px (overlap %d) to fit the scene", spec.tile_size, tile, overlap)
    return dataclasses.replace(spec, tile_size=tile, overlap=overlap)


def _bounds_in(src: Grid, dst: Grid) -> tuple[float, float, float, float]:
    from rasterio.warp import transform_bounds

    if src.crs == dst.crs:
        return src.bounds
    return transform_bounds(src.crs, dst.crs, *src.bounds, densify_pts=21)


def execute_job(
    spec: JobSpec,
    predictor_factory: PredictorFactory,
    progress: ProgressCallback | None = None,
    is_cancelled: CancelCheck | None = None,
    files: RunFiles | None = None,
    executor: Executor | None = None,
) -> JobResult:
    """``run_job`` with the model supplied by ``predictor_factory``.

    Args:
        spec: the job.
        predictor_factory: ``factory(spec, modalities, progress) -> Predictor``. ``run_job`` passes
            ``predictor.build_predictor``; benchmarks and tests pass a light stand-in with the same contract.
        progress, is_cancelled, files, executor: as for ``run_job``.
    """
    grid, planned = plan_inputs(spec)
    spec = fit_tile_to_scene(spec, grid)
    if files is not None:
        return _execute(spec, grid, planned, predictor_factory, progress, is_cancelled, files, executor)
    with RunFiles.start(spec.outputs.values(), job_label(spec)) as own:
        return _execute(spec, grid, planned, predictor_factory, progress, is_cancelled, own, executor)


def _execute(
    spec: JobSpec,
    grid: Grid,
    planned: list[PlannedInput],
    predictor_factory: PredictorFactory,
    progress: ProgressCallback | None,
    is_cancelled: CancelCheck | None,
    files: RunFiles,
    executor: Executor | None,
) -> JobResult:
    progress = _monotonic(progress or (lambda fraction, message: None))
    is_cancelled = is_cancelled or (lambda: False)
    log.info("Job %s on a %dx%d grid (%s)", spec.task.value, grid.width, grid.height, grid.crs)
    modalities = [p.key for p in planned]
    with contextlib.ExitStack() as stack:
        threads = usable_cpus()
        readers = [stack.enter_context(InputReader(p.info, p.bands, grid, threads=threads)) for p in planned]
        warnings = _coverage_warnings(grid, planned) + _unit_warnings(planned, readers)
        check_cancel(is_cancelled)
        progress(0.0, tr("Loading the model"))
        executor = executor or LocalExecutor()
        predictor = executor.predictor(predictor_factory, spec, modalities, progress)
        check_cancel(is_cancelled)
        tags = _provenance(spec, planned, predictor)
        out_grid = grid.coarsened(predictor.out_scale) if predictor.out_scale > 1 else grid
        sinks = []
        try:
            classes = getattr(predictor, "classes", None)
            sinks = make_sinks(spec, out_grid, predictor.out_channels, tags, files, classes)
            layout = TileLayout.plan(spec, grid, predictor.out_scale, sinks_block_width(sinks))
            stack.enter_context(gdal_cache_limit(gdal_cache_bytes(spec, layout.max_strip_pixels, planned)))
            has_second_pass = any(s.has_second_pass for s in sinks)
            share = TILE_SHARE_WITH_PCA if has_second_pass else 1.0
            temp_dir = os.path.dirname(os.path.abspath(next(iter(spec.outputs.values()))))
            tile_pass = executor.tile_pass(
                spec, grid, layout, readers, modalities, predictor, sinks, temp_dir
            )
            tile_pass.run(lambda f, m: progress(share * f, m), is_cancelled)
            if tile_pass.backoff.summary():
                warnings.append(tile_pass.backoff.summary())
            for sink in sinks:
                sink.finish(
                    lambda f, m: progress(share + (1 - share) * f, m), lambda: check_cancel(is_cancelled)
                )
            outputs, styles = {}, {}
            for sink in sinks:
                outputs.update(sink.commit())
                styles.update(sink.styles)
        except BaseException:
            for sink in sinks:
                sink.abort()
            files.discard()
            raise
    progress(1.0, tr("Done"))
    for w in warnings:
        log.warning("%s", w)
    return JobResult(outputs=outputs, warnings=tuple(warnings), styles=styles)


def gdal_cache_bytes(spec: JobSpec, strip_pixels: int, planned: Sequence[PlannedInput]) -> int:
    """GDAL block cache for a job: the input blocks of a tile row and the one above it (a tile + two 256-px
    blocks of rows, a strip + a block on each side), 16-512 MiB.

    A row of tiles is read at once (``tile_reader``) and overlaps the previous one, whose blocks must still
    be cached. GDAL's default (5% of RAM) would let the cache, and so the process, grow with the scene.
    """
    rows, cols = spec.tile_size + 512, strip_pixels + 512
    need = sum(cols * rows * p.info.count * np.dtype(p.info.dtype).itemsize for p in planned)
    return int(min(max(need, 16 * 2**20), 512 * 2**20))


@contextlib.contextmanager
def gdal_cache_limit(nbytes: int) -> Iterator[None]:
    """Lower GDAL's (process-wide) block cache to ``nbytes`` while the job runs, then restore it.

    ``rasterio.Env(GDAL_CACHEMAX=...)`` would leave the new size in place for the host (QGIS) afterwards.
    """
    from rasterio._env import get_gdal_config, set_gdal_config

    previous = get_gdal_config("GDAL_CACHEMAX")
    lowered = isinstance(previous, int) and previous > nbytes
    if lowered:
        set_gdal_config("GDAL_CACHEMAX", nbytes)
    try:
        yield
    finally:
        if lowered:
            set_gdal_config("GDAL_CACHEMAX", previous)


def _monotonic(progress: ProgressCallback) -> ProgressCallback:
    """Never report a smaller fraction than before (retries after out-of-memory repeat steps)."""
    best = [0.0]

    def report(fraction: float, message: str) -> None:
        best[0] = max(best[0], min(float(fraction), 1.0))
        progress(best[0], message)

    return report


def _coverage_warnings(grid: Grid, planned: Sequence[PlannedInput]) -> list[str]:
    """Warn about inputs that cover only part of the grid (outputs are nodata where any input is missing)."""
    warnings = []
    gx0, gy0, gx1, gy1 = grid.bounds
    for p in planned[1:]:
        x0, y0, x1, y1 = _bounds_in(p.info.grid, grid)
        inter = max(min(x1, gx1) - max(x0, gx0), 0) * max(min(y1, gy1) - max(y0, gy0), 0)
        share = inter / ((gx1 - gx0) * (gy1 - gy0))
        if share < 0.99:
            warnings.append(
                tr(
                    "Input '{0}' covers only about {1:.0%} of the area; the "
                    "outputs are nodata where it is missing."
                ).format(p.raster.label, share)
            )
    return warnings


UNIT_SAMPLE = 65536  # pixels of the central window the unit checks look at


def _unit_warnings(planned: Sequence[PlannedInput], readers: Sequence[InputReader]) -> list[str]:
    warnings = []
    for p, reader in zip(planned, readers):
        sample, _ = reader.read_sample()
        sample = sample[:, :: max(1, sample.shape[1] // UNIT_SAMPLE)]  # enough for percentiles, 4x cheaper
        if sample.shape[1] == 0:
            if p is planned[0]:
                raise InputError(
                    tr("Input '{0}' has no valid pixel in the area of interest.").format(p.raster.label)
                )
            warnings.append(
                tr("Input '{0}' has no valid pixel in the sampled centre of the area.").format(p.raster.label)
            )
        warnings.extend(check_units(p.raster.modality, sample, p.raster.label))
    return warnings


def _provenance(spec: JobSpec, planned: Sequence[PlannedInput], predictor: Predictor) -> dict[str, str]:
    inputs = [
        {"path": p.raster.path, "modality": p.raster.modality, "bands": list(p.bands), "key": p.key}
        for p in planned
    ]
    tags = {
        "TERRAMIND_TASK": spec.task.value,
        "TERRAMIND_INPUTS": json.dumps(inputs),
        "TERRAMIND_SEED": str(spec.seed),
        "TERRAMIND_TIMESTEPS": str(spec.timesteps),
        "TERRAMIND_TILE_SIZE": str(spec.tile_size),
        "TERRAMIND_OVERLAP": str(spec.overlap),
        "TERRAMIND_PLUGIN_VERSION": plugin_version(),
        "TERRAMIND_CREATED": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if spec.dates:
        tags["TERRAMIND_DATES"] = json.dumps(
            [{"date": s.date, "files": [r.path for r in s.inputs]} for s in spec.dates]
        )
    if TASKS[spec.task].generative:
        tags.update(
            TERRAMIND_TEMPERATURE=str(spec.temperature),
            TERRAMIND_TOP_P=str(spec.top_p),
            TERRAMIND_TOP_K=str(spec.top_k),
        )
    tags.update(predictor.provenance)
    return tags


def plugin_version() -> str:
    """``version=`` of the plugin's metadata.txt, or ``"unknown"``."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "metadata.txt")
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip().lower().startswith("version="):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return "unknown"
