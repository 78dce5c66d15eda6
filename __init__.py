"""TerraMind for QGIS: QGIS entry point."""


def classFactory(iface):  # noqa: N802 (QGIS API name)
    """Create the plugin instance for QGIS (no torch import here)."""
    from .plugin import TerraMindPlugin

    return TerraMindPlugin(iface)
