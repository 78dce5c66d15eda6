"""Keep QGIS from writing GDAL ``.aux.xml`` statistics next to the shared test rasters."""

from __future__ import annotations

import pytest
from osgeo import gdal


@pytest.fixture(autouse=True)
def no_pam_files():
    previous = gdal.GetConfigOption("GDAL_PAM_ENABLED")
    gdal.SetConfigOption("GDAL_PAM_ENABLED", "NO")
    yield
    gdal.SetConfigOption("GDAL_PAM_ENABLED", previous)
