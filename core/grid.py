"""The output grid (CRS, transform, size) and integer window arithmetic (docs/architecture.md §3).

The grid-defining raster (the optical input) fixes the pixel grid of every output; an area of interest
selects a whole-pixel sub-window of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from affine import Affine
from rasterio.crs import CRS
from rasterio.errors import CRSError
from rasterio.warp import transform_bounds

from .errors import InputError
from .i18n import tr
from .jobs import Area


class Box(NamedTuple):
    """An integer pixel window: rows ``[row, row + height)``, columns ``[col, col + width)``."""

    row: int
    col: int
    height: int
    width: int

    def clip(self, height: int, width: int) -> Box:
        """Intersection with ``[0, height) x [0, width)`` (may be empty: height or width 0)."""
        r0, c0 = max(self.row, 0), max(self.col, 0)
        r1, c1 = min(self.row + self.height, height), min(self.col + self.width, width)
        return Box(r0, c0, max(r1 - r0, 0), max(c1 - c0, 0))


@dataclass(frozen=True)
class Grid:
    """A north-up pixel grid.

    Attributes:
        crs: coordinate reference system (rasterio ``CRS``).
        transform: affine pixel -> CRS transform of the top-left corner.
        width, height: size in pixels.
    """

    crs: CRS
    transform: Affine
    width: int
    height: int

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` in ``crs``."""
        x0, y0 = self.transform * (0, 0)
        x1, y1 = self.transform * (self.width, self.height)
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    def window_transform(self, box: Box) -> Affine:
        """Transform of the sub-grid whose top-left pixel is ``box``'s."""
        return self.transform * Affine.translation(box.col, box.row)

    def coarsened(self, factor: int) -> Grid:
        """The grid of ``factor`` x ``factor`` pixel blocks (16: patch embeddings); partial blocks count."""
        return Grid(
            self.crs,
            self.transform * Affine.scale(factor),
            math.ceil(self.width / factor),
            math.ceil(self.height / factor),
        )

    def same_as(self, other: Grid) -> bool:
        """True if both grids have the same CRS, size and (to 1e-6 pixel) transform."""
        return (
            self.crs == other.crs
            and (self.width, self.height) == (other.width, other.height)
            and self.transform.almost_equals(other.transform, precision=1e-6 * abs(self.transform.a))
        )

    def offset_in(self, other: Grid) -> tuple[int, int] | None:
        """Integer ``(row, col)`` of this grid's origin in ``other``'s pixels, if they share a lattice."""
        if self.crs != other.crs:
            return None
        a, o = self.transform, other.transform
        if not (math.isclose(a.a, o.a, rel_tol=1e-9) and math.isclose(a.e, o.e, rel_tol=1e-9)):
            return None
        if a.b != 0 or a.d != 0 or o.b != 0 or o.d != 0:
            return None
        col, row = ~o * (a.c, a.f)
        if abs(col - round(col)) > 1e-6 or abs(row - round(row)) > 1e-6:
            return None
        return int(round(row)), int(round(col))


def north_up(grid: Grid) -> Grid:
    """The same pixels with rows running north to south (a south-up grid flipped; others unchanged)."""
    t = grid.transform
    if t.e <= 0:
        return grid
    return Grid(grid.crs, Affine(t.a, t.b, t.c, t.d, -t.e, t.f + t.e * grid.height), grid.width, grid.height)


def parse_crs(text: str, what: str) -> CRS:
    """Parse ``"EPSG:n"`` or WKT; raises ``InputError`` naming ``what``."""
    try:
        return CRS.from_user_input(text)
    except (CRSError, ValueError, TypeError) as exc:
        raise InputError(
            tr("The CRS of {0} ({1!r}) is not valid: {2}. Use 'EPSG:<code>' or WKT.").format(
                what, str(text)[:60], exc
            )
        ) from exc


def bounds_overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """True if two ``(xmin, ymin, xmax, ymax)`` boxes share a region of non-zero area."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def grid_for_area(raster: Grid, area: Area | None, label: str) -> Grid:
    """The whole-pixel sub-grid of ``raster`` covering ``area`` (``None``: the whole raster).

    Raises:
        InputError: the area does not overlap the raster ``label``.
    """
    if area is None:
        return raster
    area_crs = parse_crs(area.crs, tr("the area of interest"))
    xmin, ymin, xmax, ymax = area.bounds
    if not (xmin < xmax and ymin < ymax):
        raise InputError(
            tr("The area of interest {0} is empty: give (xmin, ymin, xmax, ymax) with min < max.").format(
                area.bounds
            )
        )
    box = transform_bounds(area_crs, raster.crs, xmin, ymin, xmax, ymax, densify_pts=21)
    if not bounds_overlap(box, raster.bounds):
        raise InputError(
            tr(
                "The area of interest does not overlap '{0}'. Choose an area inside the layer's extent."
            ).format(label)
        )
    inv = ~raster.transform
    cols, rows = zip(*(inv * (x, y) for x in (box[0], box[2]) for y in (box[1], box[3])))
    c0, c1 = max(int(math.floor(min(cols) + 1e-9)), 0), min(int(math.ceil(max(cols) - 1e-9)), raster.width)
    r0, r1 = max(int(math.floor(min(rows) + 1e-9)), 0), min(int(math.ceil(max(rows) - 1e-9)), raster.height)
    if c1 <= c0 or r1 <= r0:
        raise InputError(
            tr("The area of interest covers no whole pixel of '{0}'. Choose a larger area.").format(label)
        )
    return Grid(raster.crs, raster.window_transform(Box(r0, c0, r1 - r0, c1 - c0)), c1 - c0, r1 - r0)
