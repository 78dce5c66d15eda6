"""Processing provider and algorithms of TerraMind (toolbox, batch mode, model builder, qgis_process)."""
