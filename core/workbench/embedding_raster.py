"""Read any multi-band embedding raster (one band per feature) in windows, with its nodata.

A pixel is nodata where any feature is NaN/inf or where every feature equals the file's nodata value (the
rule ``core.raster_io.InputReader`` applies to every input). Windows are vertical strips of
``strip_width`` columns read top to bottom, the order ``GeoTiffWriter`` writes, sized so that one window
holds at most ``WINDOW_BYTES`` of float32 vectors whatever the raster's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Callable

import numpy as np

from ..errors import InputError, JobCancelled
from ..grid import Box, Grid
from ..i18n import tr
from ..jobs import CancelCheck
from ..pipeline import gdal_cache_limit
from ..raster_io import InputReader, RasterInfo, inspect_raster

#: Float32 vectors held per window (bounded memory on any raster size).
WINDOW_BYTES = 16 * 2**20
#: GDAL block cache while a raster is open: rows of blocks of a strip (GDAL's default grows with RAM).
GDAL_CACHE_BYTES = 128 * 2**20
#: Dataset tag naming the model that wrote an embedding raster (``core.predictor``).
MODEL_TAG = "TERRAMIND_MODEL"


class EmbeddingRaster:
    """An open embedding raster. Use as a context manager.

    Args:
        path: the raster file.
        label: the name used in messages (the layer name).
        grid: the grid to read on (default: the raster's own); another grid is warped onto (bilinear).
    """

    def __init__(self, path: str, label: str, grid: Grid | None = None):
        self.info: RasterInfo = inspect_raster(path, label)
        self.grid = grid or self.info.grid
        self.model = _model_tag(path)
        self._reader = InputReader(self.info, range(1, self.info.count + 1), self.grid)
        self._cache = gdal_cache_limit(GDAL_CACHE_BYTES)

    @property
    def label(self) -> str:
        return self.info.label

    @property
    def features(self) -> int:
        """Vector length (band count)."""
        return self.info.count

    def __enter__(self) -> EmbeddingRaster:
        self._cache.__enter__()
        try:
            self._reader.__enter__()
        except BaseException:
            self._cache.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._reader.close()
        finally:
            self._cache.__exit__(None, None, None)

    def read(self, box: Box) -> tuple[np.ndarray, np.ndarray]:
        """``(vectors, valid)``: (h, w, D) float32 and (h, w) bool of ``box``."""
        data, valid = self._reader.read(box)
        return np.moveaxis(data, 0, -1), valid

    def strip_width(self, block_w: int) -> int:
        """Strip width: a multiple of ``block_w`` (an output's block width) with >= 64 rows per window."""
        per_col = 64 * self.features * 4
        return min(max(block_w, WINDOW_BYTES // per_col // block_w * block_w), self.grid.width)

    def windows(self, strip_width: int) -> Iterator[Box]:
        """Windows of ``strip_width`` columns, strip by strip, each top to bottom."""
        rows = max(16, WINDOW_BYTES // (strip_width * self.features * 4) // 16 * 16)
        for col in range(0, self.grid.width, strip_width):
            w = min(strip_width, self.grid.width - col)
            for row in range(0, self.grid.height, rows):
                yield Box(row, col, min(rows, self.grid.height - row), w)

    def sample(self, count: int, seed: int, check_cancel: Callable[[], None]) -> np.ndarray:
        """About ``count`` valid vectors drawn uniformly at random: (N, D) float32 (all if fewer)."""
        total = self.grid.width * self.grid.height
        p = min(1.0, count / total)
        rng = np.random.default_rng(seed)
        parts = []
        for box in self.windows(self.strip_width(16)):
            check_cancel()
            vectors, valid = self.read(box)
            keep = valid & (rng.random(valid.shape) < p)
            parts.append(vectors[keep])
        return np.concatenate(parts) if parts else np.zeros((0, self.features), np.float32)


def open_embeddings(path: str, label: str) -> EmbeddingRaster:
    """Open an embedding raster and check it can hold vectors.

    Raises:
        InputError: unreadable, no georeferencing, or fewer than 2 bands.
    """
    raster = EmbeddingRaster(path, label)
    if raster.features < 2:
        raise InputError(
            tr(
                "Embedding raster '{0}' has {1} band; an embedding raster "
                "has one band per feature (at least 2). Choose the "
                "embeddings output of 'Patch embeddings' or another model's "
                "multi-band embedding GeoTIFF."
            ).format(label, raster.features)
        )
    return raster


def cancel_checker(is_cancelled: CancelCheck) -> Callable[[], None]:
    """A function that raises ``JobCancelled`` once ``is_cancelled()`` is true."""

    def check() -> None:
        if is_cancelled():
            raise JobCancelled(tr("Cancelled; no output was written."))

    return check


def _model_tag(path: str) -> str:
    import rasterio

    with rasterio.open(path) as src:
        return src.tags().get(MODEL_TAG, "")
