"""TerraMind entries for raster layers: Layers-panel context menu, map-layer action, selection offer.

``plugin.py`` creates one ``LayerActions`` in ``initGui``, calls ``register()``, and ``unregister()`` in
``unload``. The callbacks decide what happens (open the dock with the layer, offer it to the open dock).
"""

from __future__ import annotations

from typing import Callable

from qgis.core import QgsMapLayer, QgsMapLayerType, QgsRasterLayer
from qgis.gui import QgsGui, QgsMapLayerAction
from qgis.PyQt.QtCore import QObject
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr

LayerCallback = Callable[[QgsMapLayer], None]


class LayerActions(QObject):
    """Adds "Use in TerraMind…" to raster layers and forwards layer selection to the dock.

    Args:
        iface: the QGIS interface.
        open_dock_with_layer: called with a raster layer chosen from the context menu or the map-layer
            action; should show the dock and put the layer into its suggested role.
        offer_layer: called with the new current layer whenever the selection in the Layers panel
            changes; should offer the layer for an empty role when the dock is open. ``None``: no offer.
        icon: icon of both entries.
    """

    def __init__(
        self,
        iface,
        open_dock_with_layer: LayerCallback,
        offer_layer: Callable[[QgsMapLayer | None], None] | None = None,
        icon: QIcon | None = None,
    ) -> None:
        super().__init__()
        self.iface = iface
        self._open = open_dock_with_layer
        self._offer = offer_layer
        icon = icon or QIcon()
        self.context_action = QAction(icon, tr("Use in TerraMind…"), self)
        self.context_action.setToolTip(tr("Open the TerraMind panel with this layer as an input"))
        self.context_action.triggered.connect(self._on_context_action)
        self.map_layer_action = QgsMapLayerAction(
            tr("Use in TerraMind…"), self, QgsMapLayerType.RasterLayer, QgsMapLayerAction.Target.Layer, icon
        )
        self.map_layer_action.triggeredForLayer.connect(self._on_layer_action)
        self._registered = False

    def register(self) -> None:
        """Add the context-menu entry and the map-layer action; follow the layer selection."""
        if self._registered:
            return
        self.iface.addCustomActionForLayerType(self.context_action, "", QgsMapLayerType.RasterLayer, True)
        QgsGui.mapLayerActionRegistry().addMapLayerAction(self.map_layer_action)
        if self._offer is not None:
            self.iface.currentLayerChanged.connect(self._on_current_layer_changed)
        self._registered = True

    def unregister(self) -> None:
        """Remove everything ``register()`` added."""
        if not self._registered:
            return
        self.iface.removeCustomActionForLayerType(self.context_action)
        QgsGui.mapLayerActionRegistry().removeMapLayerAction(self.map_layer_action)
        if self._offer is not None:
            self.iface.currentLayerChanged.disconnect(self._on_current_layer_changed)
        self._registered = False

    def _on_context_action(self, _checked: bool = False) -> None:
        layer = self.iface.activeLayer()  # the layer right-clicked in the Layers panel is the current one
        if isinstance(layer, QgsRasterLayer):
            self._open(layer)

    def _on_layer_action(self, layer: QgsMapLayer) -> None:
        if isinstance(layer, QgsRasterLayer):
            self._open(layer)

    def _on_current_layer_changed(self, layer: QgsMapLayer | None) -> None:
        if isinstance(layer, QgsRasterLayer) and self._offer is not None:
            self._offer(layer)
