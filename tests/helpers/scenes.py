"""Test scenes derived from the real samples: reprojected copies and large mosaics (written in row bands)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import rasterio
from rasterio.warp import Resampling, calculate_default_transform, reproject

from .paths import SAMPLE_IDS, example


def reproject_to_utm(
    src_path, dst_path, resolution: float = 12.0, crs: str = "EPSG:32630", resampling=Resampling.bilinear
) -> str:
    """Write ``src_path`` reprojected to ``crs`` at ``resolution`` (another CRS and pixel size)."""
    with rasterio.open(src_path) as src:
        transform, width, height = calculate_default_transform(
            src.crs, crs, src.width, src.height, *src.bounds, resolution=resolution
        )
        profile = dict(src.profile, crs=crs, transform=transform, width=width, height=height)
        with rasterio.open(dst_path, "w", **profile) as dst:
            for b in range(1, src.count + 1):
                reproject(rasterio.band(src, b), rasterio.band(dst, b), resampling=resampling)
            dst.descriptions = src.descriptions
    return str(dst_path)


def write_mosaic(
    dst_path,
    size: int,
    modality: str = "S2L2A",
    samples: Sequence[str] = SAMPLE_IDS,
    height: int | None = None,
    **layout,
) -> str:
    """A ``size`` (wide) x ``height`` (default ``size``) mosaic of the 224 px TerraMesh samples of a modality
    (cycled, every other one mirrored); ``layout`` overrides the GeoTIFF creation options (256 px DEFLATE
    tiles).

    Written one row of samples at a time, so building an 8k mosaic needs little memory. The georeference is
    the first sample's, extended to the mosaic size.
    """
    chips = []
    for s in samples:
        with rasterio.open(example(modality, s)) as src:
            chips.append(src.read())
            if len(chips) == 1:
                profile = src.profile
    t, height = 224, height or size
    profile = dict(profile, width=size, height=height, tiled=True, blockxsize=256, blockysize=256)
    profile.update({"compress": "deflate", **layout})
    with rasterio.open(dst_path, "w", **profile) as dst:
        for r in range(0, height, t):
            h = min(t, height - r)
            band = np.concatenate([_chip(chips, r // t, c // t) for c in range(0, size, t)], axis=2)
            dst.write(band[:, :h, :size], window=((r, r + h), (0, size)))
    return str(dst_path)


def _chip(chips, i: int, j: int) -> np.ndarray:
    chip = chips[(i * 3 + j) % len(chips)]
    if (i + j) % 2:
        chip = chip[:, :, ::-1]
    return chip
