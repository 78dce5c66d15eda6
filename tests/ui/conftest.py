"""Fixtures of the dock tests: real layers from tests/data, a clean settings store, a docked panel."""

from __future__ import annotations

import pytest
from helpers.paths import SEN1FLOODS, example
from qgis.core import QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import Qt

from terramind_qgis.bridge.adapters import settings


@pytest.fixture()
def clean_settings(qgis_app):
    """Every plugin key back to its default before and after the test."""
    for key in settings.ALL_KEYS:
        key.remove()
    yield
    for key in settings.ALL_KEYS:
        key.remove()


@pytest.fixture()
def real_docking(qgis_iface, monkeypatch):
    """pytest-qgis' stub iface.addDockWidget/removeDockWidget are no-ops: dock into the stub main window."""
    window = qgis_iface.mainWindow()
    monkeypatch.setattr(
        qgis_iface, "addDockWidget", lambda area, dock: window.addDockWidget(area, dock), raising=False
    )
    monkeypatch.setattr(
        qgis_iface, "removeDockWidget", lambda dock: window.removeDockWidget(dock), raising=False
    )
    return qgis_iface


def _add(path, name) -> QgsRasterLayer:
    layer = QgsRasterLayer(str(path), name, "gdal")
    assert layer.isValid(), path
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture()
def scene(qgis_new_project):
    """The Chile TerraMesh sample (S2L2A, S1RTC, DEM) and the Spain Sen1Floods11 S2 as project layers."""
    return {
        "S2L2A": _add(example("S2L2A"), "s2l2a chile"),
        "S1RTC": _add(example("S1RTC"), "s1rtc chile"),
        "DEM": _add(example("DEM"), "dem chile"),
        "RGB": _add(example("S2RGB"), "rgb chile"),
        "SPAIN_S2": _add(SEN1FLOODS / "Spain_7370579_S2Hand.tif", "s2 spain"),
        "SPAIN_S1": _add(SEN1FLOODS / "Spain_7370579_S1Hand.tif", "s1 spain"),
    }


@pytest.fixture()
def dock(qgis_iface, real_docking, clean_settings, qgis_new_project):
    from terramind_qgis.ui.dock import TerraMindDock

    panel = TerraMindDock(qgis_iface)
    qgis_iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    qgis_iface.messageBar().clear_messages()
    yield panel
    panel.shutdown()
    qgis_iface.removeDockWidget(panel)
    panel.deleteLater()
