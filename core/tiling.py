"""Tile windows with overlap, vertical strips of tiles, blend weights, and the weighted row-band accumulator.

Overlapping tiles are blended with a raised-cosine window (docs/architecture.md §3): each tile's weight rises
smoothly from almost 0 at its border to 1 inside, so a pixel's value is the weighted mean of every tile
covering it and no seam appears where tiles meet. The weight never reaches 0 inside a tile, so pixels at
the scene border (covered by a single tile's border) are still defined.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .grid import Box


def tile_origins(length: int, tile: int, overlap: int, align: int = 1) -> list[int]:
    """Start offsets of windows of size ``tile`` covering ``[0, length)`` with at least ``overlap`` overlap.

    The last window ends exactly at ``length`` rounded up to ``align`` (or starts at 0 if the length is
    shorter than a tile: that single window is padded). Offsets are multiples of ``align`` when ``tile`` and
    ``overlap`` are.
    """
    if tile <= 0 or not 0 <= overlap < tile:
        raise ValueError(f"need tile > 0 and 0 <= overlap < tile, got tile={tile}, overlap={overlap}")
    padded = int(math.ceil(length / align) * align)
    if padded <= tile:
        return [0]
    stride = tile - overlap
    origins = list(range(0, padded - tile, stride))
    origins.append(padded - tile)
    return origins


def tile_boxes(height: int, width: int, tile: int, overlap: int, align: int = 1) -> list[Box]:
    """Row-major list of square tile windows covering a ``height`` x ``width`` grid."""
    rows = tile_origins(height, tile, overlap, align)
    cols = tile_origins(width, tile, overlap, align)
    return [Box(r, c, tile, tile) for r in rows for c in cols]


@dataclass(frozen=True)
class Strip:
    """A vertical strip of the tile grid: its tiles run top to bottom before the next strip's.

    Attributes:
        cols: column origins of its tiles.
        start, stop: the columns ``[start, stop)`` this strip finishes; the next strip starts at ``stop``.
        end: right edge of its tiles (clipped to the grid). Columns ``[stop, end)`` also get contributions
            from the next strip's tiles, so their partial sums are handed over to it.
    """

    cols: tuple[int, ...]
    start: int
    stop: int
    end: int


def plan_strips(
    origins: Sequence[int], tile: int, width: int, cut_step: int = 1, max_width: int | None = None
) -> list[Strip]:
    """Group tile columns into strips at most ``max_width`` wide, cut at multiples of ``cut_step``.

    The accumulator of a strip spans ``[start, end)``, so memory is bounded by ``max_width`` instead of the
    grid width. A strip grows beyond ``max_width`` only where no cut at a multiple of ``cut_step`` (an
    output file's block width) falls inside it. Every tile column belongs to exactly one strip.

    Args:
        origins: column origins of the tiles, increasing, from ``tile_origins``.
        tile: tile side; tiles overlap or touch (``origins[i + 1] <= origins[i] + tile``).
        width: grid width.
        cut_step: strips start at multiples of this (except the first, at 0).
        max_width: target width of a strip's tiles (``None``: a single strip).
    """
    limit = math.inf if max_width is None else max_width
    strips: list[Strip] = []
    start, i, n = 0, 0, len(origins)
    while i < n:
        j = i
        while j + 1 < n and origins[j + 1] + tile - start <= limit:
            j += 1
        while j + 1 < n and origins[j + 1] // cut_step * cut_step <= start:
            j += 1
        stop = width if j + 1 == n else origins[j + 1] // cut_step * cut_step
        strips.append(Strip(tuple(origins[i : j + 1]), start, stop, min(origins[j] + tile, width)))
        start, i = stop, j + 1
    return strips


def blend_ramp(size: int, overlap: int) -> np.ndarray:
    """1-D weights (size,) float32: raised cosine over ``overlap`` px at each end, 1 in between, never 0."""
    w = np.ones(size, dtype=np.float64)
    n = min(overlap, size // 2)
    if n > 0:
        i = np.arange(n, dtype=np.float64)
        ramp = 0.5 - 0.5 * np.cos(np.pi * (i + 0.5) / n)
        w[:n] = ramp
        w[size - n :] = ramp[::-1]
    return w.astype(np.float32)


def blend_weights(size: int, overlap: int) -> np.ndarray:
    """2-D tile weights (size, size) float32: outer product of ``blend_ramp``."""
    r = blend_ramp(size, overlap)
    return np.outer(r, r)


def pad_tile(data: np.ndarray, valid: np.ndarray, inner: Box, tile: int) -> tuple[np.ndarray, np.ndarray]:
    """Place a clipped read into a full tile, mirroring data into the part outside the grid.

    Args:
        data: (C, h, w) values read for the in-grid part of the tile.
        valid: (h, w) bool mask of valid pixels.
        inner: where the read lies inside the tile (row, col offsets and its size).
        tile: tile side.

    Returns:
        ``(C, tile, tile)`` data and ``(tile, tile)`` mask (False outside the grid).
    """
    if data.shape[1:] == (tile, tile):
        return data, valid
    pads = ((inner.row, tile - inner.row - inner.height), (inner.col, tile - inner.col - inner.width))
    out = np.pad(data, ((0, 0),) + pads, mode="symmetric")
    mask = np.pad(valid, pads, mode="constant", constant_values=False)
    return out, mask


def fill_invalid(data: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Replace invalid pixels (and NaNs) of a (C, H, W) tile by the per-band mean of its valid pixels.

    Valid pixels of ``InputReader.read`` are finite, so a tile without invalid pixels is returned as it is.
    """
    if valid.all():
        return data
    out = data.copy()
    for c in range(out.shape[0]):
        band = out[c]
        ok = valid & np.isfinite(band)
        fill = float(band[ok].mean()) if ok.any() else 0.0
        band[~ok] = fill
    return out


class RowBandAccumulator:
    """Weighted sum of overlapping tile outputs over a band of rows of the output grid.

    It covers the grid columns ``[col, col + width)`` (one strip) and keeps only rows not yet handed back,
    so memory grows with the strip width and the rows spanned by the tiles in flight, not with the grid.
    Tiles must arrive in non-decreasing row order of their origin, and ``flush(upto, consume)`` is called
    only once no later tile touches rows above ``upto``.

    Args:
        channels: C, number of values per pixel.
        height: output grid height (pixels at output resolution).
        width: number of columns covered.
        col: first grid column covered.
    """

    def __init__(self, channels: int, height: int, width: int, col: int = 0):
        self.channels, self.height, self.width, self.col = channels, height, width, col
        self.top = 0  # first row not yet flushed
        self._used = 0  # rows [top, top + used) hold sums
        self._sums = np.zeros((channels, 0, width), dtype=np.float32)
        self._weights = np.zeros((0, width), dtype=np.float32)

    def _ensure(self, row_end: int) -> None:
        """Make rows up to ``row_end`` addressable; the buffers only grow when a tile reaches further down."""
        need = min(row_end, self.height) - self.top
        if need > self._weights.shape[0]:
            sums = np.zeros((self.channels, need, self.width), dtype=np.float32)
            weights = np.zeros((need, self.width), dtype=np.float32)
            sums[:, : self._used] = self._sums[:, : self._used]
            weights[: self._used] = self._weights[: self._used]
            self._sums, self._weights = sums, weights
        self._used = max(self._used, need)

    def add(self, values: np.ndarray, weights: np.ndarray, row: int, col: int) -> None:
        """Add a tile's (C, t, t) ``values`` with (t, t) ``weights`` at grid position ``(row, col)``.

        The part of the tile outside the covered columns is ignored.
        """
        t_h, t_w = weights.shape
        box = Box(row, col - self.col, t_h, t_w).clip(self.height, self.width)
        if box.height == 0 or box.width == 0:
            return
        if box.row < self.top:
            raise ValueError(f"tile at row {row} arrives after rows up to {self.top} were flushed")
        self._ensure(box.row + box.height)
        r, c = box.row - row, box.col - (col - self.col)
        w = weights[r : r + box.height, c : c + box.width]
        v = values[:, r : r + box.height, c : c + box.width]
        rs = slice(box.row - self.top, box.row - self.top + box.height)
        cs = slice(box.col, box.col + box.width)
        self._sums[:, rs, cs] += v * w
        self._weights[rs, cs] += w

    def flush(
        self,
        upto: int | None,
        consume: Callable[[int, np.ndarray, np.ndarray], None],
        exchange: Callable[[int, np.ndarray, np.ndarray], None] | None = None,
    ) -> None:
        """Hand finished rows ``[top, upto)`` (``None``: all remaining rows) to ``consume``, then drop them.

        ``consume(row, values, weight)`` gets the first row, (C, n, width) weighted means (0 where the
        weight is 0) and the (n, width) weight sum (0 = no tile covered the pixel). ``exchange(row, sums,
        weight)``, called first, sees the unnormalised sums and may add to them (a neighbouring strip's
        share) or save part of them. Arrays are views into the buffers, valid only during the call; nothing
        is called if no row is finished.
        """
        upto = self.height if upto is None else min(upto, self.height)
        n = upto - self.top
        if n <= 0:
            return
        self._ensure(upto)
        sums, weights = self._sums[:, :n], self._weights[:n]
        if exchange is not None:
            exchange(self.top, sums, weights)
        np.divide(
            sums, np.maximum(weights, np.float32(1e-30)), out=sums
        )  # sums are 0 where no weight was added
        consume(self.top, sums, weights)
        rest = self._used - n
        for start in range(
            0, rest, n
        ):  # shift the unfinished rows up in non-overlapping steps (no temp copy)
            stop = min(start + n, rest)
            self._sums[:, start:stop] = self._sums[:, n + start : n + stop]
            self._weights[start:stop] = self._weights[n + start : n + stop]
        self._sums[:, rest : self._used] = 0
        self._weights[rest : self._used] = 0
        self._used, self.top = rest, upto
