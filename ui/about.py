"""About / Diagnostics dialog: what the plugin is, and a copyable report of versions, packages and devices.

The report is shown at once (cheap checks only); the device check of the Python that runs jobs, made the
way jobs start (``bridge.runtime.deps.check_job_runtime``: in QGIS's process, or in the worker Python),
runs as a background task and completes the report when it answers.
"""

from __future__ import annotations

import logging

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..bridge.adapters import settings
from ..bridge.runtime.deps import DependencyReport, DeviceReport, check_job_runtime
from ..bridge.runtime.diagnostics import diagnostics_report, plugin_version
from ..core.i18n import tr

log = logging.getLogger(__name__)


class AboutDialog(QDialog):
    """About the plugin, with the diagnostics report, a copy button and the way to the runtime set-up.

    Attributes:
        report: the Markdown report as last rendered (what "Copy report" copies).
        devices: the device probe's answer (``None`` until it arrives).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("About TerraMind for QGIS"))
        self.resize(760, 640)
        self.devices: DeviceReport | None = None
        self._worker: DependencyReport | None = None
        self._worker_python = settings.WORKER_PYTHON.value()

        intro = QLabel(
            tr(
                "<b>TerraMind for QGIS</b> {0}<br>Runs the TerraMind 1.0 Earth-observation foundation "
                "model (IBM / ESA) on this computer: generated land cover, generated Sentinel-1 and patch "
                "embeddings. Generated rasters are synthetic data, not observations."
            ).format(plugin_version())
        )
        intro.setWordWrap(True)
        self.status = QLabel(tr("Checking torch and the devices it sees…"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.copy_button = QPushButton(tr("Copy report"))
        self.copy_button.setToolTip(tr("Copy the diagnostics report (Markdown) to paste into a bug report"))
        self.copy_button.clicked.connect(self.copy_report)
        self.setup_button = QPushButton(tr("Set Up Runtime…"))
        self.setup_button.clicked.connect(self.open_setup)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.setup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.status)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.report = ""
        self.render()
        self._task = QgsTask.fromFunction(
            tr("TerraMind: check devices"), self._probe, on_finished=self._probed
        )
        QgsApplication.taskManager().addTask(self._task)

    def render(self) -> None:
        """Rebuild the report from what is known now and show it."""
        self.report = diagnostics_report(self.devices, self._worker)
        if hasattr(self.browser, "setMarkdown"):
            self.browser.setMarkdown(self.report)
        else:  # Qt < 5.14
            self.browser.setPlainText(self.report)

    def _probe(self, task: QgsTask) -> tuple[DependencyReport, DeviceReport, bool]:
        return check_job_runtime(self._worker_python)

    def _probed(self, exception: BaseException | None, result=None) -> None:
        """Main thread: show the device check's answer."""
        self._task = None
        if exception is not None or result is None:
            self.status.setText(tr("The device check failed: {0}").format(exception))
            self.devices = DeviceReport(error=str(exception))
        else:
            report, self.devices, in_worker = result
            self._worker = report if in_worker else None
            where = (
                tr("Jobs run in a separate process with {0}.").format(report.python)
                if in_worker
                else tr("Jobs run in QGIS's own Python {0}.").format(report.python_version)
            )
            ok = [d.id for d in self.devices.devices if d.ok]
            self.status.setText(
                where
                + " "
                + (
                    tr("torch {0} works on: {1}").format(self.devices.torch_version, ", ".join(ok))
                    if not self.devices.error
                    else tr("torch cannot be used there: {0}").format(self.devices.error)
                )
            )
        self.render()

    def copy_report(self) -> None:
        """Put the Markdown report on the clipboard."""
        QApplication.clipboard().setText(self.report)
        self.status.setText(tr("Report copied to the clipboard."))

    def open_setup(self) -> None:
        """Open the runtime set-up dialog."""
        from .setup_dialog import SetupDialog

        SetupDialog(self).exec()
