"""bridge/log.py: the terramind_qgis logger reaches QgsMessageLog while the handler is installed."""

from __future__ import annotations

import logging

from qgis.core import Qgis, QgsApplication

from terramind_qgis.bridge.adapters.log import install_log_handler, remove_log_handler


def test_log_handler_forwards_records_until_removed(qgis_app):
    received = []

    def on_message(message, tag, level):
        if tag == "TerraMind":
            received.append((message, level))

    log_obj = QgsApplication.messageLog()
    log_obj.messageReceived.connect(on_message)
    handler = install_log_handler()
    try:
        logging.getLogger("terramind_qgis.core.pipeline").warning("tile %s of %s", 3, 9)
        logging.getLogger("terramind_qgis.bridge.adapters.task").error("broken")
        logging.getLogger("somebody_else").warning("not ours")
    finally:
        remove_log_handler(handler)
    logging.getLogger("terramind_qgis.core").warning("after removal")
    log_obj.messageReceived.disconnect(on_message)

    assert len(received) == 2
    assert "tile 3 of 9" in received[0][0] and received[0][1] == Qgis.MessageLevel.Warning
    assert "broken" in received[1][0] and received[1][1] == Qgis.MessageLevel.Critical
