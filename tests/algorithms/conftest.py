"""The TerraMind provider in a Processing-initialised QGIS; no GDAL side files written into tests/data."""

from __future__ import annotations

import pytest
from osgeo import gdal
from qgis.core import QgsApplication
from terramind_qgis.algorithms.provider import TerraMindProvider


@pytest.fixture(autouse=True)
def no_pam_files():
    previous = gdal.GetConfigOption("GDAL_PAM_ENABLED")
    gdal.SetConfigOption("GDAL_PAM_ENABLED", "NO")
    yield
    gdal.SetConfigOption("GDAL_PAM_ENABLED", previous)


@pytest.fixture()
def provider(qgis_processing):
    provider = TerraMindProvider()
    assert QgsApplication.processingRegistry().addProvider(provider)
    yield provider
    QgsApplication.processingRegistry().removeProvider(provider)


@pytest.fixture(scope="session")
def weights_dir(tmp_path_factory):
    from helpers.session_weights import seeded_weights_dir

    return seeded_weights_dir(tmp_path_factory)
