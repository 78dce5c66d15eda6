"""Runtime set-up dialog: install the missing packages into a private folder, or use an existing Python.

Option 1 runs ``bridge.runtime.install_task.InstallTask`` (pip with QGIS's interpreter, constraints that keep
every package QGIS ships, CPU torch by default or the CUDA build ``bridge.runtime.cuda`` picks from
nvidia-smi).
Option 2 checks another interpreter (conda, venv) in a subprocess and, when it has torch, makes jobs run
in a worker process with it. Both show the equivalent manual command.
"""

from __future__ import annotations

import dataclasses
import logging
import os

from qgis.core import QgsApplication, QgsTask
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..bridge.adapters import settings
from ..bridge.runtime.cuda import CPU_INDEX_URL, WheelChoice, choose_wheel, parse_nvidia_smi, read_nvidia_smi
from ..bridge.runtime.deps import (
    activate_private_site,
    check_dependencies,
    is_this_python,
    private_site_dir,
    probe_python,
    python_executable,
)
from ..bridge.runtime.install_task import InstallTask
from ..bridge.runtime.installer import InstallPlan, InstallResult, plan_install
from ..core.i18n import QT_TR_NOOP, tr

log = logging.getLogger(__name__)

CPU_CHOICE = WheelChoice("cpu", CPU_INDEX_URL, QT_TR_NOOP("CPU build of torch (works everywhere)."))


class SetupDialog(QDialog):
    """Guided set-up of torch & co.

    Attributes:
        deps: dependency check of QGIS's Python when the dialog opened.
        target: the private package folder.
        task: the running ``InstallTask`` (``None`` when idle).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("TerraMind: set up the runtime"))
        self.resize(760, 620)
        self.deps = check_dependencies()
        self.target = private_site_dir()
        self.task: InstallTask | None = None
        self._probe_task: QgsTask | None = None
        self._gpu_task: QgsTask | None = None
        self.checked_python = ""

        self.summary = QLabel(self.deps.message())
        self.summary.setWordWrap(True)
        self.private_radio = QRadioButton(
            tr("Install the missing packages into a private folder for this QGIS")
        )
        self.env_radio = QRadioButton(tr("Use an existing Python environment (conda, venv) that has torch"))
        group = QButtonGroup(self)
        group.addButton(self.private_radio)
        group.addButton(self.env_radio)
        self.private_radio.setChecked(True)
        self.build_combo = QComboBox()
        self.build_combo.addItem(tr("CPU"), dataclasses.replace(CPU_CHOICE, reason=tr(CPU_CHOICE.reason)))
        self.gpu_label = QLabel(tr("Looking for an NVIDIA GPU…"))
        self.gpu_label.setWordWrap(True)
        self.reinstall_check = QCheckBox(
            tr("Reinstall the packages of the private folder (e.g. to switch to the GPU build)")
        )
        self.isolate_check = QCheckBox(
            tr("Run jobs in a separate process (a crash or out-of-memory error cannot close QGIS)")
        )
        worker = settings.WORKER_PYTHON.value()
        self.isolate_check.setChecked(bool(worker) and is_this_python(worker))
        self.python_widget = QgsFileWidget()
        self.python_widget.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.python_widget.setDialogTitle(tr("Python interpreter of the environment"))
        if worker and not is_this_python(worker):
            self.python_widget.setFilePath(worker)
            self.env_radio.setChecked(True)
        self.check_button = QPushButton(tr("Check this Python"))
        self.env_label = QLabel()
        self.env_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(2000)
        self.manual = QLineEdit()
        self.manual.setReadOnly(True)
        self.copy_button = QPushButton(tr("Copy"))
        self.run_button = QPushButton(tr("Install"))
        self.cancel_button = QPushButton(tr("Cancel installation"))
        self.cancel_button.setEnabled(False)
        self._layout()
        self._connect()
        self.update_state()
        self._gpu_task = QgsTask.fromFunction(
            tr("TerraMind: look for a GPU"), lambda task: read_nvidia_smi(), on_finished=self._gpu_found
        )
        QgsApplication.taskManager().addTask(self._gpu_task)

    def _layout(self) -> None:
        private = QGroupBox()
        box = QVBoxLayout(private)
        box.addWidget(self.private_radio)
        box.addWidget(QLabel(tr("Folder: {0}").format(self.target)))
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("torch build:")))
        row.addWidget(self.build_combo, 1)
        box.addLayout(row)
        box.addWidget(self.gpu_label)
        box.addWidget(self.reinstall_check)
        box.addWidget(self.isolate_check)
        env = QGroupBox()
        box = QVBoxLayout(env)
        box.addWidget(self.env_radio)
        row = QHBoxLayout()
        row.addWidget(self.python_widget, 1)
        row.addWidget(self.check_button)
        box.addLayout(row)
        box.addWidget(self.env_label)
        manual = QHBoxLayout()
        manual.addWidget(QLabel(tr("Or run yourself:")))
        manual.addWidget(self.manual, 1)
        manual.addWidget(self.copy_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.summary, private, env):
            layout.addWidget(widget)
        layout.addLayout(manual)
        layout.addWidget(self.progress)
        layout.addWidget(self.log_view, 1)
        layout.addWidget(buttons)

    def _connect(self) -> None:
        for signal in (self.private_radio.toggled, self.reinstall_check.toggled):
            signal.connect(self.update_state)
        self.build_combo.currentIndexChanged.connect(self.update_state)
        self.python_widget.fileChanged.connect(self._python_changed)
        self.check_button.clicked.connect(self.check_python)
        self.copy_button.clicked.connect(lambda: QApplication.clipboard().setText(self.manual.text()))
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)

    # ----- state ------------------------------------------------------------------------------------------
    def plan(self) -> InstallPlan:
        """The install the private-folder option would run with the current choices."""
        wheel: WheelChoice = self.build_combo.currentData()
        return plan_install(
            self.deps, self.target, wheel.index_url, wheel.reason, self.reinstall_check.isChecked()
        )

    def update_state(self) -> None:
        """Enable what applies to the chosen option and refresh the manual command.

        With nothing missing the first option offers no install: it keeps QGIS's Python (with the choice of
        a separate process); a torch build is only offered for a reinstall.
        """
        private = self.private_radio.isChecked()
        busy = self.task is not None
        missing = bool(self.deps.missing)
        self.private_radio.setText(
            tr("Install the missing packages into a private folder for this QGIS")
            if missing
            else tr("Use the packages QGIS's Python already has (nothing is missing)")
        )
        installing = missing or self.reinstall_check.isChecked()
        self.build_combo.setEnabled(private and not busy and installing)
        for widget in (self.reinstall_check, self.isolate_check):
            widget.setEnabled(private and not busy)
        for widget in (self.python_widget, self.check_button):
            widget.setEnabled(not private and not busy)
        if private:
            plan = self.plan()
            self.manual.setText(plan.manual_command() if plan.requirements else "")
            self.run_button.setText(tr("Install") if plan.requirements else tr("Apply"))
            self.run_button.setEnabled(not busy)
        else:
            python = self.python_widget.filePath()
            command = f'"{python}" -m pip install torch huggingface_hub rasterio numpy'  # no-i18n: a command
            self.manual.setText(command if python else "")
            self.run_button.setText(tr("Use this Python"))
            self.run_button.setEnabled(not busy and bool(python) and python == self.checked_python)
        self.cancel_button.setEnabled(busy)

    def _python_changed(self, _path: str) -> None:
        self.checked_python = ""
        self.env_label.clear()
        self.update_state()

    def _gpu_found(self, exception: BaseException | None, result: str | None = None) -> None:
        """Main thread: offer the CUDA build nvidia-smi's answer calls for, and select it."""
        self._gpu_task = None
        choice = choose_wheel(parse_nvidia_smi(result or ""), windows=os.name == "nt")
        self.gpu_label.setText(choice.reason)
        if choice.is_cuda:
            self.build_combo.addItem(tr("GPU (CUDA, {0})").format(choice.tag), choice)
            self.build_combo.setCurrentIndex(self.build_combo.count() - 1)

    # ----- actions -----------------------------------------------------------------------------------------
    def run(self) -> None:
        """Install into the private folder, or switch jobs to the checked Python."""
        if self.env_radio.isChecked():
            settings.WORKER_PYTHON.set_value(self.checked_python)
            self.summary.setText(
                tr("TerraMind jobs now run in a separate process with {0}.").format(self.checked_python)
            )
            return
        plan = self.plan()
        if not plan.requirements:
            self._apply_isolation()
            self.summary.setText(tr("Nothing to install: every package is available. Settings saved."))
            return
        self.log_view.clear()
        self.progress.setValue(0)
        self.task = InstallTask(plan, tr("TerraMind: install dependencies"))
        self.task.line.connect(self.log_view.appendPlainText)
        self.task.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        self.task.succeeded.connect(self._installed)
        self.task.failed.connect(self._failed)
        self.summary.setText(tr("Installing {0}…").format(", ".join(plan.requirements)))
        QgsApplication.taskManager().addTask(self.task)
        self.update_state()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _apply_isolation(self) -> None:
        settings.WORKER_PYTHON.set_value(python_executable() if self.isolate_check.isChecked() else "")

    def _installed(self, result: InstallResult) -> None:
        self.task = None
        self.progress.setValue(100)
        self._apply_isolation()
        activate_private_site(self.target)
        ok = [d.id for d in (result.devices.devices if result.devices else ()) if d.ok]
        text = tr(
            "Installed {0} packages into {1}. torch works on: {2}. Restart QGIS if torch was already loaded."
        ).format(len(result.installed), result.target, ", ".join(ok))
        self.summary.setText(" ".join([text, *result.warnings]))
        self.deps = check_dependencies()
        self.update_state()

    def _failed(self, message: str, kind: str, output: str) -> None:
        self.task = None
        self.summary.setText(
            tr("Installation failed: {0} You can also run the command below.").format(message)
            if kind != "cancelled"
            else message
        )
        log.warning("TerraMind dependency install failed (%s): %s", kind, message)
        self.update_state()

    def check_python(self) -> None:
        """Probe the chosen interpreter in the background (packages, devices)."""
        python = self.python_widget.filePath()
        if not python:
            return
        self.env_label.setText(tr("Checking {0}…").format(python))
        self.check_button.setEnabled(False)
        self._probe_task = QgsTask.fromFunction(
            tr("TerraMind: check a Python environment"),
            lambda task: probe_python(python, devices=True),
            on_finished=lambda exception, result=None: self._python_checked(python, exception, result),
        )
        QgsApplication.taskManager().addTask(self._probe_task)

    def _python_checked(self, python: str, exception: BaseException | None, result=None) -> None:
        self._probe_task = None
        self.check_button.setEnabled(True)
        if exception is not None or result is None:
            self.env_label.setText(tr("This is not a usable Python: {0}").format(exception))
        else:
            report, devices = result
            if report.ok and devices is not None and not devices.error:
                self.checked_python = python
                ok = ", ".join(d.id for d in devices.devices if d.ok)
                self.env_label.setText(
                    tr("Python {0} with torch {1}: works on {2}.").format(
                        report.python_version, devices.torch_version, ok
                    )
                )
            else:
                problem = report.message() if not report.ok else (devices.error if devices else "")
                self.env_label.setText(problem)
        self.update_state()
