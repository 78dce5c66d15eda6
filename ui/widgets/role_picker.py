"""Role picker: a raster-layer combo box for one input modality, its band count and band mapping."""

from __future__ import annotations

from collections.abc import Sequence

from qgis.core import QgsMapLayer, QgsMapLayerProxyModel, QgsRasterLayer
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from ...core.i18n import tr
from .band_mapping import BandMappingEditor


class RolePicker:
    """The widgets of one modality role in ``ROWS`` rows of a ``QGridLayout`` with two columns, narrow enough
    for a 300 px panel: label | layer; then, once a layer is chosen, its band count | Bands…; then the
    band-mapping editor.

    Not a widget itself, so that all roles share the grid's columns.

    Signals are those of ``combo`` (``layerChanged``) and ``editor`` (``mappingChanged``).
    """

    ROWS = 3

    def __init__(
        self,
        modality: str,
        title: str,
        model_bands: Sequence[str],
        grid: QGridLayout,
        row: int,
        parent: QWidget,
        short: str = "",
    ) -> None:
        """
        Args:
            modality: the role's modality key (``"S2L2A"``...).
            title: the role's name, the label's tooltip (and its text without ``short``).
            model_bands: band names the model expects for this modality, in pretrained order.
            grid: layout to add the widgets to, using rows ``row`` to ``row + ROWS - 1``.
            short: label shown in front of the combo box.
        """
        self.modality = modality
        self.label = QLabel(short or title, parent)
        self.label.setToolTip(title)
        self.combo = QgsMapLayerComboBox(parent)
        self.combo.setFilters(QgsMapLayerProxyModel.Filter.RasterLayer)
        self.combo.setAllowEmptyLayer(True)
        self.combo.setLayer(None)
        self.combo.setToolTip(title)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(6)  # long layer names must not widen the dock
        self.bands_label = QLabel(parent)
        self.bands_button = QToolButton(parent)
        self.bands_button.setText(tr("Bands…"))
        self.bands_button.setCheckable(True)
        self.bands_button.setToolTip(tr("Show which layer band feeds each model band"))
        self.editor = BandMappingEditor(model_bands, parent)
        self.editor.setVisible(False)
        self.bands_button.toggled.connect(self.editor.setVisible)
        self.editor.mappingChanged.connect(self._update_badge)
        bands = QHBoxLayout()
        bands.addWidget(self.bands_label, 1)
        bands.addWidget(self.bands_button)
        grid.addWidget(self.label, row, 0)
        grid.addWidget(self.combo, row, 1)
        grid.addLayout(bands, row + 1, 0, 1, 2)
        grid.addWidget(self.editor, row + 2, 0, 1, 2)
        self._band_count = 0
        self.clear_bands()

    def layer(self) -> QgsRasterLayer | None:
        """The chosen raster layer, or ``None`` when the role is empty."""
        layer = self.combo.currentLayer()
        return layer if isinstance(layer, QgsRasterLayer) else None

    def set_layer(self, layer: QgsMapLayer | None) -> None:
        self.combo.setLayer(layer)

    def band_count(self) -> int:
        return self._band_count

    def show_bands(self, band_count: int, descriptions: Sequence[str | None], default: Sequence[int]) -> None:
        """Show the layer's band count and fill the mapping editor with ``default`` (1-based bands)."""
        self._band_count = band_count
        self.editor.set_layer_bands(band_count, descriptions, default)
        self.bands_button.setEnabled(True)
        self.bands_label.setVisible(True)
        self.bands_button.setVisible(True)
        self._update_badge()

    def clear_bands(self) -> None:
        """Empty role: no band count, no mapping."""
        self._band_count = 0
        self.editor.set_layer_bands(0, (), ())
        self.bands_label.setText("")
        self.bands_label.setToolTip("")
        self.bands_button.setChecked(False)
        self.bands_button.setEnabled(False)
        self.bands_label.setVisible(False)
        self.bands_button.setVisible(False)

    def mapping(self) -> tuple[int, ...]:
        """Chosen 1-based layer band per model band (0 where missing)."""
        return self.editor.mapping()

    def _update_badge(self) -> None:
        ok = self.editor.is_complete()
        text = tr("{count} bands").format(count=self._band_count)
        self.bands_label.setText(("✓ " if ok else "⚠ ") + text)
        self.bands_label.setToolTip(
            tr("Every model band has a layer band.")
            if ok
            else tr("Some model bands have no layer band: open Bands… to choose them.")
        )


class RoleOffer(QWidget):
    """A one-line offer "Use <layer> as <role>?" (one layer or several), with the reason of the guess.

    Signals:
        accepted(str, str): role modality and layer id, once per offered layer, when the user clicks "Use".
    """

    accepted = pyqtSignal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.use_button = QPushButton(self.tr("Use"), self)
        self.dismiss_button = QToolButton(self)
        self.dismiss_button.setText("✕")
        self.dismiss_button.setToolTip(self.tr("Dismiss"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.use_button)
        layout.addWidget(self.dismiss_button)
        self.use_button.clicked.connect(self._accept)
        self.dismiss_button.clicked.connect(self.hide)
        self._pairs: list[tuple[str, str]] = []
        self.hide()

    def offer(self, modality: str, layer: QgsMapLayer, reason: str = "") -> None:
        """Show the offer to put ``layer`` into the ``modality`` role; ``reason`` says why it fits."""
        self._pairs = [(modality, layer.id())]
        text = self.tr("Use “{layer}” as the {role} input?").format(layer=layer.name(), role=modality)
        self.text.setText(text + (f" ({reason})" if reason else ""))
        self.text.setToolTip(reason)
        self.show()

    def offer_many(self, pairs: list[tuple[str, QgsMapLayer]]) -> None:
        """Offer several layers of one scene at once (``[(modality, layer)]``)."""
        self._pairs = [(modality, layer.id()) for modality, layer in pairs]
        listed = ", ".join(f"“{layer.name()}” ({modality})" for modality, layer in pairs)
        self.text.setText(self.tr("Also use the same scene's {0}?").format(listed))
        self.show()

    def offered(self) -> tuple[str, str]:
        """``(modality, layer id)`` of the (first) current offer (empty strings when none)."""
        return ("", "") if self.isHidden() or not self._pairs else self._pairs[0]

    def offered_all(self) -> list[tuple[str, str]]:
        """Every ``(modality, layer id)`` of the current offer."""
        return [] if self.isHidden() else list(self._pairs)

    def _accept(self) -> None:
        self.hide()
        for modality, layer_id in self._pairs:
            self.accepted.emit(modality, layer_id)
