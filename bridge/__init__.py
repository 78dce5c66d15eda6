"""QGIS side of the plugin without widgets, in two parts: ``adapters`` (QGIS layers, tasks, settings,
log) and ``runtime`` (the Python that runs jobs: packages, installer, CUDA, worker, diagnostics).

Used by ``ui/`` and ``algorithms/``; imports ``core/`` but never torch at import time, and never ``ui/`` or
``algorithms/``.
"""
