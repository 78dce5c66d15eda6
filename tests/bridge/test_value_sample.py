"""bridge/adapters/value_sample.py: a bounded sample of a raster's values, equal to an independent read of
the same windows, with nodata and NaN left out."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers.paths import ROOT
from rasterio.windows import Window

from terramind_qgis.bridge.adapters.value_sample import WINDOW_PIXELS, sample_windows, sampled_ranges

SAMPLE = ROOT / "resources" / "sample"


@pytest.mark.parametrize("blocks", [(512, 512), (256, 256), (10980, 1), (10980, 8), (128, 128), (16, 16)])
def test_a_full_tile_is_sampled_in_five_small_windows_of_one_block_each(blocks):
    bw, bh = blocks
    windows = sample_windows(10980, 10980, bw, bh)
    assert len(windows) == 5
    for col, row, w, h in windows:
        assert 0 < w * h <= WINDOW_PIXELS and 0 <= col <= 10980 - w and 0 <= row <= 10980 - h
        assert col // bw == (col + w - 1) // bw and row // bh == (row + h - 1) // bh  # inside one block


def test_a_small_raster_is_sampled_inside_its_bounds():
    windows = sample_windows(50, 30, 50, 1)
    assert all(c + w <= 50 and r + h <= 30 for c, r, w, h in windows)
    assert sample_windows(1, 1, 1, 1) == [(0, 0, 1, 1)]


def _independent(path) -> list[tuple[float, float]]:
    """Min and max per band over the sampled windows, read with rasterio and its masks."""
    with rasterio.open(path) as src:
        windows = sample_windows(src.width, src.height, *reversed(src.block_shapes[0]))
        parts = [src.read(window=Window(*w), masked=True) for w in windows]
    ranges = []
    for band in range(parts[0].shape[0]):
        values = np.ma.concatenate([p[band].ravel() for p in parts]).astype(np.float64)
        values = values[np.isfinite(values.filled(np.nan))]
        ranges.append((float(values.min()), float(values.max())))
    return ranges


@pytest.mark.parametrize("name", ["S2L2A", "S1RTC", "DEM", "LULC"])
def test_sampled_ranges_equal_an_independent_read_of_the_windows(name):
    path = SAMPLE / f"{name}_433D_629L_3_1.tif"
    assert sampled_ranges(str(path)) == _independent(path)


def test_nodata_and_nan_are_left_out(tmp_path):
    with rasterio.open(SAMPLE / "S1RTC_433D_629L_3_1.tif") as src:
        data, profile = src.read(), src.profile
    windows = sample_windows(224, 224, 224, 1)
    col, row, w, h = windows[0]
    data[0, row, col : col + w // 2] = -9999.0  # nodata in band 1
    data[1, row, col : col + w // 2] = np.nan  # NaN in band 2
    path = tmp_path / "holes.tif"
    with rasterio.open(path, "w", **dict(profile, nodata=-9999.0)) as dst:
        dst.write(data)
    ranges = sampled_ranges(str(path))
    assert ranges == _independent(path)
    assert ranges[0][0] > -100 and all(np.isfinite(ranges[1]))  # dB values only


def test_a_band_without_valid_values_is_left_out_and_a_bad_file_gives_nothing(tmp_path):
    with rasterio.open(SAMPLE / "DEM_433D_629L_3_1.tif") as src:
        profile = src.profile
    path = tmp_path / "empty.tif"
    with rasterio.open(path, "w", **dict(profile, nodata=0)) as dst:
        dst.write(np.zeros((1, 224, 224), profile["dtype"]))
    assert sampled_ranges(str(path)) == []
    (tmp_path / "cut.tif").write_bytes((SAMPLE / "DEM_433D_629L_3_1.tif").read_bytes()[:300])
    assert sampled_ranges(str(tmp_path / "cut.tif")) == []
