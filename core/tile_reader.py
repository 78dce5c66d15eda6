"""Read tiles in batches through row bands: one read per input and tile row, cut into a batch array.

Tiles of one row overlap and share the input's blocks. Reading the whole row at once (a band as wide as
the strip being processed) lets GDAL decode its blocks on several threads in one request, and the tiles
are cut from it straight into the (B, C, T, T) arrays the model takes, so no per-tile read or stacking
copy is left. A tile partly outside the grid is mirrored into its missing part and marked invalid there;
invalid pixels take the per-band mean of the tile's valid ones (``tiling.fill_invalid``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

import numpy as np

from .grid import Box, Grid
from .raster_io import InputReader
from .tiling import fill_invalid, pad_tile


@dataclass
class TileBatch:
    """Tiles read together, one row per tile in every array.

    Attributes:
        boxes: the tiles on the grid.
        inputs: modality -> (B, C, T, T) float32 raw values.
        valid: (B, T, T) bool, valid in every input.
    """

    boxes: list[Box]
    inputs: dict[str, np.ndarray]
    valid: np.ndarray

    def __len__(self) -> int:
        return len(self.boxes)

    def __getitem__(self, index: slice | list[int]) -> TileBatch:
        """The tiles at ``index``: a slice gives views, a list of positions a copy."""
        boxes = self.boxes[index] if isinstance(index, slice) else [self.boxes[i] for i in index]
        return TileBatch(boxes, {m: v[index] for m, v in self.inputs.items()}, self.valid[index])

    def with_valid_pixels(self) -> TileBatch:
        """The tiles that have at least one valid pixel."""
        keep = self.valid.any(axis=(1, 2))
        return self if keep.all() else self[np.flatnonzero(keep).tolist()]

    @property
    def origins(self) -> list[tuple[int, int]]:
        """(row, col) of each tile on the grid."""
        return [(b.row, b.col) for b in self.boxes]


def columns_of(boxes: Sequence[Box]) -> tuple[int, int]:
    """Grid columns ``[start, stop)`` the row-major ``boxes`` of one strip cover (``TileReader``'s
    ``columns``)."""
    return boxes[0].col, max(b.col + b.width for b in boxes)


class TileReader:
    """Reads batches of square tiles of one size from the inputs, keeping the bands of the last batch's rows.

    Args:
        grid: the job's grid.
        readers: open inputs, in the order of ``modalities``.
        modalities: the key of each input in ``TileBatch.inputs``.
        columns: grid columns ``[start, stop)`` every band covers (a strip's tiles); ``None``: the columns
            of the tiles of each row of each batch.
    """

    def __init__(
        self,
        grid: Grid,
        readers: Sequence[InputReader],
        modalities: Sequence[str],
        columns: tuple[int, int] | None = None,
    ):
        self.grid, self.readers, self.modalities, self.columns = grid, readers, modalities, columns
        self._bands: dict[Box, list[tuple[np.ndarray, np.ndarray]]] = {}

    def read(self, boxes: Sequence[Box]) -> TileBatch:
        """Read ``boxes`` (at least one, row-major, all of one size) into a batch."""
        t = boxes[0].height
        batch = TileBatch(
            list(boxes),
            {
                m: np.empty((len(boxes), len(r.bands), t, t), np.float32)
                for m, r in zip(self.modalities, self.readers)
            },
            np.ones((len(boxes), t, t), dtype=bool),
        )
        bands: dict[Box, list[tuple[np.ndarray, np.ndarray]]] = {}
        i = 0
        for _, row_boxes in groupby(boxes, key=lambda b: b.row):
            row_boxes = list(row_boxes)
            band = self._band_box(row_boxes)
            if band not in bands:
                kept = self._bands.get(band)
                bands[band] = kept if kept is not None else [reader.read(band) for reader in self.readers]
            for box in row_boxes:
                self._cut(batch, i, box, band, bands[band])
                i += 1
        self._bands = bands
        return batch

    def _band_box(self, row_boxes: Sequence[Box]) -> Box:
        """The in-grid window holding a row of tiles."""
        first = row_boxes[0]
        start, stop = self.columns or (first.col, row_boxes[-1].col + row_boxes[-1].width)
        return Box(first.row, start, first.height, stop - start).clip(self.grid.height, self.grid.width)

    def _cut(
        self, batch: TileBatch, i: int, box: Box, band: Box, data: list[tuple[np.ndarray, np.ndarray]]
    ) -> None:
        """Tile ``i`` of ``batch`` from the bands ``data`` read on ``band``."""
        clipped = box.clip(self.grid.height, self.grid.width)
        inner = Box(clipped.row - box.row, clipped.col - box.col, clipped.height, clipped.width)
        rows = slice(clipped.row - band.row, clipped.row - band.row + clipped.height)
        cols = slice(clipped.col - band.col, clipped.col - band.col + clipped.width)
        for m, (values, ok) in zip(self.modalities, data):
            tile_ok = ok[rows, cols]
            tile, tile_ok = pad_tile(fill_invalid(values[:, rows, cols], tile_ok), tile_ok, inner, box.height)
            batch.inputs[m][i] = tile
            batch.valid[i] &= tile_ok
