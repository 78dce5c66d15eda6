"""QGIS adapters: layers <-> job specs and styled results (``layers``), background tasks (``task``),
settings (``settings``), the QGIS message log (``log``) and the translations (``i18n``)."""
