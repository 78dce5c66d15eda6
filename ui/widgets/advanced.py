"""Advanced run options: tile overlap, batch size, diffusion steps and seed."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QFormLayout, QSpinBox, QWidget

from ...core.jobs import LIMITS


def _spin(parent: QWidget, option: str, tip: str, suffix: str = "") -> QSpinBox:
    """A spin box with the range and default of ``core.jobs.LIMITS[option]``."""
    limit = LIMITS[option]
    spin = QSpinBox(parent)
    spin.setRange(limit.low, limit.high)
    spin.setValue(limit.default)
    spin.setToolTip(tip)
    spin.setSuffix(suffix)
    return spin


class AdvancedOptions(QWidget):
    """Spin boxes for ``JobSpec.overlap``, ``batch_size``, ``timesteps`` and ``seed``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tile = LIMITS["tile_size"].default
        self.overlap = _spin(
            self,
            "overlap",
            self.tr("Pixels shared by neighbouring {0}-px tiles; blended to hide seams.").format(tile),
            " px",
        )
        self.overlap.setMaximum(tile // 2)  # the dock runs default-size tiles: at most half a tile
        self.batch_size = _spin(
            self, "batch_size", self.tr("Tiles per forward pass; halved automatically when memory runs out.")
        )
        self.timesteps = _spin(
            self,
            "timesteps",
            self.tr("Diffusion steps when generating Sentinel or DEM images (more = slower)."),
        )
        self.seed = _spin(self, "seed", self.tr("Seed of the sampling; the same seed gives the same result."))
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("Tile overlap"), self.overlap)
        layout.addRow(self.tr("Batch size"), self.batch_size)
        layout.addRow(self.tr("Diffusion steps"), self.timesteps)
        layout.addRow(self.tr("Seed"), self.seed)
