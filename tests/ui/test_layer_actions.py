"""ui/layer_actions.py: raster layers get a TerraMind entry; selection changes reach the dock."""

from __future__ import annotations

import pytest
from qgis.core import QgsMapLayer, QgsMapLayerType
from qgis.gui import QgsGui
from qgis.PyQt.QtCore import QObject, pyqtSignal

from terramind_qgis.ui.layer_actions import LayerActions


class SelectionSignal(QObject):
    """Has ``currentLayerChanged(QgsMapLayer)`` like QGIS' iface (the stub's signal has another type)."""

    currentLayerChanged = pyqtSignal(QgsMapLayer)


@pytest.fixture()
def recording_iface(qgis_iface, monkeypatch):
    custom = []
    selection = SelectionSignal()
    monkeypatch.setattr(
        qgis_iface, "addCustomActionForLayerType",
        lambda action, menu, kind, all_layers: custom.append((action, kind, all_layers)), raising=False,
    )  # fmt: skip
    monkeypatch.setattr(
        qgis_iface, "removeCustomActionForLayerType",
        lambda action: custom.remove(next(c for c in custom if c[0] is action)), raising=False,
    )  # fmt: skip
    monkeypatch.setattr(qgis_iface, "currentLayerChanged", selection.currentLayerChanged, raising=False)
    monkeypatch.setattr(qgis_iface, "custom_actions", custom, raising=False)
    yield qgis_iface
    del selection  # the patched signal belongs to it: keep it alive until the test ends


def test_layer_actions_register_and_unregister_everything(recording_iface, scene, qgis_countries_layer):
    actions = LayerActions(recording_iface, lambda layer: None, lambda layer: None)
    actions.register()
    assert [(a, k) for a, k, _ in recording_iface.custom_actions] == [
        (actions.context_action, QgsMapLayerType.RasterLayer)
    ]
    registry = QgsGui.mapLayerActionRegistry()
    assert actions.map_layer_action in registry.mapLayerActions(scene["S2L2A"])
    assert actions.map_layer_action not in registry.mapLayerActions(qgis_countries_layer)
    actions.unregister()
    assert recording_iface.custom_actions == []
    assert actions.map_layer_action not in registry.mapLayerActions(scene["S2L2A"])


def test_layer_actions_open_dock_with_the_clicked_raster(recording_iface, scene, qgis_countries_layer):
    opened = []
    actions = LayerActions(recording_iface, opened.append)
    actions.register()
    try:
        recording_iface.setActiveLayer(scene["DEM"])
        actions.context_action.trigger()
        actions.map_layer_action.triggerForLayer(scene["S1RTC"])
        recording_iface.setActiveLayer(qgis_countries_layer)
        actions.context_action.trigger()  # a vector layer is ignored
        assert opened == [scene["DEM"], scene["S1RTC"]]
    finally:
        actions.unregister()


def test_layer_actions_forward_raster_selection_to_offer(recording_iface, scene, qgis_countries_layer):
    offered = []
    actions = LayerActions(recording_iface, lambda layer: None, offered.append)
    actions.register()
    recording_iface.currentLayerChanged.emit(scene["DEM"])
    recording_iface.currentLayerChanged.emit(qgis_countries_layer)
    actions.unregister()
    recording_iface.currentLayerChanged.emit(scene["S2L2A"])  # no longer followed
    assert offered == [scene["DEM"]]


def test_layer_actions_selection_offer_reaches_the_dock(recording_iface, dock, scene):
    actions = LayerActions(recording_iface, dock.put_layer, dock.offer_layer)
    actions.register()
    try:
        recording_iface.currentLayerChanged.emit(scene["SPAIN_S1"])
        assert dock.offer.offered() == ("S1GRD", scene["SPAIN_S1"].id())
        actions.map_layer_action.triggerForLayer(scene["S2L2A"])
        assert dock.pickers["S2L2A"].layer() is scene["S2L2A"]
    finally:
        actions.unregister()
