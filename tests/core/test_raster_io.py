"""Reading inputs onto the grid (aligned or warped) and writing GeoTIFFs through a temp file."""

from __future__ import annotations

import os

import numpy as np
import pytest
import rasterio
from affine import Affine
from helpers.paths import SEN1FLOODS, example
from helpers.scenes import reproject_to_utm
from rasterio.enums import Resampling

from terramind_qgis.core.errors import InputError, OutputError
from terramind_qgis.core.grid import Box, Grid
from terramind_qgis.core.raster_io import GeoTiffWriter, InputReader, inspect_raster
from terramind_qgis.core.run_files import RunFiles

S2 = SEN1FLOODS / "Spain_7370579_S2Hand.tif"
S1 = SEN1FLOODS / "Spain_7370579_S1Hand.tif"


@pytest.fixture
def files(tmp_path):
    with RunFiles.start([], folder=str(tmp_path / "runs")) as run:
        yield run


def test_inspect_raster_errors_name_the_layer(tmp_path):
    with pytest.raises(InputError, match="Input 'gone': file .* does not exist"):
        inspect_raster(str(tmp_path / "missing.tif"), "gone")
    junk = tmp_path / "junk.tif"
    junk.write_text("not a raster")
    with pytest.raises(InputError, match="Input 'junk'.*not a raster GDAL can read"):
        inspect_raster(str(junk), "junk")
    plain = tmp_path / "nocrs.tif"
    with rasterio.open(plain, "w", driver="GTiff", width=4, height=4, count=1, dtype="uint8") as dst:
        dst.write(np.zeros((1, 4, 4), np.uint8))
    with pytest.raises(InputError, match="no coordinate reference system"):
        inspect_raster(str(plain), "nocrs")


def test_reader_on_own_grid_returns_the_file_values():
    info = inspect_raster(str(example("S2L2A")), "s2")
    with InputReader(info, (4, 3, 2), info.grid) as reader:
        assert not reader.warped
        data, valid = reader.read(Box(10, 20, 30, 40))
    with rasterio.open(example("S2L2A")) as src:
        ref = src.read((4, 3, 2), window=((10, 40), (20, 60)))
    np.testing.assert_array_equal(data, ref)
    assert valid.all()


def test_reader_warps_s1_from_utm_back_onto_the_wgs84_grid(tmp_path):
    utm = reproject_to_utm(S1, tmp_path / "s1_utm.tif")
    grid = inspect_raster(str(S2), "s2").grid
    info = inspect_raster(utm, "s1 utm")
    assert info.grid.crs != grid.crs
    with InputReader(info, (1, 2), grid) as reader:
        assert reader.warped
        data, valid = reader.read(Box(100, 100, 300, 300))
    with rasterio.open(S1) as src:
        ref = src.read(window=((100, 400), (100, 400)))
    ok = valid & np.isfinite(ref).all(axis=0)
    assert ok.mean() > 0.95
    diff = np.abs(data[:, ok] - ref[:, ok])
    # Two bilinear resamplings (10 m -> 12 m -> 10 m) of speckled SAR: close in the median, correlated.
    assert np.median(diff) < 1.5
    assert np.corrcoef(data[0, ok], ref[0, ok])[0, 1] > 0.8


def test_reader_marks_pixels_outside_the_input_and_nodata_invalid(tmp_path):
    info = inspect_raster(str(S1), "s1")
    g = info.grid
    shifted = Grid(g.crs, g.transform * Affine.translation(-100, -50), g.width, g.height)  # input covers part
    with InputReader(info, (1, 2), shifted) as reader:
        assert not reader.warped  # same lattice, integer offset
        data, valid = reader.read(Box(0, 0, 120, 200))
    assert not valid[:50].any() and not valid[:, :100].any()
    assert valid[50:, 100:].mean() > 0.9
    with rasterio.open(S1) as src:
        nan_px = ~np.isfinite(src.read(1, window=((0, 70), (0, 100))))
    assert not valid[50:, 100:][nan_px].any()  # NaN nodata of the file stays invalid


def test_writer_streams_rows_and_renames_on_commit(tmp_path, files):
    grid = inspect_raster(str(S2), "s2").grid
    path = str(tmp_path / "out.tif")
    w = GeoTiffWriter(
        path, files, grid, 2, "float32", nodata=float("nan"), descriptions=["VV", "VH"], tags={"A": "1"}
    )
    assert os.path.exists(w.tmp) and w.tmp.endswith(".part.tif") and not os.path.exists(path)
    assert f"out.terramind-{files.run_id}." in w.tmp
    rng = np.random.default_rng(0)
    full = rng.standard_normal((2, 512, 512)).astype(np.float32)
    for row in range(0, 512, 100):
        w.write_rows(row, full[:, row : row + 100])
    assert w.commit() == path and not os.path.exists(w.tmp)
    with rasterio.open(path) as dst:
        np.testing.assert_array_equal(dst.read(), full)
        assert dst.descriptions == ("VV", "VH") and dst.tags()["A"] == "1"
        assert dst.profile["tiled"] and dst.profile["compress"] == "deflate"
        assert dst.crs == grid.crs and dst.transform == grid.transform


def test_writer_abort_removes_temp_and_incomplete_commit_fails(tmp_path, files):
    grid = inspect_raster(str(S2), "s2").grid
    w = GeoTiffWriter(str(tmp_path / "x.tif"), files, grid, 1, "uint8")
    w.write_rows(0, np.zeros((1, 10, 512), np.uint8))
    with pytest.raises(OutputError, match="incomplete"):
        w.commit()
    w.abort()
    assert [p.name for p in tmp_path.iterdir()] == ["runs"]


def test_writer_unwritable_folder_raises_output_error(tmp_path, files):
    grid = inspect_raster(str(S2), "s2").grid
    with pytest.raises(OutputError, match="does not exist"):
        GeoTiffWriter(str(tmp_path / "no" / "x.tif"), files, grid, 1, "uint8")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user that can write anywhere")
        with pytest.raises(OutputError, match="not writable"):
            GeoTiffWriter(str(locked / "x.tif"), files, grid, 1, "uint8")
    finally:
        locked.chmod(0o700)


def test_reader_keeps_classes_with_nearest_resampling(tmp_path):
    lulc = example("LULC")
    wgs = reproject_to_utm(
        lulc, tmp_path / "lulc_wgs84.tif", resolution=9e-5, crs="EPSG:4326", resampling=Resampling.nearest
    )
    grid = inspect_raster(str(lulc), "lulc").grid
    with InputReader(inspect_raster(wgs, "lulc wgs84"), (1,), grid, categorical=True) as reader:
        data, valid = reader.read(Box(0, 0, grid.height, grid.width))
    with rasterio.open(lulc) as src:
        ref = src.read(1)
    classes = set(np.unique(ref)) | {0}  # 0: corners outside the original footprint (the copy has no nodata)
    assert set(np.unique(data[0][valid])) <= classes  # no blended, non-existent class values
    assert (data[0][valid] == ref[valid]).mean() > 0.9


def test_writer_in_strips_equals_a_single_pass_and_checks_the_order(tmp_path, files):
    grid = Grid(inspect_raster(str(S2), "s2").grid.crs, Affine(10, 0, 0, 0, -10, 0), 600, 70)
    full = np.random.default_rng(1).standard_normal((2, 70, 600)).astype(np.float32)
    w = GeoTiffWriter(str(tmp_path / "s.tif"), files, grid, 2, "float32", block=256, block_rows=16)
    for col, stop in ((0, 256), (256, 512), (512, 600)):  # strips of whole blocks, the last one partial
        for row in range(0, 70, 30):
            w.write_rows(row, full[:, row : row + 30, col:stop], col)
    with rasterio.open(w.commit()) as dst:
        np.testing.assert_array_equal(dst.read(), full)

    w = GeoTiffWriter(str(tmp_path / "bad.tif"), files, grid, 2, "float32", block=256, block_rows=16)
    with pytest.raises(ValueError, match="whole 256-px blocks"):
        w.write_rows(0, full[:, :16, 100:356], 100)  # not at a block edge
    w.write_rows(0, full[:, :16, :256])
    with pytest.raises(ValueError, match="incomplete"):
        w.write_rows(0, full[:, :16, 256:512], 256)  # the first strip has 16 of 70 rows
    w.write_rows(16, full[:, 16:, :256])
    with pytest.raises(OutputError, match="incomplete"):
        w.commit()  # columns 256-600 missing
    w.abort()
    assert not os.path.exists(w.tmp)
