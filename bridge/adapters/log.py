"""Forward the ``terramind_qgis`` logger to QGIS's message log (the "TerraMind" tab).

One handler is attached in ``initGui``/``initProcessing`` and removed in ``unload`` (docs/architecture.md §3).
``QgsMessageLog.logMessage`` is thread-safe, so records from task threads are fine.
"""

from __future__ import annotations

import logging

from qgis.core import Qgis, QgsMessageLog

LOGGER_NAME = "terramind_qgis"
TAG = "TerraMind"


class QgsMessageLogHandler(logging.Handler):
    """Logging handler writing each record to ``QgsMessageLog`` under the tag ``TerraMind``."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = self.format(record)
        except Exception:
            self.handleError(record)
            return
        QgsMessageLog.logMessage(message, TAG, _qgis_level(record.levelno))


def _qgis_level(levelno: int) -> Qgis.MessageLevel:
    if levelno >= logging.ERROR:
        return Qgis.MessageLevel.Critical
    if levelno >= logging.WARNING:
        return Qgis.MessageLevel.Warning
    return Qgis.MessageLevel.Info


def install_log_handler(level: int = logging.INFO) -> QgsMessageLogHandler:
    """Attach a handler to the ``terramind_qgis`` logger; keep the result for ``remove_log_handler``."""
    handler = QgsMessageLogHandler(level)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))  # no-i18n: log format
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > level:
        logger.setLevel(level)
    return handler


def remove_log_handler(handler: logging.Handler | None) -> None:
    """Detach a handler installed by ``install_log_handler`` (no-op for ``None``)."""
    if handler is not None:
        logging.getLogger(LOGGER_NAME).removeHandler(handler)
