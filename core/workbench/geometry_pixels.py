"""Vector -> pixel step: the pixels of the embedding grid that each training or seed feature covers.

Geometries arrive as GeoJSON-like mappings already in the grid's CRS (the algorithms reproject them with
QGIS). A point takes the pixel under it; a polygon every pixel whose centre lies inside it (a polygon too
small to contain a pixel centre takes the pixels it touches); lines take the pixels they touch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rasterio.features import bounds as geometry_bounds
from rasterio.features import geometry_mask

from ..grid import Box, Grid
from .embedding_raster import WINDOW_BYTES, EmbeddingRaster

#: A GeoJSON geometry mapping: ``{"type": "Polygon", "coordinates": [...]}``.
Geometry = Mapping[str, Any]


@dataclass(frozen=True)
class Features:
    """Features of one vector layer, in the embedding raster's CRS.

    Attributes:
        label: the layer's name, used in messages.
        geometries: one GeoJSON geometry per feature.
        values: the class value of each feature (training layers only).
    """

    label: str
    geometries: Sequence[Geometry]
    values: Sequence[Any] = ()


def feature_pixels(grid: Grid, geometry: Geometry) -> tuple[np.ndarray, np.ndarray]:
    """``(rows, cols)`` int arrays of the grid pixels one geometry covers (empty outside the grid)."""
    kind = geometry.get("type", "")
    if kind in ("Point", "MultiPoint"):
        return _point_pixels(grid, geometry)
    if kind == "GeometryCollection":
        parts = [feature_pixels(grid, g) for g in geometry.get("geometries", ())]
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    box = _bounding_box(grid, geometry)
    if box.height == 0 or box.width == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    transform = grid.window_transform(box)
    shape = (box.height, box.width)
    inside = ~geometry_mask([geometry], shape, transform, all_touched=False)
    if not inside.any():
        inside = ~geometry_mask([geometry], shape, transform, all_touched=True)
    rows, cols = np.nonzero(inside)
    return rows + box.row, cols + box.col


def pixels_of_features(
    grid: Grid, geometries: Sequence[Geometry]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(rows, cols, feature)``: every covered pixel with the index of the geometry that covers it."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    for i, geometry in enumerate(geometries):
        r, c = feature_pixels(grid, geometry)
        rows.append(r)
        cols.append(c)
        owner.append(np.full(len(r), i, np.int64))
    if not rows:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(owner)


def _point_pixels(grid: Grid, geometry: Geometry) -> tuple[np.ndarray, np.ndarray]:
    coords = geometry["coordinates"]
    points = [coords] if geometry["type"] == "Point" else list(coords)
    inv = ~grid.transform
    rows, cols = [], []
    for p in points:
        col, row = inv * (float(p[0]), float(p[1]))
        r, c = math.floor(row), math.floor(col)
        if 0 <= r < grid.height and 0 <= c < grid.width:
            rows.append(r)
            cols.append(c)
    return np.array(rows, np.int64), np.array(cols, np.int64)


def _bounding_box(grid: Grid, geometry: Geometry) -> Box:
    """The grid window (clipped to the grid) holding the geometry's bounding box."""
    xmin, ymin, xmax, ymax = geometry_bounds(geometry)
    inv = ~grid.transform
    cols, rows = zip(*(inv * (x, y) for x in (xmin, xmax) for y in (ymin, ymax)))
    r0, c0 = math.floor(min(rows)), math.floor(min(cols))
    box = Box(r0, c0, math.ceil(max(rows)) - r0 + 1, math.ceil(max(cols)) - c0 + 1)
    return box.clip(grid.height, grid.width)


def read_pixel_vectors(
    raster: EmbeddingRaster, rows: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Vectors at the given pixels of an open ``EmbeddingRaster``, read window by window.

    Returns:
        ``(vectors, valid)``: (N, D) float32 in the order of ``rows``/``cols`` and (N,) bool (not nodata).
    """
    vectors = np.zeros((len(rows), raster.features), np.float32)
    valid = np.zeros(len(rows), bool)
    if not len(rows):
        return vectors, valid
    block = max(16, int(math.sqrt(WINDOW_BYTES / (raster.features * 4))))
    keys = (rows // block) * (raster.grid.width // block + 1) + cols // block
    for key in np.unique(keys):
        sel = np.nonzero(keys == key)[0]
        r0, c0 = int(rows[sel].min()), int(cols[sel].min())
        box = Box(r0, c0, int(rows[sel].max()) - r0 + 1, int(cols[sel].max()) - c0 + 1)
        data, ok = raster.read(box)
        vectors[sel] = data[rows[sel] - r0, cols[sel] - c0]
        valid[sel] = ok[rows[sel] - r0, cols[sel] - c0]
    return vectors, valid
