"""TerraMind for QGIS: QGIS entry point."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qgis.gui import QgisInterface

    from .plugin import TerraMindPlugin


def classFactory(iface: QgisInterface) -> TerraMindPlugin:
    """Create the plugin instance for QGIS (no torch import here)."""
    from .plugin import TerraMindPlugin

    return TerraMindPlugin(iface)
