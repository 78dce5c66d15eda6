"""``TerraMindDock``: choose layers and options, check and estimate, then run in the background.

The dock reads its widgets and builds a ``JobSpec`` (docs/architecture.md §1, §4); it never reads rasters or
loads models. Its parts: the input layers (``input_layers``), the checks and estimate (``run_check``), the run
from start to styled layers (``run_launcher``), missing weights asked for and downloaded before a run
(``missing_weights``) and the message bar (``notices``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time

from qgis.core import Qgis, QgsProcessingUtils
from qgis.gui import QgsCollapsibleGroupBox, QgsDockWidget
from qgis.PyQt.QtWidgets import QFileDialog, QScrollArea, QVBoxLayout, QWidget

from ..bridge.adapters import settings
from ..bridge.adapters.layers import input_from_layer
from ..bridge.adapters.task import JobTask
from ..core.errors import TerraMindError
from ..core.jobs import LIMITS, JobSpec, Task, input_entries
from ..core.products import TASKS, task_products
from . import missing_weights, preflight
from .explore import ExplorePanel
from .input_layers import InputLayers
from .notices import Notices
from .run_check import RunCheck
from .run_launcher import RunLauncher
from .widgets.advanced import AdvancedOptions
from .widgets.area import DRAWN, AreaChooser
from .widgets.dated_inputs import DatedInputsForm
from .widgets.narrow import fit_narrow
from .widgets.output import OutputChooser
from .widgets.run_controls import RunControls
from .widgets.task_form import TaskForm


def group_name(spec: JobSpec, when: str, width: int = 18) -> str:
    """Short layer-group name of a run: what, from which layer (cut to ``width``), when."""
    info = TASKS[spec.task]
    what = info.short or spec.output_modality or spec.task.value
    entries = input_entries(spec)
    layer = entries[0][1].label if entries else ""
    if len(layer) > width:
        layer = layer[: width - 1] + "…"
    return f"{what} · {layer} {when}" if layer else f"{what} {when}"


def output_paths(task: Task, output_modality: str | None, folder: str, stem: str) -> dict[str, str]:
    """Output kind -> absolute path in ``folder`` (``JobSpec.outputs``): GeoTIFFs, and CSV for tables."""
    paths = {
        p.kind: os.path.abspath(os.path.join(folder, f"{stem}_{p.kind}.tif"))
        for p in task_products(task, output_modality)
    }
    for kind in TASKS[task].tables:
        paths[kind] = os.path.abspath(os.path.join(folder, f"{stem}_{kind}.csv"))
    return paths


def uses_task_model(task: Task) -> bool:
    """The task runs a fine-tuned model on dated inputs (its own input panel)."""
    return TASKS[task].model == "task"


class TerraMindDock(QgsDockWidget):
    """The TerraMind panel. ``put_layer`` / ``offer_layer`` are the entry points of the layer actions."""

    def __init__(self, iface, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("TerraMind"))
        self.setObjectName("TerraMindDock")
        self.iface = iface
        self.notices = Notices(iface.messageBar)
        self.ask_missing_weights = missing_weights.ask  # replaced in tests
        self._weights_dialog = None
        self._build_ui()
        self.launcher = RunLauncher(self.controls, self.notices, self)
        self.download = missing_weights.DownloadThenRun(self.controls, self.notices, self)
        self.checks = RunCheck(self)
        self.load_settings()
        self.devices.start_probe()

    @property
    def task(self) -> JobTask | None:
        """The running job's task; ``None`` between runs (also while its weights download)."""
        return self.launcher.task

    # ----- layout -------------------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 4, 4, 4)  # every pixel counts in a 300 px panel
        self.inputs_box = InputLayers(content)
        self.inputs_box.changed.connect(self._invalidate_estimate)
        layout.addWidget(self.inputs_box)
        # the inputs' entry points (layer actions, tests)
        self.pickers, self.offer = self.inputs_box.pickers, self.inputs_box.offer
        self.put_layer, self.use_layer = self.inputs_box.put_layer, self.inputs_box.use_layer
        self.offer_layer = self.inputs_box.offer_layer
        self.chosen_layers = self.inputs_box.chosen_layers
        self.dated_box = QgsCollapsibleGroupBox(self.tr("Fine-tuned model and dates"), content)
        self.dated = DatedInputsForm(self.dated_box)
        QVBoxLayout(self.dated_box).addWidget(self.dated)
        self.dated.changed.connect(self._invalidate_estimate)
        layout.addWidget(self.dated_box)
        task_box = QgsCollapsibleGroupBox(self.tr("Task and model"), content)
        self.task_form = TaskForm(task_box)
        QVBoxLayout(task_box).addWidget(self.task_form)
        self.task_form.changed.connect(self._invalidate_estimate)
        self.task_form.changed.connect(self._show_inputs_of_task)
        layout.addWidget(task_box)
        # the widgets tests and scripts drive directly
        self.task_combo, self.modality_combo = self.task_form.task_combo, self.task_form.modality_combo
        self.size_combo, self.devices = self.task_form.size_combo, self.task_form.devices
        area_box = QgsCollapsibleGroupBox(self.tr("Area"), content)
        self.area = AreaChooser(self.iface.mapCanvas(), area_box)
        QVBoxLayout(area_box).addWidget(self.area)
        layout.addWidget(area_box)
        advanced_box = QgsCollapsibleGroupBox(self.tr("Advanced"), content)
        self.advanced = AdvancedOptions(advanced_box)
        QVBoxLayout(advanced_box).addWidget(self.advanced)
        advanced_box.setCollapsed(True)
        layout.addWidget(advanced_box)
        output_box = QgsCollapsibleGroupBox(self.tr("Output"), content)
        self.output = OutputChooser(output_box)
        QVBoxLayout(output_box).addWidget(self.output)
        layout.addWidget(output_box)
        layout.addWidget(self._build_run_controls(content))
        self.inputs_box.status.connect(self.status_label.setText)
        explore_box = QgsCollapsibleGroupBox(self.tr("Explore embeddings"), content)
        self.explore = ExplorePanel(self.iface, self.output.folder, explore_box)
        self.explore.message.connect(self.notices.push)
        QVBoxLayout(explore_box).addWidget(self.explore)
        layout.addWidget(explore_box)
        layout.addStretch(1)
        self._show_inputs_of_task()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        fit_narrow(content)
        self.setWidget(scroll)

    def _show_inputs_of_task(self) -> None:
        """Role pickers for the foundation-model tasks; the model picker and dated rows for fine-tunes."""
        dated = uses_task_model(self.task_form.task())
        self.inputs_box.setVisible(not dated)
        self.dated_box.setVisible(dated)

    def _build_run_controls(self, parent: QWidget) -> QWidget:
        controls = RunControls(parent)
        self.controls = controls
        self.summary_label, self.status_label = controls.summary_label, controls.status_label
        self.run_button, self.cancel_button = controls.run_button, controls.cancel_button
        self.progress_bar = controls.progress_bar
        controls.weights_button.clicked.connect(self.open_weights_dialog)
        controls.estimate_button.clicked.connect(self.check_and_estimate)
        controls.run_button.clicked.connect(self.run)
        controls.cancel_button.clicked.connect(self.cancel)
        return controls

    # ----- settings -----------------------------------------------------------------------------------------
    def load_settings(self) -> None:
        """Show the stored options (task, model, device, advanced options, output) in the widgets."""
        self.task_form.set_model_size(settings.MODEL_SIZE.value())
        self.task_form.set_task(settings.DOCK_TASK.value(), settings.DOCK_GENERATE.value())
        self.devices.set_device(settings.DEVICE.value())
        self.devices.set_precision(settings.PRECISION.value())
        self.advanced.overlap.setValue(settings.OVERLAP.value())
        self.advanced.batch_size.setValue(settings.BATCH_SIZE.value())
        self.advanced.timesteps.setValue(settings.TIMESTEPS.value())
        self.advanced.seed.setValue(settings.SEED.value())
        self.output.set_folder(settings.OUTPUT_DIR.value())

    def save_settings(self) -> None:
        """Remember the current options for the next session."""
        settings.MODEL_SIZE.set_value(self.task_form.model_size())
        settings.DOCK_TASK.set_value(self.current_task().value)
        settings.DOCK_GENERATE.set_value(self.task_form.modality_combo.currentData())
        settings.DEVICE.set_value(self.devices.device())
        settings.PRECISION.set_value(self.devices.precision())
        settings.OVERLAP.set_value(self.advanced.overlap.value())
        settings.BATCH_SIZE.set_value(self.advanced.batch_size.value())
        settings.TIMESTEPS.set_value(self.advanced.timesteps.value())
        settings.SEED.set_value(self.advanced.seed.value())
        settings.OUTPUT_DIR.set_value(self.output.folder())

    # ----- spec ---------------------------------------------------------------------------------------------
    def current_task(self) -> Task:
        return self.task_form.task()

    def uses_fine_tuned_model(self) -> bool:
        """The chosen task runs a fine-tuned model on dated inputs (not the role pickers)."""
        return uses_task_model(self.current_task())

    def build_spec(self, output_folder: str, stem: str) -> JobSpec:
        """Build the ``JobSpec`` of the current choices; outputs are ``<output_folder>/<stem>_<kind>.tif``.

        Raises:
            InputError: a layer cannot be used as an input (from ``bridge.adapters.layers.input_from_layer``).
        """
        task = self.current_task()
        output_modality = self.task_form.output_modality()
        info = TASKS[task]
        if uses_task_model(task):  # the model's own window (IBM's fine-tunes: 256 px at stride 208)
            fields = self.dated.spec_fields()
            fields.update(
                tile_size=info.default("tile_size", LIMITS["tile_size"].default),
                overlap=info.default("overlap", LIMITS["overlap"].default),
            )
        else:
            layers = self.chosen_layers()
            fields = dict(
                inputs=tuple(
                    input_from_layer(layer, role, bands=self.pickers[role].mapping())
                    for role, layer in layers.items()
                ),
                overlap=self.advanced.overlap.value(),
            )
        weights_dir = settings.WEIGHTS_DIR.value() or None
        cache_dir = settings.CACHE_DIR.value() or None
        return JobSpec(
            task=task,
            **fields,
            outputs=output_paths(task, output_modality, output_folder, stem),
            output_modality=output_modality,
            area=self.area.area(),
            model_size=self.task_form.model_size(),
            weights_dir=weights_dir,
            cache_dir=cache_dir,
            offline=settings.OFFLINE.value(),
            device=self.devices.device(),
            precision=self.devices.precision(),
            batch_size=self.advanced.batch_size.value(),
            timesteps=self.advanced.timesteps.value(),
            seed=self.advanced.seed.value(),
            embedding_stride=self.task_form.embedding_stride(),
        )

    # ----- check, estimate, run -----------------------------------------------------------------------------
    def check(self) -> preflight.Preflight:
        """Run the pre-flight checks on the current choices (no spec needed)."""
        return self.checks.check()

    def check_and_estimate(self) -> bool:
        """Check the inputs and show the estimate (tiles, time, disk); return whether a run may start."""
        return not self.checks.show()

    def _invalidate_estimate(self, *_args) -> None:
        if not self.busy():
            self.summary_label.setText("")

    def busy(self) -> bool:
        """A job runs, or the weights of one are downloading."""
        return self.launcher.task is not None or self.download.task is not None

    def run(self) -> bool:
        """Check the inputs and start the job in the background; return whether it started (not when its
        weights are downloaded first: it starts when they are in)."""
        if self.busy():
            return False
        errors = self.checks.show()
        if errors:
            first = (
                self.tr("{0} ({1} more in the TerraMind panel)").format(errors[0], len(errors) - 1)
                if len(errors) > 1
                else errors[0]
            )
            self.notices.push(self.tr("Cannot run"), first, Qgis.MessageLevel.Warning)
            return False
        folder = self.output.folder()
        temp = QgsProcessingUtils.tempFolder()
        run_dir = None if folder else tempfile.mkdtemp(prefix="terramind_", dir=temp)
        stem = f"terramind_{self.current_task().value}_{time.strftime('%Y%m%d_%H%M%S')}"
        try:
            spec = self.build_spec(folder or run_dir, stem)
        except TerraMindError as exc:
            _remove(run_dir)
            self.notices.push(self.tr("Cannot run"), str(exc), Qgis.MessageLevel.Critical)
            return False
        title = self.tr("TerraMind: {0}").format(self.task_combo.currentText())
        names = self._missing_weights(spec)
        if not names:
            self._start(spec, title, run_dir)
            return True
        choice = self.ask_missing_weights(self, names, spec.cache_dir or self.tr("the Hugging Face cache"))
        if choice == missing_weights.DOWNLOAD:
            self.download.start(names, lambda: self._start(spec, title, run_dir), lambda: _remove(run_dir))
            return False
        _remove(run_dir)
        if choice == missing_weights.FOLDER:
            folder = QFileDialog.getExistingDirectory(self, self.tr("Folder with the TerraMind weight files"))
            if folder:
                settings.WEIGHTS_DIR.set_value(folder)
                self.status_label.setText(self.tr("Weights folder set; press Run to start."))
        return False

    def _start(self, spec: JobSpec, title: str, run_dir: str | None) -> None:
        self.save_settings()
        self.launcher.start(spec, title, group_name(spec, time.strftime("%H:%M")), run_dir)

    def cancel(self) -> None:
        """Stop the running job (its partial outputs are removed, no layer is added) or weights download."""
        self.download.cancel()
        self.launcher.cancel()

    # ----- dialogs and life cycle ---------------------------------------------------------------------------
    def _missing_weights(self, spec: JobSpec) -> list[str]:
        """The registered names of the checkpoint files the run needs that are not on this computer; none
        offline (the pre-flight check named them) or with a worker Python (it finds its own)."""
        if spec.offline or settings.WORKER_PYTHON.value():
            return []
        try:
            return preflight.missing_checkpoint_names(spec)
        except ImportError:
            return []

    def open_weights_dialog(self) -> None:
        """Show which checkpoints are cached; download or import them; offline switch."""
        from .weights_dialog import WeightsDialog

        if self._weights_dialog is None:  # kept: a download it started must outlive the dialog's window
            self._weights_dialog = WeightsDialog(self.task_form.model_size(), self)
        self._weights_dialog.model_size = self.task_form.model_size()
        self._weights_dialog.refresh()
        self._weights_dialog.exec()
        self._invalidate_estimate()

    def closeEvent(self, event) -> None:
        """Hide the drawn rectangle while the panel is closed; a running job keeps running."""
        self.area.rubber_band.setVisible(False)
        super().closeEvent(event)

    def showEvent(self, event) -> None:
        """Show the drawn rectangle again."""
        self.area.rubber_band.setVisible(self.area.mode() == DRAWN and self.area.has_drawn_rectangle())
        super().showEvent(event)

    def shutdown(self) -> None:
        """Cancel a running job or weights download and remove the map tool and rubber band (plugin unload).

        A job or download that ends after this only has its temporary folder removed: the widgets may be gone.
        """
        self.download.shutdown()
        self.launcher.shutdown()
        self.checks.shutdown()
        self.area.cleanup()
        self.explore.shutdown()


def _remove(run_dir: str | None) -> None:
    """Remove a run's temporary folder (none when the outputs go to a chosen folder)."""
    if run_dir is not None:
        shutil.rmtree(run_dir, ignore_errors=True)
