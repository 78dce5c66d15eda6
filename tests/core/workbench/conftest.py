"""Real rasters as embedding rasters: the 12 Sentinel-2 L2A bands of a TerraMesh tile are a 12-feature
embedding raster, and polygons cut from the tile's real LULC map are training and seed features."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers.paths import example
from rasterio.features import shapes

SAMPLE = "433D_629L_3_1"  # Araucanía, Chile: water, trees, crops, built area, rangeland
CLASSES = (1, 2, 4, 5, 9)


@pytest.fixture(scope="session")
def s2_path() -> str:
    return str(example("S2L2A", SAMPLE))


@pytest.fixture(scope="session")
def s2() -> np.ndarray:
    """(H, W, 12) float64 values of the S2L2A tile."""
    with rasterio.open(example("S2L2A", SAMPLE)) as src:
        return np.moveaxis(src.read().astype(np.float64), 0, -1)


@pytest.fixture(scope="session")
def lulc_polygons():
    """``[(class, geometry, component mask)]``: every connected LULC region of the tile as a polygon."""
    with rasterio.open(example("LULC", SAMPLE)) as src:
        lulc, transform = src.read(1), src.transform
    regions = []
    for geometry, value in shapes(lulc, transform=transform, connectivity=4):
        regions.append((int(value), geometry))
    return regions, lulc, transform


@pytest.fixture(scope="session")
def training_polygons(lulc_polygons):
    """Up to 6 regions of 20..1500 pixels for each class of ``CLASSES`` (sorted by size, largest first)."""
    from rasterio.features import geometry_mask

    regions, lulc, transform = lulc_polygons
    chosen = []
    for cls in CLASSES:
        sized = []
        for value, geometry in regions:
            if value != cls:
                continue
            mask = ~geometry_mask([geometry], lulc.shape, transform)
            if 20 <= mask.sum() <= 1500:
                sized.append((int(mask.sum()), geometry, mask))
        sized.sort(key=lambda s: -s[0])
        chosen += [(cls, g, m) for _n, g, m in sized[:6]]
    return chosen


def write_float_copy(src_path: str, dst_path: str, nodata=None, nan_box=None, nodata_box=None, **profile):
    """A float32 copy of a raster, optionally with NaN or nodata-valued pixels in (r0, r1, c0, c1) boxes."""
    with rasterio.open(src_path) as src:
        data = src.read().astype(np.float32)
        out_profile = dict(src.profile, dtype="float32", nodata=nodata, **profile)
    if nan_box is not None:
        r0, r1, c0, c1 = nan_box
        data[:, r0:r1, c0:c1] = np.nan
    if nodata_box is not None:
        r0, r1, c0, c1 = nodata_box
        data[:, r0:r1, c0:c1] = nodata
    with rasterio.open(dst_path, "w", **out_profile) as dst:
        dst.write(data)
    return dst_path
