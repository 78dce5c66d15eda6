"""About / Diagnostics dialog: the report, the background device check, the copy button."""

from __future__ import annotations

import torch
from pytest_qgis.utils import wait_until
from qgis.PyQt.QtWidgets import QApplication

from terramind_qgis.ui.about import AboutDialog


def test_about_dialog_completes_report_with_device_check_and_copies_it(qgis_app, clean_settings):
    dialog = AboutDialog(None)
    assert "Not probed" in dialog.report  # shown at once, before torch is imported anywhere
    assert wait_until(lambda: dialog.devices is not None, timeout_milliseconds=120000)
    assert dialog.devices.error is None and dialog.devices.torch_version == torch.__version__
    assert "| cpu |" in dialog.report and "works on: cpu" in dialog.status.text()
    assert "Jobs run in QGIS's own Python" in dialog.status.text()  # where this session's jobs run
    assert "TerraMind for QGIS: diagnostics" in dialog.browser.toPlainText()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == dialog.report
    dialog.close()


def test_about_dialog_checks_the_worker_python_that_runs_jobs(qgis_app, clean_settings):
    from terramind_qgis.bridge.adapters import settings
    from terramind_qgis.bridge.runtime.deps import python_executable

    settings.WORKER_PYTHON.set_value(python_executable())  # jobs go to a separate process
    dialog = AboutDialog(None)
    assert wait_until(lambda: dialog.devices is not None, timeout_milliseconds=120000)
    assert "Jobs run in a separate process with" in dialog.status.text()
    assert "works on: cpu" in dialog.status.text() and dialog.devices.error is None
    dialog.close()
