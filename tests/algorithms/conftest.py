"""The TerraMind provider in a Processing-initialised QGIS, and the session's seeded weights."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication

from terramind_qgis.algorithms.provider import TerraMindProvider


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
