"""The workbench's output files: class and float rasters plus JSON/HTML/model files, all-or-nothing.

``OutputSet`` is one run of ``core.run_files``: it claims the outputs, refuses an output that is an input
(by file identity), writes every file to a unique temp file renamed into place on ``commit``, and on any
error or cancel removes exactly the files it created. Kinds, titles, data types and styles come from
``core.products``; class products get their classes (clusters, trained classes) per run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Callable

import numpy as np

from ..errors import InputError
from ..grid import Grid
from ..i18n import tr
from ..jobs import JobResult
from ..pipeline import plugin_version
from ..products import PRODUCTS, ClassInfo, Product
from ..raster_io import GeoTiffWriter, category_names_xml
from ..run_files import RunFiles, check_output_paths, same_file, side_files, style_path
from ..styles import style_xml

CLASS_COLORS = (
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B",
    "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF", "#AEC7E8", "#FFBB78",
)  # fmt: skip


def class_color(index: int) -> str:
    """Colour of the ``index``-th class (0-based), cycling through ``CLASS_COLORS``."""
    return CLASS_COLORS[index % len(CLASS_COLORS)]


def with_classes(kind: str, classes: Sequence[tuple[int, str]]) -> Product:
    """The product ``kind`` with the given ``(value, name)`` classes, coloured in order; uint16 above 255."""
    infos = tuple(ClassInfo(v, n, class_color(i)) for i, (v, n) in enumerate(classes))
    dtype = "uint8" if max(v for v, _n in classes) <= 255 else "uint16"
    return dataclasses.replace(PRODUCTS[kind], classes=infos, dtype=dtype)


class RasterOutput:
    """One single-band output raster of a product; tracks the value range for the style."""

    def __init__(self, product: Product, writer: GeoTiffWriter):
        self.product, self.writer = product, writer
        self.vmin, self.vmax = np.inf, -np.inf

    @property
    def dtype(self) -> np.dtype:
        return self.writer.dtype

    def write(self, row: int, col: int, values: np.ndarray) -> None:
        """Rows of the current strip: (h, w) values (NaN or the product's nodata = no value)."""
        if self.writer.dtype.kind == "f":
            finite = values[np.isfinite(values)]
            if finite.size:
                self.vmin, self.vmax = (
                    min(self.vmin, float(finite.min())),
                    max(self.vmax, float(finite.max())),
                )
        self.writer.write_rows(row, values[None], col)


class OutputSet:
    """The output files of one workbench run. Use as a context manager (``with OutputSet(...) as out``).

    Args:
        grid: the output grid (the embedding raster's).
        rasters: the output rasters' paths (they get ``.qml`` and ``.aux.xml`` side files).
        others: the other output files (reports, classifier files).
        inputs: the input paths (no output may be one of them, a side file of one, or another output).
        label: what the run is, for messages of other runs.
        tags: provenance tags of the rasters.
    """

    def __init__(
        self,
        grid: Grid,
        rasters: Sequence[str],
        others: Sequence[str],
        inputs: Sequence[str],
        label: str,
        tags: dict[str, str],
    ):
        check_output_paths(list(rasters), list(inputs))
        taken = list(rasters) + [p for r in rasters for p in side_files(r)] + list(inputs)
        for i, path in enumerate(others):
            for other in taken + list(others[:i]):
                if same_file(path, other):
                    raise InputError(
                        tr("Output {0!r} is also {1!r}; give each output its own file name.").format(
                            path, other
                        )
                    )
        self.grid = grid
        self.tags = dict(tags, TERRAMIND_PLUGIN_VERSION=plugin_version())
        self.files = RunFiles.start(list(rasters) + list(others), label)
        self._rasters: list[RasterOutput] = []
        self._files: list[tuple[str, str, str]] = []  # (kind, temp path, path)

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is not None:
                for out in self._rasters:
                    out.writer.abort()
        finally:
            self.files.__exit__(exc_type, exc, tb)

    def raster(self, product: Product, path: str) -> RasterOutput:
        """Open a single-band raster of ``product`` (class products: with their colour table)."""
        nodata = product.nodata if product.nodata is not None or product.dtype != "float32" else float("nan")
        cmap = {c.value: _rgba(c.color) for c in product.classes} if product.dtype == "uint8" else None
        writer = GeoTiffWriter(
            path,
            self.files,
            self.grid,
            1,
            product.dtype,
            nodata=nodata,
            descriptions=list(product.band_names),
            tags=self.tags,
            colormap=cmap or None,
        )
        if product.classes:
            writer.set_band_tags(1, CLASS_NAMES=",".join(product.class_names))
        out = RasterOutput(product, writer)
        self._rasters.append(out)
        return out

    def file(self, kind: str, path: str, write: Callable[[str], None]) -> None:
        """Write a non-raster output now, to a temp file renamed on ``commit``: ``write(temp_path)``."""
        temp = self.files.temp_path(path)
        self._files.append((kind, temp, path))
        write(temp)

    def commit(self, warnings: Sequence[str] = ()) -> JobResult:
        """Rename every file into place and write the styles (and class names) beside the rasters."""
        outputs, styles = {}, {}
        for out in self._rasters:
            kind, path = out.product.kind, out.writer.commit()
            outputs[kind] = path
            if out.product.classes:
                top = max(c.value for c in out.product.classes)
                names = [""] * (top + 1)
                for c in out.product.classes:
                    names[c.value] = c.name
                self.files.write_text(path + ".aux.xml", category_names_xml(names))
            if out.product.classes or np.isfinite([out.vmin, out.vmax]).all():
                styles[kind] = self.files.write_text(
                    style_path(path), style_xml(out.product, [(out.vmin, out.vmax)])
                )
        for kind, temp, path in self._files:
            outputs[kind] = self.files.commit(temp, path)
        return JobResult(outputs=outputs, warnings=tuple(warnings), styles=styles)


def _rgba(color: str) -> tuple[int, int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), 255
