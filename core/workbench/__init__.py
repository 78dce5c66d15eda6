"""The embedding workbench: similarity, clusters, classification and change on any embedding raster.

Headless (no qgis/Qt). Every function takes file paths, GeoJSON-like geometries already in the embedding
raster's CRS, and the two plain callables of ``core.jobs`` (``progress``, ``is_cancelled``); it streams the
raster in windows with bounded memory and writes its outputs on the embedding raster's grid.
"""
