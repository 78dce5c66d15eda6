"""The tile pass: read tiles, predict in batches with out-of-memory back-off, blend, stream finished rows.

The grid is cut into vertical strips (``tiling.plan_strips``) processed one after another, each top to
bottom in rows of tiles. A row-band accumulator one strip wide blends the tiles, and the partial sums of
the columns two strips share go through a ``SeamBuffer``, so the result equals a single pass while memory
depends on the strip width and the tile size, not on the scene. Tiles are read in row bands
(``tile_reader``): between batches when the model runs on the CPU, one batch ahead in a thread when it
runs on a GPU. Writing runs one band of rows behind in another thread; only one thread at a time touches
the input datasets, and only the writing thread the outputs, while the pass runs.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Callable, NamedTuple

import numpy as np

from .device import BatchBackoff, cancel_inside_model
from .errors import JobCancelled
from .grid import Box, Grid
from .i18n import tr
from .jobs import CancelCheck, JobSpec, ProgressCallback
from .outputs import Sink
from .predictor import Predictor, StepCallback
from .raster_io import InputReader
from .seams import SeamBuffer
from .tile_reader import TileBatch, TileReader, columns_of
from .tiling import (
    RowBandAccumulator,
    Strip,
    blend_weights,
    plan_strips,
    tile_origins,
)

log = logging.getLogger(__name__)

STRIP_WIDTH = 2048  # target width of a strip's tiles in grid pixels; wider scenes are cut into strips


@dataclass(frozen=True)
class TileLayout:
    """Where the tiles go, at output resolution (grid pixels / ``scale``).

    Attributes:
        scale: grid pixels per output pixel (16 for patch embeddings, else 1).
        tile: tile side in output pixels.
        rows: row origins of the tiles.
        strips: the strips of tile columns, left to right.
        height, width: output grid size.
    """

    scale: int
    tile: int
    rows: Sequence[int]
    strips: Sequence[Strip]
    height: int
    width: int

    @classmethod
    def plan(cls, spec: JobSpec, grid: Grid, scale: int, cut_step: int = 1) -> TileLayout:
        """Tiles of ``spec`` on ``grid``, in strips cut at multiples of ``cut_step``."""
        s = scale
        tile = spec.tile_size // s
        rows = [r // s for r in tile_origins(grid.height, spec.tile_size, spec.overlap, s)]
        cols = [c // s for c in tile_origins(grid.width, spec.tile_size, spec.overlap, s)]
        width = -(-grid.width // s)
        strips = plan_strips(cols, tile, width, cut_step, max(STRIP_WIDTH // s, tile))
        return cls(s, tile, rows, strips, -(-grid.height // s), width)

    @property
    def tile_count(self) -> int:
        """Number of tiles in every strip together."""
        return len(self.rows) * sum(len(st.cols) for st in self.strips)

    def strip_boxes(self, strip: Strip) -> list[Box]:
        """The tiles of ``strip`` in grid pixels, row-major."""
        t = self.tile * self.scale
        return [Box(r * self.scale, c * self.scale, t, t) for r in self.rows for c in strip.cols]

    def strip_batches(self, strip: Strip, batch_size: int) -> Iterator[list[Box]]:
        """The tiles of ``strip`` in the batches of ``batch_size`` a pass reads them in (``chunk_end``)."""
        boxes = self.strip_boxes(strip)
        start = 0
        while start < len(boxes):
            end = chunk_end(start, len(boxes), len(strip.cols), batch_size)
            yield boxes[start:end]
            start = end

    @property
    def max_strip_pixels(self) -> int:
        """Widest span of a strip's tiles, in grid pixels."""
        return max(st.end - st.start for st in self.strips) * self.scale


class TileOutput(NamedTuple):
    """A tile's model output, ready to blend: box on the grid, (T/s, T/s) float32 validity, (C, T/s, T/s)."""

    box: Box
    mask: np.ndarray
    out: np.ndarray


def tile_outputs(tiles: TileBatch, outs: Sequence[np.ndarray], scale: int) -> list[TileOutput]:
    """The model's ``outs`` of ``tiles`` with their validity pooled to the output resolution."""
    return [
        TileOutput(box, _pool_mask(valid, scale).astype(np.float32), out)
        for box, valid, out in zip(tiles.boxes, tiles.valid, outs)
    ]


def chunk_end(start: int, n_boxes: int, n_cols: int, batch_size: int) -> int:
    """End of the batch of a strip's row-major boxes that starts at ``start``.

    A batch stops at the end of a tile row that can fill a batch by itself, so that the accumulator holds
    one row of tiles on wide strips.
    """
    end = min(start + batch_size, n_boxes)
    if n_cols >= batch_size:
        end = min(end, (start // n_cols + 1) * n_cols)
    return end


def predict_tiles(predictor: Predictor, tiles: TileBatch, on_step: StepCallback | None) -> list[np.ndarray]:
    """The model's outputs of one batch of tiles."""
    return list(predictor(tiles.inputs, tiles.origins, on_step))


def runs_on_cpu(predictor: Predictor) -> bool:
    """True if the model computes on the CPU (stand-ins without a ``device`` do)."""
    return getattr(getattr(predictor, "device", None), "type", "cpu") == "cpu"


def _pool_mask(valid: np.ndarray, scale: int) -> np.ndarray:
    """(T, T) pixel mask -> (T/scale, T/scale): a block is valid if any of its pixels is."""
    if scale == 1:
        return valid
    t = valid.shape[0] // scale
    return valid.reshape(t, scale, t, scale).any(axis=(1, 3))


def check_cancel(is_cancelled: CancelCheck) -> None:
    """Raise ``JobCancelled`` if the user asked to stop."""
    if is_cancelled():
        raise JobCancelled(tr("The job was cancelled; partial outputs were removed."))


class _RowWriter:
    """Hands finished rows to the sinks: statistics in the caller's thread, writing in a background thread,
    with one band of rows in flight."""

    def __init__(self, pool: ThreadPoolExecutor, sinks: Sequence[Sink]):
        self.pool, self.sinks = pool, sinks
        self._pending: Future | None = None

    def submit(self, row: int, col: int, values: np.ndarray, weight: np.ndarray) -> None:
        """Queue (C + 1, n, w) blended values (last channel: validity) and their (n, w) weight sum."""
        values = np.array(values)  # the accumulator reuses its buffers
        valid = (weight > 0) & (values[-1] > 0.5)
        for sink in self.sinks:
            sink.summarize(values[:-1], valid)
        self.wait()
        self._pending = self.pool.submit(self._write, row, col, values[:-1], valid)

    def wait(self) -> None:
        """Wait for the queued rows; re-raises a sink's error (e.g. disk full) here."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def _write(self, row: int, col: int, values: np.ndarray, valid: np.ndarray) -> None:
        for sink in self.sinks:
            sink.write(row, col, values, valid)


class TilePass:
    """Runs every tile of ``layout`` through ``predictor`` and streams the blended rows to ``sinks``.

    Args:
        spec: the job (batch size, tile size, overlap).
        grid: the input grid.
        layout: ``TileLayout.plan(spec, grid, predictor.out_scale, <sinks' block width>)``.
        readers, modalities: the inputs, in the same order.
        predictor: the model.
        sinks: the outputs.
        temp_dir: folder for the seam buffers between strips.
    """

    def __init__(
        self,
        spec: JobSpec,
        grid: Grid,
        layout: TileLayout,
        readers: Sequence[InputReader],
        modalities: Sequence[str],
        predictor: Predictor,
        sinks: Sequence[Sink],
        temp_dir: str | None = None,
    ):
        self.spec, self.grid, self.layout = spec, grid, layout
        self.readers, self.modalities, self.predictor, self.sinks = readers, modalities, predictor, sinks
        self.temp_dir = temp_dir
        self.weights = blend_weights(layout.tile, spec.overlap // layout.scale)
        self.backoff = BatchBackoff(spec.batch_size)
        self.channels = predictor.out_channels + 1  # blended values per pixel; the last one is validity
        self.done = self.skipped = 0

    def run(self, progress: ProgressCallback, is_cancelled: CancelCheck) -> None:
        """Process every strip; ``progress(fraction, message)`` after each batch (and diffusion step)."""
        seam_in: SeamBuffer | None = None
        try:
            # Leaving the pools waits for their running jobs: no write is in flight when sinks are aborted.
            with (
                ThreadPoolExecutor(1, "terramind-read") as pool,
                ThreadPoolExecutor(1, "terramind-write") as out,
                cancel_inside_model(is_cancelled),
            ):
                writer = _RowWriter(out, self.sinks)
                for strip in self.layout.strips:
                    seam_out = None
                    if strip.end > strip.stop:
                        seam_out = SeamBuffer(self.channels, strip.end - strip.stop, self.temp_dir)
                    try:
                        self._strip(pool, writer, strip, seam_in, seam_out, progress, is_cancelled)
                    finally:
                        if seam_in is not None:
                            seam_in.close()
                        seam_in = seam_out
                writer.wait()
        finally:
            if seam_in is not None:
                seam_in.close()
        log.info("%d tiles, %d skipped (no valid pixel)", self.done, self.skipped)

    def _strip(
        self,
        pool: ThreadPoolExecutor,
        writer: _RowWriter,
        strip: Strip,
        seam_in: SeamBuffer | None,
        seam_out: SeamBuffer | None,
        progress: ProgressCallback,
        is_cancelled: CancelCheck,
    ) -> None:
        """One strip: rows of tiles top to bottom, batched, blended, finished rows written."""
        s, lay = self.layout.scale, self.layout
        boxes = self.layout.strip_boxes(strip)
        acc = RowBandAccumulator(self.channels, lay.height, strip.end - strip.start, strip.start)
        own = strip.stop - strip.start  # columns this strip finishes

        def exchange(row: int, sums: np.ndarray, weights: np.ndarray) -> None:
            if seam_in is not None:
                seam_in.add_to(row, sums[:, :, : seam_in.width], weights[:, : seam_in.width])
            if seam_out is not None:
                seam_out.save(row, sums[:, :, own:], weights[:, own:])

        def write(row: int, values: np.ndarray, weight: np.ndarray) -> None:
            writer.submit(row, strip.start, values[:, :, :own], weight[:, :own])

        first = 0
        for count, results in self._predicted(pool, boxes, len(strip.cols), progress, is_cancelled):
            first += count
            for box, mask, out in results:
                acc.add(np.concatenate([out, mask[None]]), self.weights, box.row // s, box.col // s)
            acc.flush(boxes[first].row // s if first < len(boxes) else None, write, exchange)
            progress(self.done / lay.tile_count, tr("Tile {0}/{1}").format(self.done, lay.tile_count))

    def _predicted(
        self,
        pool: ThreadPoolExecutor,
        boxes: Sequence[Box],
        n_cols: int,
        progress: ProgressCallback,
        is_cancelled: CancelCheck,
    ) -> Iterator[tuple[int, list[TileOutput]]]:
        """The model's outputs for ``boxes`` (one strip, row-major), batch by batch, in order.

        A model on the CPU keeps every core busy: the next batch is then read between batches, with GDAL
        decoding on all cores, since reading alongside would only slow the model's threads down. A model on
        a GPU leaves the CPU free: the next batch is read in ``pool`` while it runs.

        Yields:
            ``(n, outputs)``: the next ``n`` boxes and the outputs of those with a valid pixel.
        """
        reader = TileReader(self.grid, self.readers, self.modalities, columns_of(boxes))
        ahead = not runs_on_cpu(self.predictor)

        def read(chunk: Sequence[Box]) -> Callable[[], TileBatch]:
            return pool.submit(reader.read, chunk).result if ahead else partial(reader.read, chunk)

        first = 0
        chunk = boxes[: chunk_end(0, len(boxes), n_cols, self.backoff.batch_size)]
        pending = read(chunk)
        while chunk:
            check_cancel(is_cancelled)
            tiles = pending().with_valid_pixels()
            self.skipped += len(chunk) - len(tiles)
            on_step = self._steps(self.done, len(chunk), progress, is_cancelled)
            count, first = len(chunk), first + len(chunk)
            self.done += count
            chunk = boxes[first : chunk_end(first, len(boxes), n_cols, self.backoff.batch_size)]
            if chunk:
                pending = read(chunk)
            outputs = self.backoff.run(
                lambda items, cb=on_step: predict_tiles(self.predictor, items, cb), tiles
            )
            yield count, tile_outputs(tiles, outputs, self.layout.scale)

    def _steps(
        self, first: int, count: int, progress: ProgressCallback, is_cancelled: CancelCheck
    ) -> StepCallback:
        """Progress and cancel checks between the diffusion steps of tiles ``first + 1 .. first + count``."""
        total = self.layout.tile_count

        def on_step(step: int, num_steps: int) -> None:
            check_cancel(is_cancelled)
            progress(
                (first + count * step / num_steps) / total,
                tr("Tiles {0}-{1}/{2}: step {3}/{4}").format(
                    first + 1, first + count, total, step, num_steps
                ),
            )

        return on_step


def sinks_block_width(sinks: Sequence[Sink]) -> int:
    """Strips must start at multiples of every sink's block width."""
    return math.lcm(*(sink.block_width for sink in sinks))
