"""Change maps between two real rasters of one place (S2 L2A and L1C of a TerraMesh tile as two 'dates')."""

from __future__ import annotations

import os

import numpy as np
import pytest
import rasterio
from helpers.paths import example
from rasterio.windows import Window

from terramind_qgis.core.errors import InputError
from terramind_qgis.core.workbench.change import NODATA_A, NODATA_B, OUTSIDE, VALID, change_map

from .conftest import SAMPLE, write_float_copy

L1C_WITHOUT_B10 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13]


def _date_b(tmp_path, window: Window | None = None, nodata_box=None) -> tuple[str, np.ndarray]:
    """The L1C bands matching L2A's 12 (B10 dropped), optionally cropped, float32 with NaN nodata."""
    with rasterio.open(example("S2L1C", SAMPLE)) as src:
        window = window or Window(0, 0, src.width, src.height)
        data = src.read(L1C_WITHOUT_B10, window=window).astype(np.float32)
        profile = dict(
            src.profile,
            count=12,
            dtype="float32",
            nodata=float("nan"),
            width=window.width,
            height=window.height,
            transform=src.window_transform(window),
        )
    if nodata_box is not None:
        r0, r1, c0, c1 = nodata_box
        data[:, r0:r1, c0:c1] = np.nan
    path = str(tmp_path / "b.tif")
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)
    return path, np.moveaxis(data.astype(np.float64), 0, -1)


def _distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return 1 - (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


def test_same_grid_matches_numpy(s2_path, s2, tmp_path):
    b_path, b = _date_b(tmp_path)
    out, reason = tmp_path / "d.tif", tmp_path / "r.tif"
    result = change_map(s2_path, "A", b_path, "B", str(out), str(reason))
    with rasterio.open(out) as d, rasterio.open(reason) as r:
        np.testing.assert_allclose(d.read(1), _distance(s2, b), atol=2e-6)
        assert (r.read(1) == VALID).all()
        assert d.transform == rasterio.open(s2_path).transform
    assert set(result.outputs) == {"change", "change_reason"}


def test_reasons_and_a_cropped_b(s2_path, s2, tmp_path):
    a_path = write_float_copy(s2_path, str(tmp_path / "a.tif"), nodata=-1.0, nodata_box=(0, 5, 0, 224))
    # B covers rows 20..199 and columns 30..179 of A, with a NaN hole in its own rows 0..9, columns 0..19.
    b_path, b = _date_b(tmp_path, Window(30, 20, 150, 180), nodata_box=(0, 10, 0, 20))
    out, reason = tmp_path / "d.tif", tmp_path / "r.tif"
    change_map(a_path, "A", b_path, "B", str(out), str(reason))
    with rasterio.open(out) as d, rasterio.open(reason) as r:
        dist, why = d.read(1), r.read(1)
    expected = np.full(s2.shape[:2], OUTSIDE)
    expected[20:200, 30:180] = VALID
    expected[20:30, 30:50] = NODATA_B
    expected[0:5] = NODATA_A
    np.testing.assert_array_equal(why, expected)
    assert np.isnan(dist[why != VALID]).all()
    inside = why == VALID
    full = np.zeros_like(s2)
    full[20:200, 30:180] = b
    np.testing.assert_allclose(dist[inside], _distance(s2, full)[inside], atol=2e-6)
    assert 0 <= np.nanmin(dist) and np.nanmax(dist) <= 2


def test_b_on_another_grid_is_warped(s2_path, s2, tmp_path):
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    b_utm, _ = _date_b(tmp_path)
    with rasterio.open(b_utm) as src:
        transform, w, h = calculate_default_transform(
            src.crs, "EPSG:4326", src.width, src.height, *src.bounds
        )
        profile = dict(src.profile, crs="EPSG:4326", transform=transform, width=w, height=h)
        b_geo = str(tmp_path / "b_geo.tif")
        with rasterio.open(b_geo, "w", **profile) as dst:
            for i in range(1, 13):
                reproject(rasterio.band(src, i), rasterio.band(dst, i), resampling=Resampling.bilinear)
    out, reason = tmp_path / "d.tif", tmp_path / "r.tif"
    change_map(s2_path, "A", b_geo, "B", str(out), str(reason))
    with rasterio.open(out) as d, rasterio.open(reason) as r:
        dist, why = d.read(1), r.read(1)
        assert d.crs == rasterio.open(s2_path).crs
    assert (why[5:-5, 5:-5] == VALID).all()
    # Direct computation: B on A's grid through rasterio's WarpedVRT (bilinear), then the distance.
    from rasterio.vrt import WarpedVRT

    with rasterio.open(s2_path) as a_src, rasterio.open(b_geo) as b_src:
        with WarpedVRT(
            b_src,
            crs=a_src.crs,
            transform=a_src.transform,
            width=a_src.width,
            height=a_src.height,
            resampling=Resampling.bilinear,
            nodata=np.nan,
        ) as vrt:
            back = vrt.read()
    expected = _distance(s2, np.moveaxis(back.astype(np.float64), 0, -1))
    both = (why == VALID) & np.isfinite(expected)
    assert both.sum() > 0.95 * both.size
    np.testing.assert_allclose(dist[both], expected[both], atol=1e-5)


def test_bad_pairs_leave_no_file(s2_path, tmp_path):
    out = tmp_path / "d.tif"
    with pytest.raises(InputError, match="INPUT_B 'L1C' has 13 features, INPUT_A 'A' has 12"):
        change_map(s2_path, "A", str(example("S2L1C", SAMPLE)), "L1C", str(out))
    with pytest.raises(InputError, match="'A' and INPUT_B 'elsewhere' do not overlap"):
        change_map(s2_path, "A", str(example("S2L2A", "637U_59R_1_3")), "elsewhere", str(out))
    tagged = write_float_copy(s2_path, str(tmp_path / "tagged.tif"))
    with rasterio.open(tagged, "r+") as dst:
        dst.update_tags(TERRAMIND_MODEL="terramind_v1_tiny")
    with pytest.raises(InputError, match="embeddings of an unknown model, INPUT_B 'T' of terramind_v1_tiny"):
        change_map(s2_path, "A", tagged, "T", str(out))
    assert os.listdir(tmp_path) == ["tagged.tif"]
