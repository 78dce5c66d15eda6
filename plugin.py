"""``TerraMindPlugin``: menu, toolbar button, dock and Processing provider; ``unload()`` removes them all.

Nothing here imports torch: the dock is created on first use and the model only loads inside a task,
so QGIS starts fast and the plugin still loads (and says what is missing) when torch is absent.
"""

from __future__ import annotations

import logging
import os

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QDialog, QDockWidget, QMenu

from .bridge.adapters.i18n import install_translator, remove_translator
from .bridge.adapters.log import install_log_handler, remove_log_handler
from .bridge.runtime.deps import activate_private_site, check_dependencies
from .core.run_files import sweep_leftovers
from .ui.layer_actions import LayerActions

log = logging.getLogger(__name__)

ICON_PATH = os.path.join(os.path.dirname(__file__), "resources", "icon.svg")


class TerraMindPlugin:
    """The object QGIS gets from ``classFactory``.

    QGIS calls ``initProcessing()`` (also under qgis_process), ``initGui()`` in the desktop, and
    ``unload()`` when the plugin is disabled or reloaded.
    """

    def __init__(self, iface) -> None:
        self.iface = iface
        self.provider = None
        self.dock = None
        self.menu: QMenu | None = None
        self.actions: list[QAction] = []
        self.toggle_action: QAction | None = None
        self.layer_actions = None
        self._log_handler = None
        self.translator = install_translator()

    # ----- set-up ---------------------------------------------------------------------------------------
    def initProcessing(self) -> None:
        """Register the Processing provider (idempotent); remove what killed runs left behind."""
        if self._log_handler is None:
            self._log_handler = install_log_handler()
            activate_private_site()
            sweep_leftovers()
        if self.provider is None:
            from .algorithms.provider import TerraMindProvider

            provider = TerraMindProvider()
            if QgsApplication.processingRegistry().addProvider(provider):  # False: QGIS deleted it
                self.provider = provider
            else:
                log.warning(
                    "A Processing provider with id 'terramind' is already registered; not adding another"
                )

    def initGui(self) -> None:
        """Create the TerraMind menu (under Raster), the toolbar button and the provider."""
        self.initProcessing()
        icon = QIcon(ICON_PATH)
        theme = QgsApplication.getThemeIcon
        self.toggle_action = self._action(
            icon,
            self.tr("TerraMind Panel"),
            "TerraMindToggleDock",
            self.tr("Show or hide the TerraMind panel"),
            self.toggle_dock,
        )
        self.toggle_action.setCheckable(True)
        self.actions = [
            self.toggle_action,
            self._action(
                theme("/mActionOptions.svg"), self.tr("Settings…"), "TerraMindSettings",
                self.tr("Default model, device and options; weights folders; the Python that runs models"),
                self.show_settings,
            ),
            self._action(
                theme("/mActionOptions.svg"), self.tr("Set Up Runtime…"), "TerraMindSetup",
                self.tr("Settings: Python packages (torch), CPU or GPU build, worker"), self.show_setup,
            ),
            self._action(
                theme("/mActionFileOpen.svg"), self.tr("Model Weights…"), "TerraMindWeights",
                self.tr("Settings: weights folder, cache, offline mode, downloads"), self.show_weights,
            ),
            self._action(
                theme("/mActionHelpContents.svg"), self.tr("About…"), "TerraMindAbout",
                self.tr("Versions, devices and a diagnostics report"), self.show_about,
            ),
        ]  # fmt: skip
        parent = self.iface.mainWindow()
        self.menu = QMenu(self.tr("&TerraMind"), parent)
        self.menu.setObjectName("TerraMindMenu")
        self.menu.setIcon(icon)
        self.menu.addActions(self.actions)
        self.iface.rasterMenu().addMenu(self.menu)
        self.iface.addRasterToolBarIcon(self.toggle_action)
        self.layer_actions = LayerActions(self.iface, self.open_dock_with_layer, self.offer_layer, icon)
        self.layer_actions.register()
        self._report_missing_dependencies()

    def _action(self, icon: QIcon, text: str, name: str, tip: str, slot) -> QAction:
        action = QAction(icon, text, self.iface.mainWindow())
        action.setObjectName(name)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _report_missing_dependencies(self) -> None:
        """Say once, in the message bar, what is missing to run models (the plugin itself keeps working)."""
        report = check_dependencies()
        if not report.ok:
            log.warning("%s", report.message())
            self.iface.messageBar().pushMessage(
                self.tr("TerraMind"), report.message(), Qgis.MessageLevel.Warning, 0
            )

    # ----- actions --------------------------------------------------------------------------------------
    def toggle_dock(self, checked: bool | None = None) -> None:
        """Show or hide the dock, creating it on first use."""
        if self.dock is None:
            if checked is False:
                return
            try:
                self._create_dock()
            except Exception as exc:
                log.exception("Could not create the TerraMind panel")
                for orphan in self.iface.mainWindow().findChildren(QDockWidget, "TerraMindDock"):
                    orphan.setParent(None)  # the half-built panel
                    orphan.deleteLater()
                self.toggle_action.setChecked(False)
                self.iface.messageBar().pushMessage(
                    self.tr("TerraMind"),
                    self.tr("Could not open the panel: {0}").format(exc),
                    Qgis.MessageLevel.Critical,
                    0,
                )
                return
        visible = (not self.dock.isUserVisible()) if checked is None else bool(checked)
        self.dock.setUserVisible(visible)

    def open_dock_with_layer(self, layer) -> None:
        """Show the dock and put ``layer`` into the role its bands suggest (Layers-panel entry)."""
        self.toggle_dock(True)
        if self.dock is not None:
            self.dock.use_layer(layer)

    def offer_layer(self, layer) -> None:
        """Offer the newly selected layer to the open dock for an empty role."""
        if self.dock is not None and self.dock.isUserVisible():
            self.dock.offer_layer(layer)

    def _create_dock(self) -> None:
        from .ui.dock import TerraMindDock

        self.dock = TerraMindDock(self.iface, self.iface.mainWindow())
        self.dock.setObjectName("TerraMindDock")
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.setToggleVisibilityAction(self.toggle_action)

    def show_settings(self) -> None:
        """Open the Settings dialog; after OK an open panel takes the new defaults."""
        from .ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.iface.mainWindow())
        if dialog.exec() == QDialog.DialogCode.Accepted and self.dock is not None:
            self.dock.load_settings()
        dialog.deleteLater()

    def show_setup(self) -> None:
        """Open the runtime settings: install torch & co, choose the CPU/GPU build or another Python."""
        from .ui.setup_dialog import SetupDialog

        SetupDialog(self.iface.mainWindow()).exec()

    def show_weights(self) -> None:
        """Open the weights settings: local folder, cache, offline mode, downloads."""
        from .bridge.adapters.settings import MODEL_SIZE
        from .ui.weights_dialog import WeightsDialog

        WeightsDialog(MODEL_SIZE.value(), self.iface.mainWindow()).exec()

    def show_about(self) -> None:
        """Open the About / Diagnostics dialog."""
        from .ui.about import AboutDialog

        AboutDialog(self.iface.mainWindow()).exec()

    # ----- tear-down ------------------------------------------------------------------------------------
    def unload(self) -> None:
        """Remove every action, the menu, the dock, the provider and the log handler."""
        if self.layer_actions is not None:
            self.layer_actions.unregister()
            self.layer_actions.deleteLater()
            self.layer_actions = None
        if self.dock is not None:
            self.dock.shutdown()
            self.iface.removeDockWidget(self.dock)
            self.dock.setParent(None)
            self.dock.deleteLater()
            self.dock = None
        if self.toggle_action is not None:
            self.iface.removeRasterToolBarIcon(self.toggle_action)
        if self.menu is not None:
            self.iface.rasterMenu().removeAction(self.menu.menuAction())
            self.menu.deleteLater()
            self.menu = None
        for action in self.actions:
            action.deleteLater()
        self.actions = []
        self.toggle_action = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_log_handler(self._log_handler)
        self._log_handler = None
        remove_translator(self.translator)
        self.translator = None

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("TerraMindPlugin", text)
