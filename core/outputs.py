"""Output sinks: turn finished rows of blended model outputs into GeoTIFF files and QGIS styles.

One sink per output kind, all with the same life cycle: ``write`` rows in order, strip by strip (see
``GeoTiffWriter``), ``finish`` (second passes such as the PCA map), then ``commit`` (rename temp files,
write styles) or ``abort`` (close and remove them). Every file goes through the run's ``RunFiles``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from typing import Callable

import numpy as np

from .grid import Grid
from .i18n import tr
from .jobs import JobSpec, ProgressCallback
from .pca import StreamingCovariance
from .products import PRODUCTS, TASKS, Product, task_products
from .raster_io import GeoTiffWriter, category_names_xml, read_windows
from .run_files import RunFiles, style_path
from .styles import style_xml


class Sink:
    """Base class: one output kind (see module docstring)."""

    has_second_pass = False

    def __init__(self, files: RunFiles) -> None:
        self.files = files
        self.styles: dict[str, str] = {}
        self._writers: list[GeoTiffWriter] = []

    @property
    def block_width(self) -> int:
        """Strips written to this sink must start at multiples of this many columns."""
        return math.lcm(*(w.block_w for w in self._writers))

    def summarize(self, values: np.ndarray, valid: np.ndarray) -> None:
        """Take statistics of rows about to be written ((C, n, w) outputs, (n, w) validity; read only).

        Called in the pipeline's own thread, between model batches, where torch may use every core;
        ``write`` runs in a writer thread beside the model, where heavy work slows the model down.
        """

    def write(self, row: int, col: int, values: np.ndarray, valid: np.ndarray) -> None:
        """Rows ``[row, row + n)`` of the strip starting at column ``col``: (C, n, w) blended outputs (may
        be changed in place) and (n, w) validity."""
        raise NotImplementedError

    def finish(self, progress: ProgressCallback, check_cancel: Callable[[], None]) -> None:
        """Run any second pass after the last row."""

    def commit(self) -> dict[str, str]:
        """Rename the files into place, write styles; returns output kind -> path."""
        raise NotImplementedError

    def abort(self) -> None:
        """Remove every temp file."""
        for w in self._writers:
            w.abort()

    def _open(self, path: str, *args, **kwargs) -> GeoTiffWriter:
        writer = GeoTiffWriter(path, self.files, *args, **kwargs)
        self._writers.append(writer)
        return writer


class ClassSink(Sink):
    """A class product (LULC): argmax of blended logits -> uint8 classes with colour table, class names and
    a paletted style."""

    def __init__(self, product: Product, path: str, grid: Grid, tags: dict[str, str], files: RunFiles):
        super().__init__(files)
        self.product, self.path = product, path
        cmap = {c.value: _rgba(c.color) for c in product.classes}
        self.writer = self._open(
            path,
            grid,
            1,
            product.dtype,
            nodata=product.nodata,
            descriptions=list(product.band_descriptions),
            tags=tags,
            colormap=cmap,
        )
        self.writer.set_band_tags(1, CLASS_NAMES=",".join(product.class_names))

    def write(self, row: int, col: int, values: np.ndarray, valid: np.ndarray) -> None:
        classes = values.argmax(axis=0).astype(self.product.dtype)
        classes[~valid] = self.product.nodata
        self.writer.write_rows(row, classes[None], col)

    def commit(self) -> dict[str, str]:
        self.writer.commit()
        self.files.write_text(self.path + ".aux.xml", category_names_xml(self.product.class_names))
        text = style_xml(self.product, [])
        self.styles[self.product.kind] = self.files.write_text(style_path(self.path), text)
        return {self.product.kind: self.path}


class ValueSink(Sink):
    """A generated modality in its units (dB, DN, metres, NDVI): float32, NaN nodata, its product's style."""

    def __init__(
        self, product: Product, path: str, grid: Grid, channels: int, tags: dict[str, str], files: RunFiles
    ):
        super().__init__(files)
        self.product, self.path = product, path
        names = list(product.band_descriptions)[:channels]
        self.writer = self._open(
            path, grid, channels, product.dtype, nodata=float("nan"), descriptions=names, tags=tags
        )
        self.vmin = np.full(channels, np.inf)
        self.vmax = np.full(channels, -np.inf)

    def write(self, row: int, col: int, values: np.ndarray, valid: np.ndarray) -> None:
        if valid.any():
            v = values[:, valid]
            self.vmin = np.minimum(self.vmin, v.min(axis=1))
            self.vmax = np.maximum(self.vmax, v.max(axis=1))
        values[:, ~valid] = np.nan
        self.writer.write_rows(row, values, col)

    def commit(self) -> dict[str, str]:
        self.writer.commit()
        if np.isfinite(self.vmin).all():
            text = style_xml(self.product, list(zip(self.vmin.tolist(), self.vmax.tolist())))
            self.styles[self.product.kind] = self.files.write_text(style_path(self.path), text)
        return {self.product.kind: self.path}


#: Embeddings up to this size stay in memory for the PCA pass (tiny, stride 16, 2048 px scene: 12 MiB).
PCA_IN_MEMORY_BYTES = 256 * 2**20


class EmbeddingSink(Sink):
    """Patch embeddings (float32 or half-float storage) and the PCA RGB map fitted once over the whole area.

    Without an ``embeddings`` output the embeddings go to a scratch temp file of the run that feeds the PCA
    pass and is never renamed into place. Embeddings of up to ``PCA_IN_MEMORY_BYTES`` are also kept in
    memory for the PCA pass, which then needs no read-back (decompression) of the file. Embeddings are
    written uncompressed: deflate (level 1, floating-point predictor) saved 10 % of a 2048 px scene's tiny
    embeddings (12.6 MB) for 0.2 s of CPU, a sixth of the model's own time in bfloat16 on 2 cores.
    """

    def __init__(self, spec: JobSpec, grid: Grid, dim: int, tags: dict[str, str], files: RunFiles):
        super().__init__(files)
        self.emb_path: str | None = spec.outputs.get("embeddings")
        self.pca_path: str | None = spec.outputs.get("pca")
        self.has_second_pass = self.pca_path is not None
        self.grid, self.tags = grid, tags
        path = self.emb_path or os.path.splitext(self.pca_path)[0] + "_embeddings.tif"
        self.emb = self._open(
            path,
            grid,
            dim,
            "float32",
            nodata=float("nan"),
            descriptions=[f"embedding {i}" for i in range(dim)],
            tags=tags,
            nbits=16 if spec.embedding_dtype == "float16" else None,
            block=256,
            block_rows=16,
            compress=False,  # see the class doc
        )
        self.cov = StreamingCovariance(dim)
        self.pca: GeoTiffWriter | None = None
        in_memory = self.has_second_pass and dim * grid.width * grid.height * 4 <= PCA_IN_MEMORY_BYTES
        self._copy = np.empty((dim, grid.height, grid.width), np.float32) if in_memory else None

    def summarize(self, values: np.ndarray, valid: np.ndarray) -> None:
        if self.has_second_pass:
            self.cov.update(values[:, valid].T)

    def write(self, row: int, col: int, values: np.ndarray, valid: np.ndarray) -> None:
        values[:, ~valid] = np.nan
        if self._copy is not None:
            self._copy[:, row : row + values.shape[1], col : col + values.shape[2]] = values
        self.emb.write_rows(row, values, col)

    def finish(self, progress: ProgressCallback, check_cancel: Callable[[], None]) -> None:
        self.emb.close()
        if not self.has_second_pass:
            return
        try:
            projection = self.cov.fit()
        except ValueError:
            projection = None
        tags = dict(
            self.tags, TERRAMIND_PCA_STD=",".join(f"{s:.6g}" for s in projection.std) if projection else ""
        )
        self.pca = self._open(
            self.pca_path,
            self.grid,
            len(PRODUCTS["pca"].band_names),
            PRODUCTS["pca"].dtype,
            nodata=PRODUCTS["pca"].nodata,
            descriptions=list(PRODUCTS["pca"].band_descriptions),
            tags=tags,
            block=self.emb.block_w,
        )
        rows, cols = self.emb.block_h, self.emb.block_w
        windows = -(-self.grid.height // rows) * -(-self.grid.width // cols)
        source = read_windows(self.emb.tmp, rows, cols) if self._copy is None else self._windows(rows, cols)
        for i, (row, col, emb) in enumerate(source):  # emb: (D, n, w)
            check_cancel()
            d, n, w = emb.shape
            vectors = emb.reshape(d, n * w).T
            ok = np.isfinite(vectors).all(axis=1)
            rgb = np.zeros((n * w, 3), dtype=np.uint8)
            if projection is not None and ok.any():
                # Selecting rows costs as much as projecting them: skipped when all are valid.
                rgb[ok] = projection.to_rgb(vectors if ok.all() else vectors[ok])
            self.pca.write_rows(row, rgb.T.reshape(3, n, w), col)
            progress((i + 1) / windows, tr("PCA map"))
        self._copy = None

    def _windows(self, rows: int, cols: int) -> Iterator[tuple[int, int, np.ndarray]]:
        """The in-memory copy in the order and windows of ``read_windows``."""
        for col in range(0, self.grid.width, cols):
            for row in range(0, self.grid.height, rows):
                yield row, col, self._copy[:, row : row + rows, col : col + cols]

    def commit(self) -> dict[str, str]:
        out = {}
        if self.emb_path:
            out["embeddings"] = self.emb.commit()
        else:
            self.emb.abort()
        if self.pca is not None:
            out["pca"] = self.pca.commit()
            text = style_xml(PRODUCTS["pca"], [(1, 255)] * 3)
            self.styles["pca"] = self.files.write_text(style_path(self.pca_path), text)
        return out


def make_sinks(
    spec: JobSpec,
    grid: Grid,
    channels: int,
    tags: dict[str, str],
    files: RunFiles,
    classes: Sequence[tuple[str, str]] | None = None,
) -> list[Sink]:
    """The sinks of a job's outputs on ``grid`` (the pixel grid, or the patch grid for embeddings).

    ``classes``: ``(name, colour)`` per class of a fine-tuned model (``Task.SEGMENT``).
    """
    if TASKS[spec.task].model == "task":
        from .tasks.sinks import SegmentSink

        return [SegmentSink(spec.outputs, grid, classes or [], tags, files)]
    if not TASKS[spec.task].generative:
        return [EmbeddingSink(spec, grid, channels, tags, files)]
    (product,) = task_products(spec.task, spec.output_modality)
    if product.classes:
        return [ClassSink(product, spec.outputs[product.kind], grid, tags, files)]
    return [ValueSink(product, spec.outputs[product.kind], grid, channels, tags, files)]


def _rgba(color: str) -> tuple:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), 255
