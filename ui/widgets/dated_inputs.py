"""Inputs of a fine-tuned model: the model picker and one row of layers per date (Sentinel-2 L2A,
Sentinel-1 RTC), plus the DEM that serves every date."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsMapLayerProxyModel, QgsRasterLayer
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QGridLayout, QLabel, QSpinBox, QWidget

from ...bridge.adapters.layers import input_from_layer
from ...core.errors import InputError
from ...core.i18n import tr
from ...core.jobs import DatedInputs
from ...core.tasks.catalog import TASK_MODELS

#: Modalities given once per date, in column order.
DATED_ROLES = ("S2L2A", "S1RTC")
#: Model picker value of "TerraTorch config + checkpoint…".
CUSTOM = ""
MAX_DATES = 12
DEFAULT_DATES = 4  # IBM's ImpactMesh models: four dates


def _layer_combo(parent: QWidget, allow_empty: bool) -> QgsMapLayerComboBox:
    combo = QgsMapLayerComboBox(parent)
    combo.setFilters(QgsMapLayerProxyModel.Filter.RasterLayer)
    combo.setAllowEmptyLayer(allow_empty)
    if allow_empty:
        combo.setLayer(None)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(3)  # two per date row must fit a 300 px panel
    return combo


class DatedInputsForm(QWidget):
    """The model (a catalogued fine-tune, or a TerraTorch config and checkpoint) and the dated layers.

    Signals:
        changed: the model, a file, the date count or a layer changed.
    """

    changed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_combo = QComboBox(self)
        for model in TASK_MODELS.values():
            self.model_combo.addItem(tr(model.title), model.name)
        self.model_combo.addItem(self.tr("TerraTorch config + checkpoint…"), CUSTOM)
        self.config_widget = QgsFileWidget(self)
        self.config_widget.setFilter(self.tr("TerraTorch config (*.yaml *.yml)"))
        self.checkpoint_widget = QgsFileWidget(self)
        self.checkpoint_widget.setFilter(self.tr("Checkpoint (*.ckpt *.pt *.pth)"))
        self.date_count = QSpinBox(self)
        self.date_count.setRange(1, MAX_DATES)
        self.date_count.setToolTip(self.tr("The model says how many dates it needs (the IBM models: 4)."))
        self.dem_combo = _layer_combo(self, allow_empty=True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Model"), self.model_combo)
        form.addRow(self.tr("Config"), self.config_widget)
        form.addRow(self.tr("Checkpoint"), self.checkpoint_widget)
        form.addRow(self.tr("Dates"), self.date_count)
        self.grid = QGridLayout()
        for column, role in enumerate(DATED_ROLES, start=1):
            self.grid.addWidget(QLabel(role, self), 0, column)
        form.addRow(self.grid)
        form.addRow(self.tr("DEM (all dates)"), self.dem_combo)
        self._file_labels = [
            form.labelForField(self.config_widget),
            form.labelForField(self.checkpoint_widget),
        ]
        self.rows: list[tuple[QLabel, dict[str, QgsMapLayerComboBox]]] = []
        self.date_count.valueChanged.connect(self._set_rows)
        self.model_combo.currentIndexChanged.connect(self._on_model)
        for widget in (self.config_widget, self.checkpoint_widget):
            widget.fileChanged.connect(lambda _path: self.changed.emit())
        self.dem_combo.layerChanged.connect(lambda _layer: self.changed.emit())
        self.date_count.setValue(DEFAULT_DATES)
        self._set_rows(DEFAULT_DATES)
        self._on_model()

    # ----- model --------------------------------------------------------------------------------------------
    def model(self) -> str:
        """The catalogued model's name, or ``CUSTOM``."""
        return self.model_combo.currentData()

    def set_model(self, name: str) -> None:
        self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(name)))

    def _on_model(self, _index: int = 0) -> None:
        custom = self.model() == CUSTOM
        for widget in (self.config_widget, self.checkpoint_widget, *self._file_labels):
            if widget is not None:
                widget.setVisible(custom)
        if not custom:
            self.date_count.setValue(DEFAULT_DATES)
        self.changed.emit()

    # ----- dates --------------------------------------------------------------------------------------------
    def _set_rows(self, count: int) -> None:
        while len(self.rows) > count:
            label, combos = self.rows.pop()
            for widget in (label, *combos.values()):
                self.grid.removeWidget(widget)
                widget.deleteLater()
        while len(self.rows) < count:
            row = len(self.rows) + 1
            label = QLabel(self.tr("Date {0}").format(row), self)
            self.grid.addWidget(label, row, 0)
            combos = {}
            for column, role in enumerate(DATED_ROLES, start=1):
                combo = _layer_combo(self, allow_empty=True)
                combo.layerChanged.connect(lambda _layer: self.changed.emit())
                self.grid.addWidget(combo, row, column)
                combos[role] = combo
            self.rows.append((label, combos))
        self.changed.emit()

    def set_layer(self, date: int, role: str, layer: QgsRasterLayer | None) -> None:
        """Put ``layer`` into row ``date`` (0-based) and column ``role``."""
        self.rows[date][1][role].setLayer(layer)

    def first_layer(self) -> QgsRasterLayer | None:
        """The first date's Sentinel-2 layer (the output grid), else its first layer."""
        combos = self.rows[0][1] if self.rows else {}
        return next((c.currentLayer() for c in combos.values() if c.currentLayer() is not None), None)

    def spec_fields(self) -> dict[str, Any]:
        """``JobSpec`` fields: ``dates``, ``inputs`` (the DEM) and the model (name or config + checkpoint).

        Raises:
            InputError: a date row is incomplete, or the config/checkpoint is missing.
        """
        dates = []
        for i, (_label, combos) in enumerate(self.rows):
            layers = {role: c.currentLayer() for role, c in combos.items()}
            missing = [role for role, layer in layers.items() if layer is None]
            if missing:
                raise InputError(
                    self.tr("Date {0} has no {1} layer; choose one for every date.").format(
                        i + 1, ", ".join(missing)
                    )
                )
            rasters = tuple(input_from_layer(layer, role) for role, layer in layers.items())
            dates.append(DatedInputs(self.tr("date {0}").format(i + 1), rasters))
        dem = self.dem_combo.currentLayer()
        fields: dict[str, Any] = {
            "dates": tuple(dates),
            "inputs": (input_from_layer(dem, "DEM"),) if dem else (),
        }
        if self.model() != CUSTOM:
            fields["task_model"] = self.model()
            return fields
        config, checkpoint = self.config_widget.filePath().strip(), self.checkpoint_widget.filePath().strip()
        if not config or not checkpoint:
            raise InputError(self.tr("Choose the TerraTorch config file and its checkpoint."))
        fields.update(task_config=config, task_checkpoint=checkpoint)
        return fields
