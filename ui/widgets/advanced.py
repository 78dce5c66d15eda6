"""Advanced run options: tile overlap, batch size, diffusion steps and seed."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QFormLayout, QSpinBox, QWidget


def _spin(parent: QWidget, low: int, high: int, tip: str, suffix: str = "") -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(low, high)
    spin.setToolTip(tip)
    spin.setSuffix(suffix)
    return spin


class AdvancedOptions(QWidget):
    """Spin boxes for ``JobSpec.overlap``, ``batch_size``, ``timesteps`` and ``seed``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overlap = _spin(
            self, 0, 192, self.tr("Pixels shared by neighbouring 224-px tiles; blended to hide seams."), " px"
        )
        self.batch_size = _spin(
            self, 1, 256, self.tr("Tiles per forward pass; halved automatically when memory runs out.")
        )
        self.timesteps = _spin(
            self, 1, 200, self.tr("Diffusion steps when generating Sentinel or DEM images (more = slower).")
        )
        self.seed = _spin(
            self, 0, 2**31 - 1, self.tr("Seed of the sampling; the same seed gives the same result.")
        )
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("Tile overlap"), self.overlap)
        layout.addRow(self.tr("Batch size"), self.batch_size)
        layout.addRow(self.tr("Diffusion steps"), self.timesteps)
        layout.addRow(self.tr("Seed"), self.seed)
