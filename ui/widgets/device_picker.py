"""Device and precision picker.

The list of CUDA GPUs comes from ``nvidia-smi`` run as a ``QProcess`` (asynchronous) and read by
``bridge.runtime.cuda.parse_nvidia_smi``, so opening the dock never imports torch on the main thread.
Apple MPS is offered on Apple-silicon Macs. Whether torch can really use the chosen device is checked by
the pipeline when the job starts.
"""

from __future__ import annotations

import platform
from collections.abc import Sequence

from qgis.PyQt.QtCore import QProcess, pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QWidget

from ...bridge.runtime.cuda import QUERY_ARGS, Gpu, parse_nvidia_smi
from ...core.jobs import PRECISIONS


def has_mps() -> bool:
    """Whether this machine is an Apple-silicon Mac (where torch offers the MPS device)."""
    return platform.system() == "Darwin" and platform.machine() == "arm64"


class DevicePicker(QWidget):
    """Two combo boxes, one row each: device (auto, CPU, each CUDA GPU with its memory, MPS) and precision.

    Signals:
        probed: emitted once the GPU probe has finished (whether or not it found a GPU).
    """

    probed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.device_combo = QComboBox(self)
        self.device_combo.addItem(self.tr("Automatic (best available)"), "auto")
        self.device_combo.addItem(self.tr("CPU"), "cpu")
        if has_mps():
            self.device_combo.addItem(self.tr("Apple GPU (MPS)"), "mps")
        self.device_combo.setToolTip(self.tr("Where the model runs. GPUs are listed by nvidia-smi."))
        self.precision_combo = QComboBox(self)
        for value, label in zip(
            PRECISIONS,
            (self.tr("Automatic"), self.tr("float32"), self.tr("bfloat16"), self.tr("float16")),
        ):
            self.precision_combo.addItem(label, value)
        self.precision_combo.setToolTip(
            self.tr(
                "Automatic: bfloat16 on CUDA GPUs that support it and on CPUs that compute it natively "
                "(AVX512-BF16 or AMX-BF16), float32 elsewhere."
            )
        )
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("Device"), self.device_combo)
        layout.addRow(self.tr("Precision"), self.precision_combo)
        self._wanted_device = "auto"
        self._process: QProcess | None = None
        self.device_combo.activated.connect(self._on_user_choice)

    def _on_user_choice(self, _index: int) -> None:
        self._wanted_device = self.device_combo.currentData()

    def start_probe(self, program: str = "nvidia-smi") -> None:
        """List CUDA GPUs in the background with ``program`` (``nvidia-smi``); ``probed`` fires when done."""
        process = QProcess(self)
        process.finished.connect(self._on_probe_finished)
        process.errorOccurred.connect(self._on_probe_error)
        self._process = process
        process.start(program, list(QUERY_ARGS))

    def _on_probe_finished(self, exit_code: int, _status: QProcess.ExitStatus) -> None:
        process = self._process
        if process is None:
            return
        if exit_code == 0:
            text = bytes(process.readAllStandardOutput()).decode("utf-8", "replace")
            self.add_gpus(parse_nvidia_smi(text).gpus)
        self._finish_probe()

    def _on_probe_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:  # no NVIDIA driver: nothing to add
            self._finish_probe()

    def _finish_probe(self) -> None:
        if self._process is not None:
            self._process.deleteLater()
            self._process = None
            self.probed.emit()

    def add_gpus(self, gpus: Sequence[Gpu]) -> None:
        """Add one entry per GPU, after CPU, and re-select the wanted device if it is one of them."""
        insert_at = self.device_combo.findData("cpu") + 1
        for offset, gpu in enumerate(gpus):
            if self.device_combo.findData(gpu.device) >= 0:
                continue
            label = self.tr("CUDA {index}: {name}").format(index=gpu.index, name=gpu.name)
            if gpu.memory_mib:
                label += self.tr(" ({0:.0f} GiB)").format(gpu.memory_mib / 1024)
            self.device_combo.insertItem(insert_at + offset, label, gpu.device)
        self.set_device(self._wanted_device)

    def device(self) -> str:
        """Device string for the job spec: auto, cpu, cuda:N or mps."""
        return self.device_combo.currentData()

    def set_device(self, device: str) -> None:
        """Select ``device``; a GPU not (yet) listed is selected as soon as the probe finds it."""
        self._wanted_device = device
        index = self.device_combo.findData(device)
        if index < 0 and device == "cuda":
            index = self.device_combo.findData("cuda:0")
        if index >= 0:
            self.device_combo.setCurrentIndex(index)

    def precision(self) -> str:
        """Precision for the job spec: auto, float32, bfloat16 or float16."""
        return self.precision_combo.currentData()

    def set_precision(self, precision: str) -> None:
        index = self.precision_combo.findData(precision)
        if index >= 0:
            self.precision_combo.setCurrentIndex(index)
