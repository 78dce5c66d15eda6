"""A bounded sample of a raster file's values, for guessing its role (``ui/role_guesses.py``).

Never a whole-scene statistic: five windows of at most 4096 pixels (around the centre and the four quarter
points), each inside one of the file's blocks, so each read decodes one block whatever the scene's size,
compression or tiling. GDAL directly (``osgeo``, always in QGIS's Python), not QGIS's provider statistics,
whose 250 000-pixel decimated view of the whole scene decodes every block of a tiled, compressed file.
``benchmarks/role_sampling.py`` times both on 10980 px scenes.
"""

from __future__ import annotations

import numpy as np

WINDOW_PIXELS = 64 * 64  # per sampled window, at most: 64 x 64 when tiled, a stretch of a row in 1-row strips
SPOTS = ((0.5, 0.5), (0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))  # window centres, as fractions

Window = tuple[int, int, int, int]  # column, row, width, height


def sample_windows(width: int, height: int, block_width: int, block_height: int) -> list[Window]:
    """The windows sampled in a ``width`` x ``height`` raster whose blocks are ``block_width`` x
    ``block_height``: each fits in one block (but at the raster's last, partial blocks); listed once."""
    h = min(block_height, height, 64)
    w = min(block_width, width, WINDOW_PIXELS // h)
    windows: list[Window] = []
    for fx, fy in SPOTS:
        column = _start(fx * width, block_width, w, width)
        window = (column, _start(fy * height, block_height, h, height), w, h)
        if window not in windows:
            windows.append(window)
    return windows


def _start(position: float, block: int, size: int, total: int) -> int:
    """First pixel of a window of ``size`` (at most ``block``) centred near ``position``, inside the block
    that holds ``position`` and inside the raster."""
    pixel = int(position)
    first = pixel // block * block
    start = min(max(pixel - size // 2, first), first + block - size)
    return max(0, min(start, total - size))


def sampled_ranges(path: str) -> list[tuple[float, float]]:
    """(min, max) of each band's valid values in the sampled windows of the raster file ``path``.

    Valid: GDAL's mask (nodata, alpha or a mask band) and, for floats, finite. Bands without a valid value
    in the windows are left out; empty when GDAL cannot open the file.
    """
    from osgeo import gdal

    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        dataset = gdal.OpenEx(path, gdal.OF_RASTER | gdal.OF_READONLY)
        if dataset is None or dataset.RasterCount == 0:
            return []
        bands = [dataset.GetRasterBand(i + 1) for i in range(dataset.RasterCount)]
        windows = sample_windows(dataset.RasterXSize, dataset.RasterYSize, *bands[0].GetBlockSize())
        ranges = []
        for band in bands:
            values = np.concatenate([_valid_values(band, window) for window in windows])
            if values.size:
                ranges.append((float(values.min()), float(values.max())))
        return ranges
    finally:
        gdal.PopErrorHandler()


def _valid_values(band, window: Window) -> np.ndarray:
    """The valid values of ``band`` (a ``gdal.Band``) in ``window``, flattened."""
    from osgeo import gdal

    values = band.ReadAsArray(*window)
    if values is None or values.dtype.kind == "c":  # a read error, or complex values (never an input)
        return np.empty(0)
    valid = np.ones(values.shape, bool)
    if not band.GetMaskFlags() & gdal.GMF_ALL_VALID:
        valid = band.GetMaskBand().ReadAsArray(*window) > 0
    if values.dtype.kind == "f":
        valid &= np.isfinite(values)
    return values[valid].astype(np.float64)
