"""Settings dialog: run defaults, weights locations, the Python that runs the models and the Dask cluster.

Every value goes through ``bridge.adapters.settings``; OK stores them, Cancel leaves them untouched and
Restore Defaults puts the widgets back to the keys' defaults (stored only on OK). The dock reads the same
keys. Checking a worker Python runs ``bridge.runtime.deps.probe_python`` in a ``QgsTask``, never on the main
thread.
"""

from __future__ import annotations

import logging
import os

from qgis.core import QgsApplication, QgsTask
from qgis.gui import QgsFileWidget
from qgis.PyQt import sip
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..bridge.adapters import settings
from ..bridge.runtime.deps import probe_python, python_executable, runtime_interpreter
from ..core.i18n import tr
from ..core.jobs import MODEL_SIZES
from .widgets.advanced import AdvancedOptions
from .widgets.cluster_options import ClusterOptions
from .widgets.device_picker import DevicePicker

log = logging.getLogger(__name__)

#: The keys the dialog edits (``WORKER_PYTHON`` and the cluster keys have their own switches).
_KEYS = (
    settings.MODEL_SIZE, settings.DEVICE, settings.PRECISION, settings.BATCH_SIZE, settings.OVERLAP,
    settings.TIMESTEPS, settings.SEED, settings.WEIGHTS_DIR, settings.CACHE_DIR, settings.OFFLINE,
)  # fmt: skip


def _folder_widget(parent: QWidget, tip: str) -> QgsFileWidget:
    widget = QgsFileWidget(parent)
    widget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
    widget.setToolTip(tip)
    return widget


class SettingsDialog(QDialog):
    """Edit the plugin's settings; OK saves, Cancel discards, Restore Defaults resets the widgets.

    Attributes:
        device: the device to store; kept apart from the combo box so that a stored GPU (``"cuda:1"``)
            survives while nvidia-smi has not listed it (yet).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("TerraMind settings"))
        self.device = settings.DEVICE.default
        self._probe_task: QgsTask | None = None
        self.size_combo = QComboBox(self)
        for size in MODEL_SIZES:
            self.size_combo.addItem(size, size)
        self.size_combo.setToolTip(tr("Larger models are slower and need more memory."))
        self.devices = DevicePicker(self)
        self.advanced = AdvancedOptions(self)
        self.weights_widget = _folder_widget(
            self,
            tr(
                "A folder holding checkpoints under their official names (TerraMind_v1_tiny.pt, "
                "TerraMind_Tokenizer_LULC.pt, …); used before the download cache."
            ),
        )
        self.cache_widget = _folder_widget(self, tr("Hugging Face cache folder; empty = the default cache."))
        self.offline_check = QCheckBox(tr("Offline: never download, use local and cached files only"), self)
        self.worker_check = QCheckBox(
            tr("Run models in a separate Python process (a crash or out-of-memory error cannot close QGIS)"),
            self,
        )
        self.python_widget = QgsFileWidget(self)
        self.python_widget.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.python_widget.setDialogTitle(tr("Python interpreter that runs the models"))
        self.check_button = QPushButton(tr("Check"), self)
        self.check_button.setToolTip(tr("Check that this Python has torch & co, and which devices it sees."))
        self.setup_button = QPushButton(tr("Set Up Runtime…"), self)
        self.runtime_label = QLabel(self)
        self.runtime_label.setWordWrap(True)
        self.cluster = ClusterOptions(self.worker_python, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        self._layout()
        self._connect()
        self.load()
        self.devices.start_probe()

    def _layout(self) -> None:
        run_box = QGroupBox(tr("Defaults for new runs"), self)
        form = QFormLayout(run_box)
        form.addRow(tr("Model size"), self.size_combo)
        form.addRow(self.devices)
        form.addRow(self.advanced)
        weights_box = QGroupBox(tr("Model weights"), self)
        form = QFormLayout(weights_box)
        form.addRow(tr("Local weights folder"), self.weights_widget)
        form.addRow(tr("Hugging Face cache folder"), self.cache_widget)
        form.addRow(self.offline_check)
        runtime_box = QGroupBox(tr("Runtime"), self)
        box = QVBoxLayout(runtime_box)
        box.addWidget(self.worker_check)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Worker Python"), runtime_box))
        row.addWidget(self.python_widget, 1)
        row.addWidget(self.check_button)
        box.addLayout(row)
        box.addWidget(self.runtime_label)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Install torch & co, or pick a CPU or GPU build:"), runtime_box), 1)
        row.addWidget(self.setup_button)
        box.addLayout(row)
        layout = QVBoxLayout(self)
        for widget in (run_box, weights_box, runtime_box, self.cluster, self.buttons):
            layout.addWidget(widget)
        self.resize(640, 0)

    def _connect(self) -> None:
        self.devices.device_combo.activated.connect(self._on_device_chosen)
        self.worker_check.toggled.connect(self._on_worker_toggled)
        self.python_widget.fileChanged.connect(lambda _path: self.runtime_label.clear())
        self.check_button.clicked.connect(self.check_python)
        self.setup_button.clicked.connect(self.open_setup)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        restore = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self.restore_defaults)

    # ----- values -----------------------------------------------------------------------------------------
    def load(self) -> None:
        """Show the stored values."""
        self._show({key: key.value() for key in _KEYS}, settings.WORKER_PYTHON.value())
        self.cluster.show_values(settings.CLUSTER_ENABLED.value(), settings.CLUSTER_SCHEDULER.value())

    def restore_defaults(self) -> None:
        """Show every key's default (stored only on OK)."""
        self._show({key: key.default for key in _KEYS}, settings.WORKER_PYTHON.default)
        self.cluster.show_values(settings.CLUSTER_ENABLED.default, settings.CLUSTER_SCHEDULER.default)

    def _show(self, values: dict, worker_python: str) -> None:
        self.size_combo.setCurrentIndex(max(0, self.size_combo.findData(values[settings.MODEL_SIZE])))
        self.device = values[settings.DEVICE]
        self.devices.set_device(self.device)
        self.devices.set_precision(values[settings.PRECISION])
        self.advanced.batch_size.setValue(values[settings.BATCH_SIZE])
        self.advanced.overlap.setValue(values[settings.OVERLAP])
        self.advanced.timesteps.setValue(values[settings.TIMESTEPS])
        self.advanced.seed.setValue(values[settings.SEED])
        self.weights_widget.setFilePath(values[settings.WEIGHTS_DIR])
        self.cache_widget.setFilePath(values[settings.CACHE_DIR])
        self.offline_check.setChecked(values[settings.OFFLINE])
        self._show_worker(worker_python)

    def _show_worker(self, worker_python: str) -> None:
        self.python_widget.setFilePath(worker_python)
        self.worker_check.setChecked(bool(worker_python))
        self._on_worker_toggled(bool(worker_python))
        self.runtime_label.clear()

    def save(self) -> bool:
        """Store the values shown; ``False`` (nothing stored) when the worker Python is not a file."""
        worker = self.worker_python()
        if worker and not os.path.isfile(worker):
            self.runtime_label.setText(self._missing_python_text(worker))
            return False
        if self.cluster.problem():
            self.cluster.status_label.setText(self.cluster.problem())
            return False
        settings.MODEL_SIZE.set_value(self.size_combo.currentData())
        settings.DEVICE.set_value(self.device)
        settings.PRECISION.set_value(self.devices.precision())
        settings.BATCH_SIZE.set_value(self.advanced.batch_size.value())
        settings.OVERLAP.set_value(self.advanced.overlap.value())
        settings.TIMESTEPS.set_value(self.advanced.timesteps.value())
        settings.SEED.set_value(self.advanced.seed.value())
        settings.WEIGHTS_DIR.set_value(self.weights_widget.filePath().strip())
        settings.CACHE_DIR.set_value(self.cache_widget.filePath().strip())
        settings.OFFLINE.set_value(self.offline_check.isChecked())
        settings.WORKER_PYTHON.set_value(worker)
        settings.CLUSTER_ENABLED.set_value(self.cluster.enabled_check.isChecked())
        settings.CLUSTER_SCHEDULER.set_value(self.cluster.address())
        return True

    def accept(self) -> None:
        """Save, then close; stay open and say why when the worker Python is not usable."""
        if self.save():
            super().accept()

    def worker_python(self) -> str:
        """The ``WORKER_PYTHON`` value shown: the interpreter path, ``""`` to run in QGIS's process."""
        return self.python_widget.filePath().strip() if self.worker_check.isChecked() else ""

    def _on_device_chosen(self, _index: int) -> None:
        self.device = self.devices.device()

    def _on_worker_toggled(self, checked: bool) -> None:
        if checked and not self.python_widget.filePath().strip():
            self.python_widget.setFilePath(python_executable())  # QGIS's own Python, in its own process
        self.python_widget.setEnabled(checked)
        self.check_button.setEnabled(checked and self._probe_task is None)

    # ----- runtime ----------------------------------------------------------------------------------------
    def open_setup(self) -> None:
        """Open the runtime set-up; show the worker Python it leaves in the settings."""
        from .setup_dialog import SetupDialog

        SetupDialog(self).exec()
        self._show_worker(settings.WORKER_PYTHON.value())

    def check_python(self) -> QgsTask | None:
        """Probe the worker Python in a background task; a path that is not a file is refused at once."""
        python = self.python_widget.filePath().strip()
        if not python or not os.path.isfile(python):
            self.runtime_label.setText(self._missing_python_text(python))
            return None
        self.runtime_label.setText(tr("Checking {0}…").format(python))
        self.check_button.setEnabled(False)
        interpreter, sites, _ = runtime_interpreter(python)
        self._probe_task = QgsTask.fromFunction(
            tr("TerraMind: check a Python environment"),
            lambda task: probe_python(interpreter, sites=sites, devices=True),
            on_finished=lambda exception, result=None: self._python_checked(python, exception, result),
        )
        QgsApplication.taskManager().addTask(self._probe_task)
        return self._probe_task

    def _python_checked(self, python: str, exception: BaseException | None, result=None) -> None:
        if sip.isdeleted(self):  # the dialog closed while the probe ran
            return
        self._probe_task = None
        self.check_button.setEnabled(self.worker_check.isChecked())
        if exception is not None or result is None:
            log.warning("Worker Python %s failed its check: %s", python, exception)
            self.runtime_label.setText(tr("{0} is not a usable Python: {1}").format(python, exception))
            return
        report, devices = result
        if not report.ok:
            self.runtime_label.setText(report.message())
        elif devices is None or devices.error:
            self.runtime_label.setText(
                tr("torch does not work in {0}: {1}").format(python, devices.error if devices else "")
            )
        else:
            ok = ", ".join(d.id for d in devices.devices if d.ok)
            self.runtime_label.setText(
                tr("Python {0} with torch {1}: works on {2}.").format(
                    report.python_version, devices.torch_version, ok
                )
            )

    @staticmethod
    def _missing_python_text(python: str) -> str:
        if not python:
            return tr("Choose the Python interpreter that runs the models.")
        if os.path.isdir(python):
            return tr("{0} is a folder; choose the Python interpreter in it (python3 or python.exe).").format(
                python
            )
        return tr(
            "There is no file at {0}. Choose the Python interpreter (python3 or python.exe) of an "
            "environment that has torch, or untick the separate process."
        ).format(python)
