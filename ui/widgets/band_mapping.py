"""Band-mapping editor: which band of the layer feeds each band the model expects."""

from __future__ import annotations

from collections.abc import Sequence

from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget


def band_label(number: int, description: str | None) -> str:
    """Text of one layer band in a combo box, e.g. ``"3: B04"`` or ``"3"``."""
    return f"{number}: {description}" if description else str(number)


class BandMappingEditor(QWidget):
    """One combo box per model band (in the modality's pretrained order), each choosing a layer band.

    Signals:
        mappingChanged: the user picked another layer band for some model band.
    """

    mappingChanged = pyqtSignal()

    def __init__(self, model_bands: Sequence[str], parent: QWidget | None = None) -> None:
        """
        Args:
            model_bands: band names the model expects, in pretrained order (``core.bands.MODALITY_BANDS``).
        """
        super().__init__(parent)
        self.model_bands = tuple(model_bands)
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._combos: list = []
        self._default: tuple[int, ...] = ()
        self._note = QLabel(self)
        self._note.setWordWrap(True)
        self._layout.addRow(self._note)

    def set_layer_bands(
        self, band_count: int, descriptions: Sequence[str | None], default: Sequence[int]
    ) -> None:
        """Rebuild the combos for a layer with ``band_count`` bands and select ``default``.

        Args:
            band_count: number of bands of the layer.
            descriptions: band descriptions of the layer (``None`` or empty where unknown).
            default: suggested 1-based layer band for each model band; 0 = none suggested.
        """
        for combo in self._combos:
            self._layout.removeRow(combo)
        self._combos = []
        self._default = tuple(default)
        descriptions = list(descriptions) + [None] * max(0, band_count - len(descriptions))
        for i, name in enumerate(self.model_bands):
            combo = QComboBox(self)
            combo.addItem(self.tr("(none)"), 0)
            for number in range(1, band_count + 1):
                combo.addItem(band_label(number, descriptions[number - 1]), number)
            wanted = self._default[i] if i < len(self._default) else 0
            combo.setCurrentIndex(max(0, combo.findData(wanted)))
            combo.currentIndexChanged.connect(self._on_changed)
            self._layout.addRow(name, combo)
            self._combos.append(combo)
        self._update_note()

    def mapping(self) -> tuple[int, ...]:
        """Chosen 1-based layer band per model band (0 where none is chosen)."""
        return tuple(int(combo.currentData()) for combo in self._combos)

    def set_mapping(self, mapping: Sequence[int]) -> None:
        """Select ``mapping`` (1-based layer bands, one per model band)."""
        for combo, number in zip(self._combos, mapping):
            combo.setCurrentIndex(max(0, combo.findData(int(number))))

    def is_complete(self) -> bool:
        """Whether every model band has a layer band."""
        return bool(self._combos) and all(number > 0 for number in self.mapping())

    def is_default(self) -> bool:
        return self.mapping() == self._default

    def reset(self) -> None:
        """Go back to the suggested mapping."""
        self.set_mapping(self._default)

    def _on_changed(self, _index: int) -> None:
        self._update_note()
        self.mappingChanged.emit()

    def _update_note(self) -> None:
        missing = [name for name, number in zip(self.model_bands, self.mapping()) if number == 0]
        if missing:
            self._note.setText(self.tr("No layer band chosen for: {names}").format(names=", ".join(missing)))
        elif self.is_default():
            self._note.setText(self.tr("Suggested mapping from the band count and band descriptions."))
        else:
            self._note.setText(self.tr("Custom mapping."))
