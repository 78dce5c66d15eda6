"""QGIS side of the plugin without widgets: settings, logging, background tasks and layers.

Used by ``ui/`` and ``algorithms/``; imports ``core/`` but never torch at import time.
"""
