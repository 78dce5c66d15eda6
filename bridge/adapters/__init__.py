"""QGIS adapters: layers <-> job specs and styled results (``layers``), background tasks (``task``),
settings (``settings``) and the QGIS message log (``log``)."""
