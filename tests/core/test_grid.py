"""Output grid from the optical raster and an area of interest."""

from __future__ import annotations

import pytest
import rasterio
from helpers.paths import SEN1FLOODS, example
from rasterio.warp import transform_bounds

from terramind_qgis.core.errors import InputError
from terramind_qgis.core.grid import Box, Grid, grid_for_area
from terramind_qgis.core.jobs import Area


def _grid(path) -> Grid:
    with rasterio.open(path) as src:
        return Grid(src.crs, src.transform, src.width, src.height)


def test_grid_for_area_none_is_the_whole_raster():
    g = _grid(example("S2L2A"))
    assert grid_for_area(g, None, "s2") is g


def test_grid_for_area_in_wgs84_selects_whole_pixels_of_utm_raster():
    g = _grid(example("S2L2A"))  # EPSG:32718, 224 x 224 at 10 m
    x0, y0, _, _ = g.bounds
    inner = (x0 + 505, y0 + 1003, x0 + 1498, y0 + 1507)  # about 100 x 50 px in UTM metres
    lon_lat = transform_bounds(g.crs, "EPSG:4326", *inner)
    sub = grid_for_area(g, Area(lon_lat, "EPSG:4326"), "s2")
    assert sub.crs == g.crs and sub.transform.a == 10
    assert sub.offset_in(g) is not None  # same pixel lattice
    b = sub.bounds
    assert (
        b[0] <= inner[0] + 1e-6
        and b[2] >= inner[2] - 1e-6
        and b[1] <= inner[1] + 1e-6
        and b[3] >= inner[3] - 1e-6
    )
    env = transform_bounds("EPSG:4326", g.crs, *lon_lat, densify_pts=21)  # the area's envelope in UTM
    assert (
        b[0] > env[0] - 10 and b[1] > env[1] - 10 and b[2] < env[2] + 10 and b[3] < env[3] + 10
    )  # <= 1 px more


def test_grid_for_area_outside_raises_naming_layer():
    g = _grid(SEN1FLOODS / "Spain_7370579_S2Hand.tif")
    with pytest.raises(InputError, match="does not overlap 'spain'"):
        grid_for_area(g, Area((10.0, 50.0, 10.1, 50.1), "EPSG:4326"), "spain")


def test_grid_for_area_rejects_bad_crs_and_empty_box():
    g = _grid(example("S2L2A"))
    with pytest.raises(InputError, match="CRS"):
        grid_for_area(g, Area((0, 0, 1, 1), "EPSG:999999"), "s2")
    with pytest.raises(InputError, match="empty"):
        grid_for_area(g, Area((1, 0, 0, 1), "EPSG:4326"), "s2")


def test_coarsened_grid_scales_transform_by_patch_size():
    g = _grid(SEN1FLOODS / "Spain_7370579_S2Hand.tif")
    p = g.coarsened(16)
    assert (p.width, p.height) == (32, 32)
    assert p.transform.a == pytest.approx(16 * g.transform.a) and p.transform.c == g.transform.c


def test_box_clip():
    assert Box(-5, 10, 20, 20).clip(12, 25) == Box(0, 10, 12, 15)
    assert Box(50, 0, 5, 5).clip(10, 10).height == 0
