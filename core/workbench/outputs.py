"""The workbench's output files: float and class rasters, JSON/HTML/model files, written all-or-nothing.

``OutputSet`` collects every file a tool writes. Rasters go through ``GeoTiffWriter`` (temp file, renamed
on commit); other files are written to a temp name next to the target and renamed on commit. On any error
or cancel, ``abort`` removes every temp file, so no partial output is left and nothing else is touched.
"""

from __future__ import annotations

import datetime
import os
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..grid import Grid
from ..jobs import JobResult
from ..outputs import style_path
from ..pipeline import plugin_version
from ..qml import write_paletted_qml, write_pseudocolor_qml
from ..raster_io import GeoTiffWriter, check_writable, remove_quietly, write_category_names

CLASS_NODATA = 0
HEAT_RAMP = ("#0d0887", "#7e03a8", "#cc4778", "#f89540", "#f0f921")  # low -> high (plasma)
CLASS_COLORS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78",
)  # fmt: skip


def class_color(index: int) -> str:
    """Colour of the ``index``-th class (0-based), cycling through ``CLASS_COLORS``."""
    return CLASS_COLORS[index % len(CLASS_COLORS)]


class FloatOutput:
    """A float32 single-band raster with NaN nodata; styled as a colour ramp over its value range."""

    def __init__(self, writer: GeoTiffWriter, fixed_range: Optional[Tuple[float, float]] = None):
        self.writer, self.fixed_range = writer, fixed_range
        self.vmin, self.vmax = np.inf, -np.inf

    def write(self, row: int, col: int, values: np.ndarray) -> None:
        """(h, w) values, NaN = nodata."""
        finite = values[np.isfinite(values)]
        if finite.size:
            self.vmin, self.vmax = min(self.vmin, float(finite.min())), max(self.vmax, float(finite.max()))
        self.writer.write_rows(row, values[None], col)

    def style(self) -> Optional[str]:
        lo, hi = self.fixed_range or (self.vmin, self.vmax)
        if not np.isfinite([lo, hi]).all():
            return None
        return write_pseudocolor_qml(
            style_path(self.writer.path), lo, hi if hi > lo else lo + 1e-6, HEAT_RAMP
        )


class ClassOutput:
    """An integer class raster: 0 = nodata, a colour table, category names and a paletted style."""

    def __init__(self, writer: GeoTiffWriter, classes: Sequence[Tuple[int, str, str]]):
        self.writer, self.classes = writer, list(classes)

    def write(self, row: int, col: int, values: np.ndarray) -> None:
        self.writer.write_rows(row, values[None], col)

    def style(self) -> str:
        top = max(v for v, _c, _n in self.classes)
        names = [""] * (top + 1)
        for value, _color, name in self.classes:
            names[value] = name
        write_category_names(self.writer.path, names)
        return write_paletted_qml(style_path(self.writer.path), self.classes)


class OutputSet:
    """Every output file of one tool run; ``commit`` renames all of them, ``abort`` removes all temp files."""

    def __init__(self, grid: Grid, tags: Dict[str, str]):
        self.grid, self.tags = (
            grid,
            dict(tags, TERRAMIND_PLUGIN_VERSION=plugin_version(), TERRAMIND_CREATED=_now()),
        )
        self._rasters: List[Tuple[str, object]] = []
        self._files: List[Tuple[str, str, str]] = []  # (kind, temp path, path)

    def float_raster(self, kind: str, path: str, description: str, fixed_range=None) -> FloatOutput:
        writer = GeoTiffWriter(
            path, self.grid, 1, "float32", nodata=float("nan"), descriptions=[description], tags=self.tags
        )
        out = FloatOutput(writer, fixed_range)
        self._rasters.append((kind, out))
        return out

    def class_raster(
        self,
        kind: str,
        path: str,
        description: str,
        classes: Sequence[Tuple[int, str, str]],
        nodata: Optional[int] = CLASS_NODATA,
    ) -> ClassOutput:
        """``classes``: ``(value, "#rrggbb", name)``; values up to 255 (uint8) or 65535 (uint16)."""
        top = max(v for v, _c, _n in classes)
        dtype = "uint8" if top <= 255 else "uint16"
        cmap = {v: _rgba(c) for v, c, _n in classes} if dtype == "uint8" else None
        writer = GeoTiffWriter(
            path,
            self.grid,
            1,
            dtype,
            nodata=nodata,
            descriptions=[description],
            tags=self.tags,
            colormap=cmap,
        )
        out = ClassOutput(writer, classes)
        self._rasters.append((kind, out))
        return out

    def file(self, kind: str, path: str, write: Callable[[str], None]) -> None:
        """Write a non-raster output now, to a temp file renamed on ``commit``: ``write(temp_path)``."""
        check_writable(path)
        root, ext = os.path.splitext(path)
        tmp = f"{root}.part{ext}"
        self._files.append((kind, tmp, path))
        write(tmp)

    def commit(self) -> JobResult:
        outputs, styles = {}, {}
        for kind, out in self._rasters:
            outputs[kind] = out.writer.commit()
            qml = out.style()
            if qml:
                styles[kind] = qml
        for kind, tmp, path in self._files:
            os.replace(tmp, path)
            outputs[kind] = path
        return JobResult(outputs=outputs, styles=styles)

    def abort(self) -> None:
        for _kind, out in self._rasters:
            out.writer.abort()
        for _kind, tmp, _path in self._files:
            remove_quietly(tmp)


def _rgba(color: str) -> Tuple[int, int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), 255


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
