"""``embedding_change``: cosine distance between the embeddings of two dates, on date A's grid.

Date B is read on A's grid (warped, bilinear, when the grids differ). The distance ``1 - cos`` lies in
[0, 2] whatever the model or scene, so maps of different scenes and tiles share one scale. The reason raster
says why a pixel has no distance: 1 nodata in A, 2 nodata in B, 3 outside B's extent (checked in that order).
"""

from __future__ import annotations

import numpy as np
from rasterio.warp import transform as transform_points
from rasterio.warp import transform_bounds

from ..errors import InputError
from ..grid import Box, Grid, bounds_overlap
from ..i18n import tr
from ..jobs import CancelCheck, JobResult, ProgressCallback
from ..products import PRODUCTS
from .embedding_raster import EmbeddingRaster, cancel_checker, open_embeddings
from .outputs import OutputSet

VALID, NODATA_A, NODATA_B, OUTSIDE = 0, 1, 2, 3  # the classes of the "change_reason" product


def cosine_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``1 - cos`` of (..., D) vector pairs in [0, 2]; 1 where either vector is all zeros."""
    rows = "...d,...d->..."  # no-i18n: einsum subscripts (row-wise dot products)
    dot = np.einsum(rows, a, b)
    norms = np.sqrt(np.einsum(rows, a, a) * np.einsum(rows, b, b))
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.where(norms > 0, dot / norms, 0.0)
    return (1.0 - np.clip(cos, -1.0, 1.0)).astype(np.float32)


def inside_footprint(grid: Grid, box: Box, other: Grid) -> np.ndarray:
    """(h, w) bool: the centres of ``box``'s pixels fall inside ``other``'s extent."""
    rows, cols = np.mgrid[box.row : box.row + box.height, box.col : box.col + box.width]
    xs, ys = grid.transform * (cols.ravel() + 0.5, rows.ravel() + 0.5)
    if other.crs != grid.crs:
        xs, ys = transform_points(grid.crs, other.crs, xs, ys)
    c, r = ~other.transform * (np.asarray(xs), np.asarray(ys))
    ok = (c >= 0) & (c < other.width) & (r >= 0) & (r < other.height)
    return ok.reshape(rows.shape)


def change_map(
    a_path: str,
    a_label: str,
    b_path: str,
    b_label: str,
    output: str,
    reason: str | None = None,
    progress: ProgressCallback = lambda f, m: None,
    is_cancelled: CancelCheck = lambda: False,
) -> JobResult:
    """Write the cosine distance (float32, NaN where no distance) and, optionally, the reason raster (uint8).

    Raises:
        InputError: the feature counts or embedding models differ, or the rasters do not overlap.
    """
    check = cancel_checker(is_cancelled)
    with open_embeddings(a_path, a_label) as a:
        b_info = open_embeddings(b_path, b_label)
        if b_info.features != a.features:
            raise InputError(
                tr(
                    "INPUT_B '{0}' has {1} features, INPUT_A '{2}' has {3}. "
                    "Compare embeddings of the same model."
                ).format(b_label, b_info.features, a_label, a.features)
            )
        if a.model != b_info.model:
            raise InputError(
                tr(
                    "INPUT_A '{0}' holds embeddings of {1}, INPUT_B '{2}' of "
                    "{3}. Compare embeddings of the same model."
                ).format(
                    a_label,
                    a.model or tr("an unknown model"),
                    b_label,
                    b_info.model or tr("an unknown model"),
                )
            )
        b_bounds = transform_bounds(b_info.grid.crs, a.grid.crs, *b_info.grid.bounds, densify_pts=21)
        if not bounds_overlap(a.grid.bounds, b_bounds):
            raise InputError(
                tr(
                    "INPUT_A '{0}' and INPUT_B '{1}' do not overlap. Choose embeddings of the same area."
                ).format(a_label, b_label)
            )
        with EmbeddingRaster(b_path, b_label, grid=a.grid) as b:
            rasters = [output] + ([reason] if reason else [])
            tags = {"TERRAMIND_WORKBENCH": "change", "TERRAMIND_SOURCE": f"{a_label} -> {b_label}"}
            label = tr("change from {0} to {1}").format(a_label, b_label)
            with OutputSet(a.grid, rasters, [], [a_path, b_path], label, tags) as outputs:
                dist_out = outputs.raster(PRODUCTS["change"], output)
                reason_out = outputs.raster(PRODUCTS["change_reason"], reason) if reason else None
                boxes = list(a.windows(a.strip_width(dist_out.writer.block_w)))
                for i, box in enumerate(boxes):
                    check()
                    va, ok_a = a.read(box)
                    vb, ok_b = b.read(box)
                    inside = inside_footprint(a.grid, box, b_info.grid)
                    why = np.where(
                        ~ok_a, NODATA_A, np.where(~inside, OUTSIDE, np.where(~ok_b, NODATA_B, VALID))
                    )
                    dist = cosine_distance(va, vb)
                    dist[why != VALID] = np.nan
                    dist_out.write(box.row, box.col, dist)
                    if reason_out is not None:
                        reason_out.write(box.row, box.col, why.astype(np.uint8))
                    progress((i + 1) / len(boxes), tr("Change"))
                return outputs.commit()
