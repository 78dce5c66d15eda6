"""Task form: what to produce, which model size, on which device and in which precision."""

from __future__ import annotations

from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QWidget

from ...core.i18n import tr
from ...core.jobs import MODEL_SIZES, STRIDES, Task, model_passes
from ...core.products import GENERATED_MODALITIES, TASKS, task_products
from .device_picker import DevicePicker

_OWN_TASK = {p.modality for task in TASKS for p in task_products(task)}
#: Modalities offered under "Generate another modality" (those without a task of their own).
OTHER_GENERATED = tuple(m for m in GENERATED_MODALITIES if m not in _OWN_TASK)


class TaskForm(QWidget):
    """Task, generated modality (for ``Task.GENERATE`` only), model size, device and precision.

    Signals:
        changed: the task, the generated modality or the model size changed.
    """

    changed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task_combo = QComboBox(self)
        for info in TASKS.values():
            self.task_combo.addItem(tr(info.title), info.task.value)
        self.modality_combo = QComboBox(self)
        for modality in OTHER_GENERATED:
            self.modality_combo.addItem(modality, modality)
        self.size_combo = QComboBox(self)
        for size in MODEL_SIZES:
            self.size_combo.addItem(size, size)
        self.size_combo.setToolTip(self.tr("Larger models are slower and need more memory."))
        self.stride_combo = QComboBox(self)
        for stride in STRIDES:
            text = self.tr("{0} px ({1} model pass(es) per tile)").format(stride, model_passes(stride))
            self.stride_combo.addItem(text, stride)
        self.stride_combo.setToolTip(
            self.tr(
                "Pixels between embedding vectors: 16 = one per patch; 8 or 4 run the model on shifted "
                "windows, (16 / stride)^2 times as often, for a finer embedding map."
            )
        )
        self.devices = DevicePicker(self)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Task"), self.task_combo)
        form.addRow(self.tr("Generate"), self.modality_combo)
        form.addRow(self.tr("Model size"), self.size_combo)
        form.addRow(self.tr("Embedding stride"), self.stride_combo)
        form.addRow(self.devices)
        self._modality_label = form.labelForField(self.modality_combo)
        self._stride_label = form.labelForField(self.stride_combo)
        self._size_label = form.labelForField(self.size_combo)
        for combo in (self.task_combo, self.modality_combo, self.size_combo, self.stride_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._on_changed)
        self._on_changed()

    def task(self) -> Task:
        return Task(self.task_combo.currentData())

    def output_modality(self) -> str | None:
        """The modality to generate for ``Task.GENERATE``, else ``None``."""
        return self.modality_combo.currentData() if self.task() == Task.GENERATE else None

    def set_task(self, task: str, output_modality: str | None = None) -> None:
        """Select ``task`` (a ``Task`` value) and, for ``Task.GENERATE``, ``output_modality``."""
        self.task_combo.setCurrentIndex(max(0, self.task_combo.findData(task)))
        if output_modality is not None:
            self.modality_combo.setCurrentIndex(max(0, self.modality_combo.findData(output_modality)))

    def embedding_stride(self) -> int:
        """Pixels between embedding vectors (``JobSpec.embedding_stride``)."""
        return int(self.stride_combo.currentData())

    def model_size(self) -> str:
        return self.size_combo.currentData()

    def set_model_size(self, size: str) -> None:
        self.size_combo.setCurrentIndex(max(0, self.size_combo.findData(size)))

    def _on_changed(self, _index: int = 0) -> None:
        generate = self.task() == Task.GENERATE
        self.modality_combo.setVisible(generate)
        if self._modality_label is not None:
            self._modality_label.setVisible(generate)
        info = TASKS[self.task()]
        fine_tuned = info.model == "task"  # a fine-tune has its own backbone size
        self.size_combo.setVisible(not fine_tuned)
        if self._size_label is not None:
            self._size_label.setVisible(not fine_tuned)
        embeddings = info.model == "backbone"
        self.stride_combo.setVisible(embeddings)
        if self._stride_label is not None:
            self._stride_label.setVisible(embeddings)
        self.changed.emit()
