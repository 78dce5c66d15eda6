"""Area chooser: whole layer, current map extent, or a rectangle drawn on the map canvas."""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry, QgsRectangle, QgsWkbTypes
from qgis.gui import QgsMapCanvas, QgsMapTool, QgsMapToolExtent, QgsRubberBand
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget

from ...bridge.adapters.layers import area_from_rectangle
from ...core.jobs import Area

WHOLE_LAYER = "layer"
MAP_EXTENT = "extent"
DRAWN = "drawn"


class AreaChooser(QWidget):
    """Choose the area of interest; a drawn rectangle stays visible as a rubber band on the canvas.

    Signals:
        areaChanged: the mode or the drawn rectangle changed.
    """

    areaChanged = pyqtSignal()

    def __init__(self, canvas: QgsMapCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.mode_combo = QComboBox(self)
        self.mode_combo.addItem(self.tr("Whole layer"), WHOLE_LAYER)
        self.mode_combo.addItem(self.tr("Current map extent"), MAP_EXTENT)
        self.mode_combo.addItem(self.tr("Rectangle drawn on the map"), DRAWN)
        self.draw_button = QPushButton(self.tr("Draw…"), self)
        self.draw_button.setToolTip(self.tr("Drag a rectangle on the map canvas."))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mode_combo, 1)
        layout.addWidget(self.draw_button)
        self.map_tool = QgsMapToolExtent(canvas)
        self.map_tool.extentChanged.connect(self._on_extent_drawn)
        self.rubber_band = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        self.rubber_band.setColor(QColor(255, 140, 0, 200))
        self.rubber_band.setFillColor(QColor(255, 140, 0, 40))
        self.rubber_band.setWidth(2)
        self._drawn: QgsRectangle | None = None
        self._drawn_crs = QgsCoordinateReferenceSystem()
        self._previous_tool: QgsMapTool | None = None
        self.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        self.draw_button.clicked.connect(self.start_drawing)
        self._on_mode_changed()

    def mode(self) -> str:
        """``"layer"``, ``"extent"`` or ``"drawn"``."""
        return self.mode_combo.currentData()

    def set_mode(self, mode: str) -> None:
        index = self.mode_combo.findData(mode)
        if index >= 0:
            self.mode_combo.setCurrentIndex(index)

    def start_drawing(self) -> None:
        """Make the rectangle tool the canvas' map tool; the previous tool comes back after one rectangle."""
        if self.canvas.mapTool() is not self.map_tool:
            self._previous_tool = self.canvas.mapTool()
        self.set_mode(DRAWN)
        self.canvas.setMapTool(self.map_tool)

    def set_drawn_rectangle(self, rect: QgsRectangle, crs: QgsCoordinateReferenceSystem) -> None:
        """Use ``rect`` (in ``crs``) as the drawn area and show it on the canvas."""
        self._drawn = QgsRectangle(rect)
        self._drawn_crs = QgsCoordinateReferenceSystem(crs)
        self.rubber_band.setToGeometry(QgsGeometry.fromRect(rect), crs)
        self.rubber_band.setVisible(self.mode() == DRAWN)
        self.set_mode(DRAWN)
        self.areaChanged.emit()

    def _on_extent_drawn(self, rect: QgsRectangle) -> None:
        if rect.isEmpty():
            return
        self.set_drawn_rectangle(rect, self.canvas.mapSettings().destinationCrs())
        self.map_tool.clearRubberBand()
        if self.canvas.mapTool() is self.map_tool:
            if self._previous_tool is not None:
                self.canvas.setMapTool(self._previous_tool)
            else:
                self.canvas.unsetMapTool(self.map_tool)

    def _on_mode_changed(self, _index: int = 0) -> None:
        self.rubber_band.setVisible(self.mode() == DRAWN and self._drawn is not None)
        self.areaChanged.emit()

    def area(self) -> Area | None:
        """The chosen area as a job-spec ``Area``; ``None`` for the whole layer or no rectangle drawn yet.

        Raises:
            InputError: the map extent is empty or has no CRS (``layers.area_from_rectangle``).
        """
        mode = self.mode()
        if mode == MAP_EXTENT:
            return area_from_rectangle(self.canvas.extent(), self.canvas.mapSettings().destinationCrs())
        if mode == DRAWN and self._drawn is not None:
            return area_from_rectangle(self._drawn, self._drawn_crs)
        return None

    def has_drawn_rectangle(self) -> bool:
        return self._drawn is not None

    def cleanup(self) -> None:
        """Remove the rubber band and release the map tool (plugin unload; the widget is unusable after)."""
        if self.canvas.mapTool() is self.map_tool:
            self.canvas.unsetMapTool(self.map_tool)
        self.rubber_band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        self.canvas.scene().removeItem(self.rubber_band)
