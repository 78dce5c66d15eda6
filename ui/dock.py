"""``TerraMindDock``: choose layers and options, check and estimate, run in the background, show results.

The dock reads its widgets, builds a ``JobSpec`` and hands it to a ``JobTask`` (docs/architecture.md §1, §4).
It never reads rasters or loads models; results come back as styled layers through ``bridge.adapters.layers``.
The input layers are ``input_layers.InputLayers``. About 550 lines: the run life cycle (check, estimate,
start, cancel, publish) shares the dock's state.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from typing import Callable

from qgis.core import Qgis, QgsApplication, QgsProcessingUtils
from qgis.gui import QgsCollapsibleGroupBox, QgsDockWidget
from qgis.PyQt.QtWidgets import QFileDialog, QScrollArea, QVBoxLayout, QWidget

from ..bridge.adapters import settings
from ..bridge.adapters.layers import (
    add_result_layers,
    class_areas,
    input_from_layer,
)
from ..bridge.adapters.task import JobTask
from ..bridge.runtime.calibration import calibrated_gflops, start_calibration
from ..bridge.runtime.deps import check_dependencies
from ..core.errors import TerraMindError
from ..core.jobs import LIMITS, JobResult, JobSpec, Task, input_entries, validate_spec
from ..core.products import TASKS, task_products
from . import missing_weights, preflight
from .explore import ExplorePanel
from .input_layers import InputLayers
from .notices import Notices
from .widgets.advanced import AdvancedOptions
from .widgets.area import DRAWN, AreaChooser
from .widgets.dated_inputs import DatedInputsForm
from .widgets.narrow import fit_narrow
from .widgets.output import OutputChooser
from .widgets.run_controls import RunControls
from .widgets.task_form import TaskForm

log = logging.getLogger(__name__)


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
        self.task: JobTask | None = None
        self._calibration = None  # background speed measurement for the estimate (bridge.runtime.calibration)
        self._run_dir: str | None = None  # temporary folder of the running job, removed on cancel/failure
        self._group_name = ""
        self.notices = Notices(iface.messageBar)
        self.ask_missing_weights = missing_weights.ask  # replaced in tests
        self._weights_dialog = None
        self._started = 0.0  # time.monotonic() at the start of the running job
        self._shut_down = False  # set by shutdown(): job callbacks must not touch widgets any more
        self._build_ui()
        self.load_settings()
        self.devices.start_probe()

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
        self.explore.message.connect(self._push)
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

    def check(self) -> preflight.Preflight:
        """Run the pre-flight checks on the current choices (no spec needed)."""
        if uses_task_model(self.current_task()):
            return self._check_dated()
        layers = self.chosen_layers()
        result = preflight.check_layers(layers, {role: self.pickers[role].mapping() for role in layers})
        if result.errors:
            return result
        reference = layers[preflight.reference_role(list(layers))]
        drawn_missing = self.area.mode() == DRAWN and not self.area.has_drawn_rectangle()
        try:
            result.errors += preflight.check_area(self.area.area(), reference, drawn_missing)
        except TerraMindError as exc:  # an empty map extent or one without a CRS
            result.errors.append(str(exc))
        result.errors += preflight.check_task(
            self.current_task(), list(layers), self.task_form.output_modality()
        )
        result.errors += preflight.check_output_folder(self.output.folder())
        return result

    def _check_dated(self) -> preflight.Preflight:
        """Pre-flight of a fine-tuned model: the first date's layer (the grid), the area, the folder; the
        rows and the model files are checked when the spec is built."""
        result = preflight.Preflight([], [])
        reference = self.dated.first_layer()
        if reference is None:
            result.errors.append(self.tr("Choose the Sentinel-2 L2A and Sentinel-1 RTC layers of each date."))
            return result
        drawn_missing = self.area.mode() == DRAWN and not self.area.has_drawn_rectangle()
        try:
            result.errors += preflight.check_area(self.area.area(), reference, drawn_missing)
        except TerraMindError as exc:
            result.errors.append(str(exc))
        result.errors += preflight.check_output_folder(self.output.folder())
        return result

    # ----- check, estimate, run -----------------------------------------------------------------------------
    def _invalidate_estimate(self, *_args) -> None:
        if self.task is None:
            self.summary_label.setText("")

    def check_and_estimate(self) -> bool:
        """Check the inputs and show the estimate (tiles, time, disk); return whether a run may start."""
        return not self._check_and_estimate()

    def _check_and_estimate(self) -> list[str]:
        """Show the pre-flight errors, warnings and estimate in the panel; return the errors."""
        result = self.check()
        if not settings.WORKER_PYTHON.value():  # jobs run in QGIS's Python: it needs torch & co
            report = check_dependencies()
            if not report.ok:
                result.errors.append(report.message())
        if result.errors:
            self.controls.show_summary(result.errors, [])
            return result.errors
        try:
            spec = self.build_spec(tempfile.gettempdir(), "estimate")
            validate_spec(spec)
        except TerraMindError as exc:
            self.controls.show_summary([str(exc)], [])
            return [str(exc)]
        errors, warnings = preflight.check_weights(spec)
        gflops = calibrated_gflops(spec.device)
        folder = self.output.folder() or QgsProcessingUtils.tempFolder()
        limit_errors, limit_warnings = preflight.limit_messages(spec, folder, gflops)
        errors, warnings = errors + limit_errors, warnings + limit_warnings
        if gflops is None and self._calibration is None and not settings.WORKER_PYTHON.value():
            self._calibration = start_calibration(spec.device, on_done=self._calibrated)
        self.controls.show_summary(
            errors,
            [self.tr("⚠ {0}").format(w) for w in result.warnings + warnings]
            + [preflight.estimate_text(spec, gflops)],
        )
        return errors

    def _calibrated(self) -> None:
        """Show the estimate again with this computer's measured speed (main thread)."""
        self._calibration = None
        if self.task is None and calibrated_gflops(self.devices.device()) is not None:
            self._check_and_estimate()

    def run(self) -> bool:
        """Check the inputs and start the job in the background; return whether it started."""
        if self.task is not None:
            return False
        errors = self._check_and_estimate()
        if errors:
            first = (
                self.tr("{0} ({1} more in the TerraMind panel)").format(errors[0], len(errors) - 1)
                if len(errors) > 1
                else errors[0]
            )
            self._push(self.tr("Cannot run"), first, Qgis.MessageLevel.Warning)
            return False
        folder = self.output.folder()
        self._run_dir = (
            None if folder else tempfile.mkdtemp(prefix="terramind_", dir=QgsProcessingUtils.tempFolder())
        )
        task_kind = self.current_task()
        stem = f"terramind_{task_kind.value}_{time.strftime('%Y%m%d_%H%M%S')}"
        try:
            spec = self.build_spec(folder or self._run_dir, stem)
        except TerraMindError as exc:
            self._remove_run_dir()
            self._push(self.tr("Cannot run"), str(exc), Qgis.MessageLevel.Critical)
            return False
        if not self._weights_ready(spec):
            self._remove_run_dir()
            return False
        self.save_settings()
        self.notices.clear()
        self._group_name = group_name(spec, time.strftime("%H:%M"))
        task = JobTask(
            spec,
            self.tr("TerraMind: {0}").format(self.task_combo.currentText()),
            runner=self.runner(),
            on_finished=lambda result, s=spec: self._on_succeeded(result, s),
            on_failed=self._on_failed,
            on_cancelled=self._on_cancelled,
        )
        task.progressChanged.connect(self._on_progress)
        task.progressMessage.connect(self.status_label.setText)
        self.task = task
        self._started = time.monotonic()
        log.info("Starting TerraMind %s job: %s", spec.task.value, ", ".join(spec.outputs.values()))
        self._set_running(True)
        QgsApplication.taskManager().addTask(task)
        return True

    def _on_progress(self, percent: float) -> None:
        """Show the progress and, once 5 % are done, the time left extrapolated from the time so far."""
        self.progress_bar.setValue(int(percent))
        elapsed = time.monotonic() - self._started
        if 5.0 <= percent < 100.0:
            left = elapsed * (100.0 - percent) / percent
            text = (
                self.tr("{0:.0f} s left").format(left)
                if left < 90
                else self.tr("{0:.0f} min left").format(left / 60)
            )
            self.progress_bar.setFormat("%p% · " + text)  # no-i18n: Qt's percent placeholder
        else:
            self.progress_bar.setFormat("%p%")

    def runner(self) -> Callable | None:
        """The job runner: on the Dask cluster of the settings when that option is on, else a worker process
        when a worker Python is set, else ``None`` (JobTask's default)."""
        from ..bridge.runtime.cluster import cluster_runner

        on_cluster = cluster_runner()
        if on_cluster is not None:
            return on_cluster
        python = settings.WORKER_PYTHON.value()
        if not python:
            return None
        from ..bridge.runtime.worker import run_job_in_worker

        return lambda spec, progress, is_cancelled: run_job_in_worker(
            spec, progress, is_cancelled, python=python
        )

    def cancel(self) -> None:
        """Ask the running job to stop; the task removes partial outputs and no layer is added."""
        if self.task is not None:
            self.status_label.setText(self.tr("Cancelling…"))
            self.cancel_button.setEnabled(False)
            self.task.cancel()

    def _set_running(self, running: bool) -> None:
        self.controls.set_running(running)
        if running:
            self.status_label.setText(self.tr("Starting…"))

    def _end_run(self) -> bool:
        """Forget the finished task; return False when the dock was shut down meanwhile (widgets gone)."""
        self.task = None
        if self._shut_down:
            self._remove_run_dir()
            return False
        self._set_running(False)
        return True

    def _on_succeeded(self, result: JobResult, spec: JobSpec) -> None:
        if not self._end_run():
            return
        try:
            layers = add_result_layers(
                result, spec, self._group_name, add_embeddings=settings.ADD_EMBEDDINGS_LAYER.value()
            )
        except TerraMindError as exc:
            self._on_failed(str(exc), "")
            return
        self._run_dir = None
        self.status_label.setText(
            self.tr("Done: {0} layer(s) in “{1}”.").format(len(layers), self._group_name)
        )
        text = self.tr("Added {0} layer(s) to the group “{1}”.").format(len(layers), self._group_name)
        areas = class_areas(result.outputs.get("segment", ""))
        if areas:
            log.info("Area per class:\n%s", "\n".join(areas))
            text += " " + "; ".join(areas)
        if "embeddings" in result.outputs:
            text += " " + self.tr("Embeddings file: {0}").format(result.outputs["embeddings"])
        new = self.notices.first_time(result.warnings)
        if new:
            title = self.tr("TerraMind finished with notices")
            self._push(title, text, Qgis.MessageLevel.Warning, "\n".join(new))
        else:
            self._push(self.tr("TerraMind"), text, Qgis.MessageLevel.Success)

    def _on_failed(self, message: str, details: str) -> None:
        if not self._end_run():
            return
        self._remove_run_dir()
        self.status_label.setText(message)
        self._push(self.tr("TerraMind failed"), message, Qgis.MessageLevel.Critical, details)

    def _on_cancelled(self) -> None:
        if not self._end_run():
            return
        self._remove_run_dir()
        self.status_label.setText(self.tr("Cancelled; no output was kept."))
        self._push(
            self.tr("TerraMind"),
            self.tr("The run was cancelled; no output was kept."),
            Qgis.MessageLevel.Info,
        )

    def _remove_run_dir(self) -> None:
        if self._run_dir is not None:
            shutil.rmtree(self._run_dir, ignore_errors=True)
            self._run_dir = None

    def _push(self, title: str, text: str, level: Qgis.MessageLevel, details: str = "") -> None:
        self.notices.push(title, text, level, details)

    # ----- dialogs and life cycle ---------------------------------------------------------------------------
    def _weights_ready(self, spec: JobSpec) -> bool:
        """Before the first run: when weight files are missing, ask whether to download them now (with
        progress, in the Weights dialog) or to choose a folder that holds them; ``True``: run now."""
        if spec.offline or settings.WORKER_PYTHON.value():  # offline: pre-flight named them; worker: its own
            return True
        try:
            names = preflight.missing_checkpoint_names(spec)
        except ImportError:
            return True
        if not names:
            return True
        cache = spec.cache_dir or self.tr("the Hugging Face cache")
        choice = self.ask_missing_weights(self, names, cache)
        if choice == missing_weights.DOWNLOAD:
            self._weights_dialog_for(spec.model_size).show()
            self._weights_dialog.download(names)
            self.status_label.setText(self.tr("Downloading the weights; press Run when they are in."))
        elif choice == missing_weights.FOLDER:
            folder = QFileDialog.getExistingDirectory(self, self.tr("Folder with the TerraMind weight files"))
            if folder:
                settings.WEIGHTS_DIR.set_value(folder)
                self.status_label.setText(self.tr("Weights folder set; press Run to start."))
        return False

    def _weights_dialog_for(self, model_size: str):
        from .weights_dialog import WeightsDialog

        if self._weights_dialog is None:  # kept: a download it started must outlive the dialog's window
            self._weights_dialog = WeightsDialog(model_size, self)
        self._weights_dialog.model_size = model_size
        self._weights_dialog.refresh()
        return self._weights_dialog

    def open_weights_dialog(self) -> None:
        """Show which checkpoints are cached; download or import them; offline switch."""
        self._weights_dialog_for(self.task_form.model_size()).exec()
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
        """Cancel a running job and remove the map tool and rubber band (plugin unload).

        A job that ends after this only has its temporary folder removed: the widgets may be gone.
        """
        self.cancel()
        self._shut_down = True
        if self._calibration is not None:  # it may finish after the widgets are gone
            self._calibration.on_done = None
        self.area.cleanup()
        self.explore.shutdown()
