"""Similarity maps against a direct numpy computation on a real Sentinel-2 tile used as embeddings."""

from __future__ import annotations

import os

import numpy as np
import pytest
import rasterio
from rasterio.features import rasterize

from terramind_qgis.core.errors import InputError, JobCancelled
from terramind_qgis.core.workbench.geometry_pixels import Features, feature_pixels
from terramind_qgis.core.workbench.similarity import similarity_map

from .conftest import write_float_copy


def _cos(data: np.ndarray, target: np.ndarray) -> np.ndarray:
    return data @ target / (np.linalg.norm(data, axis=-1) * np.linalg.norm(target))


def _point(transform, row: int, col: int) -> dict:
    x, y = transform * (col + 0.5, row + 0.5)
    return {"type": "Point", "coordinates": (x, y)}


def test_points_and_polygons_match_numpy(s2_path, s2, training_polygons, tmp_path):
    with rasterio.open(s2_path) as src:
        transform, crs = src.transform, src.crs
    _cls, polygon, mask = training_polygons[0]
    seeds = Features("seeds", [_point(transform, 10, 20), _point(transform, 150, 90), polygon])
    out = tmp_path / "sim.tif"
    result = similarity_map(s2_path, "S2 tile", seeds, str(out))

    vectors = np.concatenate([s2[10:11, 20], s2[150:151, 90], s2[mask]])
    expected = _cos(s2, vectors.mean(axis=0))
    with rasterio.open(out) as dst:
        got = dst.read(1)
        assert (dst.crs, dst.transform, dst.shape) == (crs, transform, s2.shape[:2])
        assert dst.dtypes[0] == "float32"
    np.testing.assert_allclose(got, expected, atol=2e-6)
    assert result.outputs == {"similarity": str(out)}
    assert os.path.exists(result.styles["similarity"])


def test_negatives_subtract_their_similarity(s2_path, s2, tmp_path):
    with rasterio.open(s2_path) as src:
        t = src.transform
    seeds = Features("seeds", [_point(t, 5, 5)])
    negatives = Features("negatives", [_point(t, 200, 200), _point(t, 100, 30)])
    out = tmp_path / "sim.tif"
    similarity_map(s2_path, "S2", seeds, str(out), negatives=negatives)
    expected = _cos(s2, s2[5, 5]) - _cos(s2, (s2[200, 200] + s2[100, 30]) / 2)
    with rasterio.open(out) as dst:
        np.testing.assert_allclose(dst.read(1), expected, atol=4e-6)


def test_polygon_pixels_are_the_rasterized_centres(s2_path, training_polygons):
    with rasterio.open(s2_path) as src:
        from terramind_qgis.core.grid import Grid

        grid = Grid(src.crs, src.transform, src.width, src.height)
    for _cls, polygon, _mask in training_polygons[:8]:
        expected = rasterize([(polygon, 1)], out_shape=(grid.height, grid.width), transform=grid.transform)
        rows, cols = feature_pixels(grid, polygon)
        got = np.zeros_like(expected)
        got[rows, cols] = 1
        np.testing.assert_array_equal(got, expected)


def test_nodata_pixels_stay_nodata(s2_path, s2, tmp_path):
    emb = write_float_copy(
        s2_path,
        str(tmp_path / "emb.tif"),
        nodata=-9999.0,
        nan_box=(0, 10, 0, 224),
        nodata_box=(50, 60, 100, 120),
    )
    with rasterio.open(emb) as src:
        t = src.transform
    out = tmp_path / "sim.tif"
    # One seed on a nodata pixel: it is ignored, the other one defines the target.
    similarity_map(emb, "emb", Features("seeds", [_point(t, 55, 110), _point(t, 100, 100)]), str(out))
    with rasterio.open(out) as dst:
        got = dst.read(1)
    invalid = np.zeros(s2.shape[:2], bool)
    invalid[0:10] = True
    invalid[50:60, 100:120] = True
    assert np.isnan(got[invalid]).all()
    np.testing.assert_allclose(got[~invalid], _cos(s2, s2[100, 100])[~invalid], atol=2e-6)


def test_bad_seeds_leave_no_file(s2_path, tmp_path):
    with rasterio.open(s2_path) as src:
        t = src.transform
    out = tmp_path / "sim.tif"
    far = {"type": "Point", "coordinates": t * (-500, -500)}
    with pytest.raises(InputError, match="SEEDS: none of the 1 feature.*'far seeds'.*inside"):
        similarity_map(s2_path, "S2", Features("far seeds", [far]), str(out))
    emb = write_float_copy(s2_path, str(tmp_path / "emb.tif"), nan_box=(0, 20, 0, 20))
    with pytest.raises(InputError, match="every pixel under the features of 'gap'.*nodata"):
        similarity_map(emb, "emb", Features("gap", [_point(t, 3, 3)]), str(out))
    with pytest.raises(InputError, match="NEGATIVES: none"):
        similarity_map(s2_path, "S2", Features("s", [_point(t, 3, 3)]), str(out), Features("n", [far]))
    assert sorted(os.listdir(tmp_path)) == ["emb.tif"]


def test_cancel_leaves_no_file(s2_path, tmp_path):
    with rasterio.open(s2_path) as src:
        t = src.transform
    with pytest.raises(JobCancelled):
        similarity_map(
            s2_path,
            "S2",
            Features("s", [_point(t, 3, 3)]),
            str(tmp_path / "sim.tif"),
            is_cancelled=lambda: True,
        )
    assert os.listdir(tmp_path) == []


def test_single_band_raster_is_refused(tmp_path):
    from helpers.paths import example

    with pytest.raises(InputError, match="has 1 band; an embedding raster has one band per feature"):
        similarity_map(str(example("DEM")), "DEM", Features("s", []), str(tmp_path / "x.tif"))


def test_an_output_that_is_the_input_is_refused(s2_path, tmp_path):
    emb = write_float_copy(s2_path, str(tmp_path / "emb.tif"))
    before = open(emb, "rb").read()
    with rasterio.open(emb) as src:
        t = src.transform
    with pytest.raises(InputError, match="is the input file"):
        similarity_map(emb, "emb", Features("s", [_point(t, 3, 3)]), emb)
    assert open(emb, "rb").read() == before and sorted(os.listdir(tmp_path)) == ["emb.tif"]
