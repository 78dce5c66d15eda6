"""Open inputs, read windows warped onto the output grid, write tiled GeoTIFFs through a temp file.

Reads: an input on the grid's pixel lattice is read directly; any other input goes through a
``WarpedVRT`` onto the grid (bilinear for continuous values, nearest for classes), whatever its CRS
or resolution. Writes go to a temp file of the run (``run_files.RunFiles.temp_path``) in whole block
rows and are renamed into place on ``commit``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import rasterio
from rasterio.enums import Resampling
from rasterio.errors import RasterioError, RasterioIOError
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window

from .errors import InputError, OutputError
from .grid import Box, Grid
from .i18n import tr
from .run_files import RunFiles, remove_files

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RasterInfo:
    """What the pipeline needs to know about an input file before reading it."""

    path: str
    label: str
    count: int
    dtype: str
    grid: Grid
    nodata: float | None
    descriptions: tuple[str | None, ...]
    driver: str = ""
    interleave: str = ""  # "pixel" or "band" (GeoTIFF layout of several bands), "" if unknown


def inspect_raster(path: str, label: str) -> RasterInfo:
    """Open ``path`` and read its metadata.

    Raises:
        InputError: the file is missing, unreadable or has no CRS / geotransform.
    """
    if not os.path.isfile(path):
        raise InputError(
            tr("Input '{0}': file {1!r} does not exist. Check the path or re-add the layer.").format(
                label, path
            )
        )
    try:
        with rasterio.open(path) as src:
            crs, transform = src.crs, src.transform
            info = RasterInfo(
                path,
                label,
                src.count,
                src.dtypes[0],
                Grid(crs, transform, src.width, src.height),
                src.nodata,
                tuple(src.descriptions),
                src.driver,
                src.interleaving.value.lower() if src.interleaving else "",
            )
    except (RasterioIOError, RasterioError) as exc:
        raise InputError(
            tr("Input '{0}': {1!r} is not a raster GDAL can read ({2}).").format(label, path, exc)
        ) from exc
    if np.dtype(info.dtype).kind == "c":
        raise InputError(
            tr(
                "Input '{0}' holds complex values ({1}), e.g. SAR phase "
                "data; TerraMind needs real values. Convert it first, e.g. "
                "to the magnitude in dB for Sentinel-1: 10*log10(abs(x)²) "
                "with the Raster Calculator or gdal_calc."
            ).format(label, info.dtype)
        )
    if crs is None:
        raise InputError(
            tr("Input '{0}' has no coordinate reference system; assign one (e.g. in QGIS) first.").format(
                label
            )
        )
    if transform.is_identity or transform.b != 0 or transform.d != 0:
        raise InputError(
            tr("Input '{0}' is rotated or has no georeferencing; warp it to a map CRS first.").format(label)
        )
    return info


def threaded_decoding_is_safe(info: RasterInfo) -> bool:
    """True if GDAL may decode ``info``'s blocks on several threads (GeoTIFF only).

    GDAL before 3.7.1 can crash reading band-interleaved GeoTIFFs band by band with threads (GDAL pull
    request 7963, rasterio issue 2847; seen here with GDAL 3.6.2), so there only pixel-interleaved files
    are decoded on several threads.
    """
    if info.driver != "GTiff":
        return False
    version = tuple(int(p) for p in re.findall(r"\d+", rasterio.__gdal_version__)[:3])
    return version >= (3, 7, 1) or info.interleave == "pixel"


class InputReader:
    """Reads windows of one input, in the given band order, on the output grid. Use as a context manager.

    Args:
        info: the input's metadata.
        bands: 1-based band numbers in pretrained order.
        grid: the output grid.
        categorical: class values (nearest resampling) rather than continuous ones (bilinear).
        threads: GDAL threads decoding the blocks of one read of a GeoTIFF (several blocks per read).
    """

    def __init__(
        self,
        info: RasterInfo,
        bands: Sequence[int],
        grid: Grid,
        categorical: bool = False,
        threads: int = 1,
    ):
        self.info, self.bands, self.grid, self.threads = info, tuple(bands), grid, threads
        self.resampling = Resampling.nearest if categorical else Resampling.bilinear
        self._src = self._vrt = None
        self._offset = grid.offset_in(info.grid)

    @property
    def warped(self) -> bool:
        """True if reads are resampled (the input is not on the grid's pixel lattice)."""
        return self._offset is None

    def __enter__(self) -> InputReader:
        try:
            threaded = self.threads > 1 and threaded_decoding_is_safe(self.info)
            self._src = rasterio.open(
                self.info.path, **({"num_threads": str(self.threads)} if threaded else {})
            )
            if self.warped:
                self._vrt = WarpedVRT(
                    self._src,
                    crs=self.grid.crs,
                    transform=self.grid.transform,
                    width=self.grid.width,
                    height=self.grid.height,
                    resampling=self.resampling,
                    dtype="float32",
                    add_alpha=True,
                )
        except (RasterioIOError, RasterioError) as exc:
            self.close()
            raise InputError(tr("Input '{0}' cannot be read: {1}").format(self.info.label, exc)) from exc
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for ds in (self._vrt, self._src):
            if ds is not None:
                ds.close()
        self._src = self._vrt = None

    def read(self, box: Box) -> tuple[np.ndarray, np.ndarray]:
        """Read ``box`` (inside the grid).

        Returns:
            ``(data, valid)``: (C, h, w) float32 values in band order and (h, w) bool mask of valid pixels
            (not nodata, not NaN, inside the input's extent).
        """
        try:
            if self.warped:
                win = Window(box.col, box.row, box.width, box.height)
                data = self._vrt.read(self.bands, window=win).astype(np.float32, copy=False)
                valid = self._vrt.read(self._vrt.count, window=win) > 0
            else:
                data, valid = self._read_aligned(box)
        except (RasterioIOError, RasterioError) as exc:
            raise InputError(
                tr("Input '{0}': reading failed ({1}). Is the file damaged?").format(self.info.label, exc)
            ) from exc
        # Integer files hold no NaN (warped reads mark gaps in their alpha band).
        if np.dtype(self.info.dtype).kind == "f":
            valid &= np.isfinite(data).all(axis=0)
        if self.info.nodata is not None and not np.isnan(self.info.nodata):
            valid &= ~(data == np.float32(self.info.nodata)).all(axis=0)
        return data, valid

    def _read_aligned(self, box: Box) -> tuple[np.ndarray, np.ndarray]:
        r0, c0 = self._offset
        src = Box(box.row + r0, box.col + c0, box.height, box.width)
        inner = src.clip(self.info.grid.height, self.info.grid.width)
        if inner == src:  # the common case: GDAL converts straight into the float32 result
            win = Window(src.col, src.row, src.width, src.height)
            data = self._src.read(self.bands, window=win, out_dtype=np.float32)
            return data, np.ones((box.height, box.width), dtype=bool)
        data = np.zeros((len(self.bands), box.height, box.width), dtype=np.float32)
        valid = np.zeros((box.height, box.width), dtype=bool)
        if inner.height and inner.width:
            win = Window(inner.col, inner.row, inner.width, inner.height)
            rs = slice(inner.row - src.row, inner.row - src.row + inner.height)
            cs = slice(inner.col - src.col, inner.col - src.col + inner.width)
            data[:, rs, cs] = self._src.read(self.bands, window=win)
            valid[rs, cs] = True
        return data, valid

    def read_sample(self, max_side: int = 512) -> tuple[np.ndarray, np.ndarray]:
        """A central window of at most ``max_side`` pixels: (C, N) valid values for unit checks."""
        h, w = min(self.grid.height, max_side), min(self.grid.width, max_side)
        box = Box((self.grid.height - h) // 2, (self.grid.width - w) // 2, h, w)
        data, valid = self.read(box)
        return data[:, valid], valid


class GeoTiffWriter:
    """Writes a tiled, compressed GeoTIFF on ``grid`` through a temp file of the run, in whole blocks.

    The file is written in vertical strips, left to right, each top to bottom (a single strip: the whole
    width). Rows of a strip arrive in order through ``write_rows``; they are buffered until a full row of
    the strip's blocks is ready, so that every block is compressed once and memory depends on the strip
    width only. ``commit`` renames the temp file to ``path``; ``abort`` removes it.

    Args:
        path: final file path.
        files: the run's files; the temp file is ``files.temp_path(path)``.
        grid: the file's grid.
        count: number of bands.
        dtype: numpy dtype name of the stored values.
        nodata: nodata value (``None``: none).
        descriptions: one per band.
        tags: dataset tags (provenance).
        colormap: palette of band 1 for uint8 class maps.
        nbits: 16 to store float32 values as half floats.
        block: block width (and default height) in pixels, a multiple of 16.
        block_rows: block height (multiple of 16); rows are buffered up to this many.
        compress: ``False`` for data that barely compresses (embeddings, scratch files): deflate would
            cost more time than it saves space.
    """

    def __init__(
        self,
        path: str,
        files: RunFiles,
        grid: Grid,
        count: int,
        dtype: str,
        nodata: float | None = None,
        descriptions: Sequence[str] | None = None,
        tags: dict[str, str] | None = None,
        colormap: dict[int, tuple[int, int, int, int]] | None = None,
        nbits: int | None = None,
        block: int = 256,
        block_rows: int | None = None,
        compress: bool = True,
    ):
        self.path, self.grid, self.count, self.dtype, self.nodata = path, grid, count, np.dtype(dtype), nodata
        self.files = files
        self.block_h = min(block_rows or block, _round16(grid.height))
        self.block_w = min(block, _round16(grid.width))
        self._pending: list = []
        self._pending_rows = 0
        self._next_row = 0
        self._strip: tuple[int, int] | None = None  # (first column, width) of the strip being written
        profile = dict(
            driver="GTiff",
            width=grid.width,
            height=grid.height,
            count=count,
            dtype=self.dtype.name,
            crs=grid.crs,
            transform=grid.transform,
            nodata=nodata,
            tiled=True,
            blockxsize=self.block_w,
            blockysize=self.block_h,
            BIGTIFF="IF_SAFER",
            interleave="pixel" if count <= 4 else "band",
        )
        if compress:
            profile.update(compress="deflate", predictor=3 if self.dtype.kind == "f" else 2)
            if self.dtype.kind == "f":  # level 1: model floats compress no better at 6, at twice the time
                profile["zlevel"] = 1
        if nbits:
            profile["nbits"] = nbits
        check_writable(path)
        self.tmp = files.temp_path(path)
        try:
            self._dst = rasterio.open(self.tmp, "w", **profile)
            for i, d in enumerate(descriptions or (), start=1):
                self._dst.set_band_description(i, d)
            if tags:
                self._dst.update_tags(**tags)
            if colormap:
                self._dst.write_colormap(1, colormap)
        except (RasterioIOError, RasterioError, OSError) as exc:
            self.abort()
            raise OutputError(
                tr("Cannot create output {0!r}: {1}. Choose a writable folder.").format(path, exc)
            ) from exc

    def write_rows(self, row: int, values: np.ndarray, col: int = 0) -> None:
        """Append rows ``[row, row + n)`` of the strip starting at column ``col``: (count, n, w) values.

        Rows follow the strip's previous rows. A new strip (another ``col``) starts at the previous strip's
        right edge once all its rows are written, at a multiple of ``block_w``; only the last strip may end
        at the grid's right edge with a partial block.
        """
        strip = (col, values.shape[2])
        if strip != self._strip:
            self._start_strip(*strip)
        if row != self._next_row + self._pending_rows:
            raise ValueError(
                f"rows must be written in order: got {row}, expected {self._next_row + self._pending_rows}"
            )
        self._pending.append(np.array(values, dtype=self.dtype))
        self._pending_rows += values.shape[1]
        while self._pending_rows >= self.block_h:
            self._write_pending(self.block_h)
        if self._next_row + self._pending_rows == self.grid.height and self._pending_rows:
            self._write_pending(self._pending_rows)

    def _start_strip(self, col: int, width: int) -> None:
        expected = 0 if self._strip is None else sum(self._strip)
        if self._strip is not None and self._next_row != self.grid.height:
            raise ValueError(f"strip at column {self._strip[0]} is incomplete ({self._next_row} rows)")
        if (
            col != expected
            or col % self.block_w
            or (col + width != self.grid.width and (width % self.block_w or col + width > self.grid.width))
        ):
            raise ValueError(
                f"strip [{col}, {col + width}) does not follow column {expected} "
                f"in whole {self.block_w}-px blocks"
            )
        self._strip, self._next_row = (col, width), 0

    def _write_pending(self, n: int) -> None:
        data = np.concatenate(self._pending, axis=1) if len(self._pending) > 1 else self._pending[0]
        head, rest = data[:, :n], data[:, n:]
        col, width = self._strip
        try:
            self._dst.write(head, window=Window(col, self._next_row, width, n))
        except (RasterioIOError, RasterioError, OSError) as exc:
            raise OutputError(
                tr("Writing {0!r} failed: {1}. Is the disk full?").format(self.path, exc)
            ) from exc
        self._next_row += n
        self._pending = [rest] if rest.shape[1] else []
        self._pending_rows = rest.shape[1]

    def set_band_tags(self, band: int, **tags: str) -> None:
        """Tags of one band (e.g. class names)."""
        self._dst.update_tags(band, **tags)

    def close(self) -> None:
        """Finish writing the temp file (it can then be read back); ``commit`` or ``abort`` must follow."""
        col, width = self._strip or (0, 0)
        if self._next_row != self.grid.height or col + width != self.grid.width:
            raise OutputError(
                tr(
                    "Output {0!r} is incomplete (rows 0-{1} of {2} written in columns {3}-{4} of {5})."
                ).format(self.path, self._next_row, self.grid.height, col, col + width, self.grid.width)
            )
        if not self._dst.closed:
            self._dst.close()

    def commit(self) -> str:
        """Close and rename the temp file to ``path``; returns ``path``."""
        self.close()
        try:
            self.files.commit(self.tmp, self.path)
        except OutputError:
            self.abort()
            raise
        remove_files([self.path + ".aux.xml"])  # stale side file of the replaced output
        return self.path

    def abort(self) -> None:
        """Close and remove the temp file (safe to call more than once)."""
        dst = getattr(self, "_dst", None)
        if dst is not None and not dst.closed:
            try:
                dst.close()
            except (RasterioError, OSError):
                log.debug("closing %s failed", self.tmp, exc_info=True)
        tmp = getattr(self, "tmp", None)
        if tmp is not None:
            remove_files([tmp, tmp + ".aux.xml"])


def read_windows(path: str, rows: int, cols: int) -> Iterator[tuple[int, int, np.ndarray]]:
    """Read a raster in ``rows`` x ``cols`` windows, strip by strip (the order ``GeoTiffWriter`` writes).

    Yields:
        ``(row, col, values)``: the window's top-left pixel and its (count, h, w) values.
    """
    with rasterio.open(path) as src:
        for col in range(0, src.width, cols):
            for row in range(0, src.height, rows):
                win = Window(col, row, min(cols, src.width - col), min(rows, src.height - row))
                yield row, col, src.read(window=win)


def check_writable(path: str) -> None:
    """Raise ``OutputError`` unless ``path``'s folder exists and is writable."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise OutputError(
            tr("Output folder {0!r} does not exist; create it or choose another output path.").format(folder)
        )
    if not os.access(folder, os.W_OK):
        raise OutputError(
            tr("Output folder {0!r} is not writable; choose another output path.").format(folder)
        )
    if os.path.isdir(path):
        raise OutputError(tr("Output path {0!r} is a folder; give a file name ending in .tif.").format(path))


def _round16(n: int) -> int:
    return max(16, -(-n // 16) * 16)


def category_names_xml(names: Sequence[str], band: int = 1) -> str:
    """GDAL category names of ``band`` as the text of a ``.aux.xml`` (PAM) side file."""
    import xml.etree.ElementTree as ET

    root = ET.Element("PAMDataset")
    rb = ET.SubElement(root, "PAMRasterBand", band=str(band))
    cats = ET.SubElement(rb, "CategoryNames")
    for name in names:
        ET.SubElement(cats, "Category").text = name
    return ET.tostring(root, encoding="unicode")
