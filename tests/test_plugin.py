"""The plugin in a real QGIS (pytest-qgis): classFactory, menu, toolbar, dock, provider, unload/reload."""

from __future__ import annotations

import pytest
from helpers.paths import example
from qgis.core import Qgis, QgsApplication, QgsRasterLayer
from qgis.gui import QgsGui
from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QMenu, QToolBar

import terramind_qgis

ALGORITHM_IDS = {
    "terramind:generate_lulc",
    "terramind:generate_s1grd",
    "terramind:generate_modality",
    "terramind:patch_embeddings",
    "terramind:embedding_similarity",
    "terramind:embedding_clusters",
    "terramind:embedding_classify",
    "terramind:embedding_change",
    "terramind:segment",
}


@pytest.fixture()
def iface(qgis_iface, monkeypatch):
    """pytest-qgis' stub iface with a real Raster menu, Raster toolbar and docking (its own are no-ops)."""
    window = qgis_iface.mainWindow()
    raster_menu = window.menuBar().addMenu("&Raster")
    toolbar = QToolBar("Raster Toolbar", window)
    window.addToolBar(toolbar)
    monkeypatch.setattr(qgis_iface, "rasterMenu", lambda: raster_menu, raising=False)
    monkeypatch.setattr(qgis_iface, "addRasterToolBarIcon", toolbar.addAction, raising=False)
    monkeypatch.setattr(qgis_iface, "removeRasterToolBarIcon", toolbar.removeAction, raising=False)
    monkeypatch.setattr(
        qgis_iface, "addDockWidget", lambda area, dock: window.addDockWidget(area, dock), raising=False
    )
    monkeypatch.setattr(qgis_iface, "removeDockWidget", window.removeDockWidget, raising=False)
    qgis_iface.raster_toolbar = toolbar
    window.show()
    yield qgis_iface
    for provider in _terramind_providers():  # a failed test must not leave its provider to the next one
        QgsApplication.processingRegistry().removeProvider(provider)
    window.menuBar().removeAction(raster_menu.menuAction())
    window.removeToolBar(toolbar)
    for dock in window.findChildren(QDockWidget):
        window.removeDockWidget(dock)
        dock.deleteLater()
    _flush_deletes()


def _flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _terramind_menus(iface):
    return [
        a.menu()
        for a in iface.rasterMenu().actions()
        if a.menu() and a.menu().objectName() == "TerraMindMenu"
    ]


def _our_actions(iface, name):
    return iface.mainWindow().findChildren(QAction, name)


def _terramind_docks(iface):
    return [d for d in iface.mainWindow().findChildren(QDockWidget) if d.objectName() == "TerraMindDock"]


def _terramind_providers():
    return [p for p in QgsApplication.processingRegistry().providers() if p.id() == "terramind"]


def _our_layer_actions():
    layer = QgsRasterLayer(str(example("S2L2A")), "s2", "gdal")
    actions = QgsGui.mapLayerActionRegistry().mapLayerActions(layer)
    return [a for a in actions if a.text().startswith("Use in TerraMind")]


@pytest.fixture()
def plugin(iface):
    plugin = terramind_qgis.classFactory(iface)
    plugin.initGui()
    yield plugin
    plugin.unload()
    _flush_deletes()


def test_plugin_class_factory_creates_menu_toolbar_and_provider(plugin, iface):
    (menu,) = _terramind_menus(iface)
    assert [a.objectName() for a in menu.actions()] == [
        "TerraMindToggleDock", "TerraMindSettings", "TerraMindSetup", "TerraMindWeights", "TerraMindAbout"
    ]  # fmt: skip
    assert [a.text() for a in menu.actions()] == [
        "TerraMind Panel",
        "Settings…",
        "Set Up Runtime…",
        "Model Weights…",
        "About…",
    ]
    assert plugin.toggle_action in iface.raster_toolbar.actions()
    assert not plugin.toggle_action.icon().isNull()
    (provider,) = _terramind_providers()
    assert provider.name() == "TerraMind"
    assert {a.id() for a in provider.algorithms()} == ALGORITHM_IDS
    assert len(_our_layer_actions()) == 1


def test_plugin_toggle_action_docks_and_shows_the_panel(plugin, iface):
    assert plugin.dock is None and _terramind_docks(iface) == []  # created lazily
    plugin.toggle_action.trigger()
    (dock,) = _terramind_docks(iface)
    assert dock is plugin.dock
    assert iface.mainWindow().dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert dock.isVisible() and plugin.toggle_action.isChecked()
    plugin.toggle_action.trigger()
    assert not dock.isVisible() and not plugin.toggle_action.isChecked()
    dock.setUserVisible(True)  # closing/opening the dock itself keeps the action in step
    assert plugin.toggle_action.isChecked()


def test_plugin_unload_removes_everything(iface):
    plugin = terramind_qgis.classFactory(iface)
    plugin.initGui()
    plugin.toggle_action.trigger()
    toggle = plugin.toggle_action
    assert len(_our_actions(iface, "TerraMindSettings")) == 1
    plugin.unload()
    _flush_deletes()
    assert _terramind_menus(iface) == []
    assert _our_actions(iface, "TerraMindSettings") == [] and _our_actions(iface, "TerraMindSetup") == []
    assert toggle not in iface.raster_toolbar.actions()
    assert _terramind_docks(iface) == []
    assert _terramind_providers() == []
    assert _our_layer_actions() == []


def test_plugin_load_unload_load_leaves_no_duplicates(iface):
    for _round in range(2):
        plugin = terramind_qgis.classFactory(iface)
        plugin.initGui()
        plugin.toggle_action.trigger()
        assert len(_terramind_menus(iface)) == 1
        assert len(_our_actions(iface, "TerraMindSettings")) == 1
        assert (
            len([a for a in iface.raster_toolbar.actions() if a.objectName() == "TerraMindToggleDock"]) == 1
        )
        assert len(_terramind_docks(iface)) == 1
        assert len(_terramind_providers()) == 1
        assert len(_our_layer_actions()) == 1
        plugin.unload()
        _flush_deletes()
    assert _terramind_providers() == [] and _terramind_docks(iface) == []


def test_plugin_init_processing_alone_registers_provider(iface):
    """qgis_process calls only initProcessing(); unload must still remove the provider."""
    plugin = terramind_qgis.classFactory(iface)
    plugin.initProcessing()
    plugin.initProcessing()  # idempotent
    assert len(_terramind_providers()) == 1
    plugin.unload()
    assert _terramind_providers() == []


def test_plugin_second_instance_does_not_break_on_duplicate_provider(iface):
    first, second = terramind_qgis.classFactory(iface), terramind_qgis.classFactory(iface)
    first.initProcessing()
    second.initProcessing()  # QGIS refuses (and deletes) the duplicate; the plugin must not keep it
    assert second.provider is None and len(_terramind_providers()) == 1
    second.unload()
    assert len(_terramind_providers()) == 1
    first.unload()
    assert _terramind_providers() == []


def test_plugin_import_does_not_create_menu_entries(iface):
    plugin = terramind_qgis.classFactory(iface)
    assert plugin.provider is None and plugin.actions == [] and _terramind_menus(iface) == []
    assert isinstance(iface.rasterMenu(), QMenu)


def test_plugin_menu_actions_open_their_dialogs(plugin, monkeypatch):
    from qgis.PyQt.QtWidgets import QDialog

    shown = []
    monkeypatch.setattr(
        QDialog, "exec", lambda dialog: shown.append(dialog) or 0
    )  # modal: record, don't block
    for action in plugin.actions[1:]:
        action.trigger()
    assert [type(d).__name__ for d in shown] == [
        "SettingsDialog", "SetupDialog", "WeightsDialog", "AboutDialog"
    ]  # fmt: skip
    assert all(d.windowTitle() for d in shown)
    for dialog in shown:
        dialog.deleteLater()


@pytest.fixture()
def clean_settings(qgis_app):
    from terramind_qgis.bridge.adapters import settings

    for key in settings.ALL_KEYS:
        key.remove()
    yield
    for key in settings.ALL_KEYS:
        key.remove()


def test_plugin_settings_ok_gives_the_open_panel_the_new_defaults(plugin, clean_settings, monkeypatch):
    from terramind_qgis.bridge.adapters import settings
    from terramind_qgis.ui.settings_dialog import SettingsDialog

    def accept_with_new_values(dialog):
        dialog.advanced.batch_size.setValue(9)
        dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("small"))
        dialog.accept()
        return dialog.result()

    plugin.toggle_action.trigger()
    assert plugin.dock.advanced.batch_size.value() == settings.BATCH_SIZE.default
    monkeypatch.setattr(SettingsDialog, "exec", accept_with_new_values)
    (action,) = [a for a in plugin.actions if a.objectName() == "TerraMindSettings"]
    action.trigger()
    assert settings.BATCH_SIZE.value() == 9 and settings.MODEL_SIZE.value() == "small"
    assert plugin.dock.advanced.batch_size.value() == 9 and plugin.dock.size_combo.currentData() == "small"


def test_plugin_broken_panel_reports_and_leaves_no_half_built_dock(plugin, iface, monkeypatch):
    from terramind_qgis.ui import dock as dock_module

    def fail(self):
        raise RuntimeError("settings exploded")

    monkeypatch.setattr(dock_module.TerraMindDock, "load_settings", fail)  # fails inside __init__
    plugin.toggle_action.trigger()
    _flush_deletes()
    assert plugin.dock is None and not plugin.toggle_action.isChecked()
    assert _terramind_docks(iface) == []
    assert any("settings exploded" in m for m in iface.messageBar().get_messages(Qgis.MessageLevel.Critical))
