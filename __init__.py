"""TerraMind for QGIS: QGIS entry point."""


def classFactory(iface):
    """Create the plugin instance for QGIS (no torch import here)."""
    from .plugin import TerraMindPlugin

    return TerraMindPlugin(iface)
