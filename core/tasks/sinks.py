"""Outputs of ``Task.SEGMENT``: the paletted class raster, per-class probabilities and the area table.

The sink receives blended logits; classes are their argmax and probabilities their softmax. Areas are
summed per class as rows arrive (pixel areas per row, so geographic grids are measured on the sphere) and
written as CSV (class, name, pixels, hectares, percent of the valid area) and to the run's log.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import math
from collections.abc import Sequence

import numpy as np

from ..grid import Grid
from ..i18n import tr
from ..outputs import Sink, _rgba
from ..products import PRODUCTS, ClassInfo
from ..raster_io import category_names_xml
from ..run_files import RunFiles, style_path
from ..styles import style_xml

__all__ = ["SegmentSink", "row_pixel_areas", "area_table"]

log = logging.getLogger(__name__)

EARTH_RADIUS_M = 6371008.8  # mean radius (IUGG): area of geographic pixels on the sphere


def row_pixel_areas(grid: Grid, row: int, count: int) -> np.ndarray:
    """Area in m^2 of one pixel in each of rows ``[row, row + count)`` of a north-up grid."""
    t = grid.transform
    if grid.crs is not None and grid.crs.is_geographic:
        lat = t.f + t.e * (row + np.arange(count + 1))  # row edges, degrees
        band = np.abs(np.diff(np.sin(np.radians(np.clip(lat, -90, 90)))))
        return EARTH_RADIUS_M**2 * abs(math.radians(t.a)) * band
    factor = grid.crs.linear_units_factor[1] if grid.crs is not None else 1.0
    return np.full(count, abs(t.a * t.e - t.b * t.d) * factor**2)


def area_table(names: Sequence[str], pixels: np.ndarray, square_m: np.ndarray) -> list[tuple]:
    """Rows ``(class, name, pixels, hectares, percent of valid area)``."""
    total = float(square_m.sum())
    return [
        (i, name, int(pixels[i]), square_m[i] / 1e4, 100.0 * square_m[i] / total if total else 0.0)
        for i, name in enumerate(names)
    ]


class SegmentSink(Sink):
    """Writes the class raster (``segment``), optional ``probabilities`` raster and ``areas`` CSV."""

    def __init__(
        self,
        outputs: dict[str, str],
        grid: Grid,
        classes: Sequence[tuple[str, str]],
        tags: dict[str, str],
        files: RunFiles,
    ):
        super().__init__(files)
        self.outputs, self.grid = outputs, grid
        # the table's product with this model's classes
        infos = tuple(ClassInfo(i, name, color) for i, (name, color) in enumerate(classes))
        self.product = dataclasses.replace(PRODUCTS["segment"], classes=infos)
        self.names = list(self.product.class_names)
        p = self.product
        cmap = {c.value: _rgba(c.color) for c in infos}
        self.classes = self._open(
            outputs["segment"], grid, 1, p.dtype, nodata=p.nodata, descriptions=list(p.band_names), tags=tags,
            colormap=cmap,
        )  # fmt: skip
        self.classes.set_band_tags(1, CLASS_NAMES=",".join(self.names))
        self.probs = None
        if outputs.get("probabilities"):
            q = PRODUCTS["probabilities"]
            self.probs = self._open(
                outputs["probabilities"], grid, len(self.names), q.dtype, nodata=float("nan"),
                descriptions=[f"P({n})" for n in self.names], tags=tags,
            )  # fmt: skip
        self.pixels = np.zeros(len(self.names), dtype=np.int64)
        self.square_m = np.zeros(len(self.names), dtype=np.float64)

    def write(self, row: int, col: int, values: np.ndarray, valid: np.ndarray) -> None:
        classes = values.argmax(axis=0).astype(np.uint8)
        areas = row_pixel_areas(self.grid, row, valid.shape[0])
        k = len(self.names)
        for r in range(valid.shape[0]):
            counts = np.bincount(classes[r][valid[r]], minlength=k)
            self.pixels += counts
            self.square_m += counts * areas[r]
        classes[~valid] = self.product.nodata
        self.classes.write_rows(row, classes[None], col)
        if self.probs is not None:
            z = values - values.max(axis=0, keepdims=True)
            np.exp(z, out=z)
            z /= z.sum(axis=0, keepdims=True)
            z[:, ~valid] = np.nan
            self.probs.write_rows(row, z.astype(np.float32), col)

    def table_text(self) -> str:
        """The area table as CSV text."""
        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\n")
        out.writerow(["class", "name", "pixels", "hectares", "percent_of_valid_area"])
        for i, name, pixels, ha, pct in area_table(self.names, self.pixels, self.square_m):
            out.writerow([i, name, pixels, f"{ha:.4f}", f"{pct:.4f}"])
        return buf.getvalue()

    def table_lines(self) -> list[str]:
        """The area table for a log, one line per class."""
        return [
            tr("Class {0} {1}: {2} pixels, {3:.2f} ha, {4:.2f}% of the valid area").format(
                i, name, pixels, ha, pct
            )
            for i, name, pixels, ha, pct in area_table(self.names, self.pixels, self.square_m)
        ]

    def commit(self) -> dict[str, str]:
        path = self.outputs["segment"]
        self.classes.set_band_tags(1, AREAS="\n".join(self.table_lines()))
        done = {"segment": self.classes.commit()}
        self.files.write_text(path + ".aux.xml", category_names_xml(self.names))
        self.styles["segment"] = self.files.write_text(style_path(path), style_xml(self.product, []))
        if self.probs is not None:
            done["probabilities"] = self.probs.commit()
        if self.outputs.get("areas"):
            done["areas"] = self.files.write_text(self.outputs["areas"], self.table_text())
        for line in self.table_lines():
            log.info("%s", line)
        return done
