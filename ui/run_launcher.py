"""A dock run from start to end: the ``JobTask``, its progress and time left, Cancel, and what the user is
told and given at the end (styled layers in a group, or a message; the run's temporary folder removed)."""

from __future__ import annotations

import logging
import shutil
import time
from typing import Callable

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QObject

from ..bridge.adapters import settings
from ..bridge.adapters.layers import add_result_layers, class_areas
from ..bridge.adapters.task import JobTask
from ..core.errors import TerraMindError
from ..core.jobs import JobResult, JobSpec
from .notices import Notices
from .widgets.run_controls import RunControls

log = logging.getLogger(__name__)


def job_runner() -> Callable | None:
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

    return lambda spec, progress, is_cancelled: run_job_in_worker(spec, progress, is_cancelled, python=python)


class RunLauncher(QObject):
    """Runs one job at a time for the dock and reports on ``controls`` and through ``notices``.

    Attributes:
        task: the running ``JobTask``, ``None`` between runs.
        run_dir: temporary folder of the running job (no output folder chosen), removed on cancel/failure.
    """

    def __init__(self, controls: RunControls, notices: Notices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controls, self.notices = controls, notices
        self.task: JobTask | None = None
        self.run_dir: str | None = None
        self._group_name = ""
        self._started = 0.0  # time.monotonic() at the start of the running job
        self._shut_down = False  # set by shutdown(): job callbacks must not touch widgets any more

    def start(self, spec: JobSpec, title: str, group_name: str, run_dir: str | None) -> None:
        """Start ``spec`` in the background; its layers go to the group ``group_name``."""
        self.run_dir, self._group_name = run_dir, group_name
        self.notices.clear()
        task = JobTask(
            spec,
            title,
            runner=job_runner(),
            on_finished=lambda result, s=spec: self._on_succeeded(result, s),
            on_failed=self._on_failed,
            on_cancelled=self._on_cancelled,
        )
        task.progressChanged.connect(self.show_progress)
        task.progressMessage.connect(self.controls.status_label.setText)
        self.task = task
        self._started = time.monotonic()
        log.info("Starting TerraMind %s job: %s", spec.task.value, ", ".join(spec.outputs.values()))
        self.controls.set_running(True)
        self.controls.status_label.setText(self.tr("Starting…"))
        QgsApplication.taskManager().addTask(task)

    def show_progress(self, percent: float) -> None:
        """Show the progress and, once 5 % are done, the time left extrapolated from the time so far."""
        bar = self.controls.progress_bar
        bar.setValue(int(percent))
        elapsed = time.monotonic() - self._started
        if 5.0 <= percent < 100.0:
            left = elapsed * (100.0 - percent) / percent
            text = (
                self.tr("{0:.0f} s left").format(left)
                if left < 90
                else self.tr("{0:.0f} min left").format(left / 60)
            )
            bar.setFormat(self.tr("%p% · {0}").format(text))
        else:
            bar.setFormat("%p%")

    def cancel(self) -> None:
        """Ask the running job to stop; the task removes partial outputs and no layer is added."""
        if self.task is not None:
            self.controls.status_label.setText(self.tr("Cancelling…"))
            self.controls.cancel_button.setEnabled(False)
            self.task.cancel()

    def shutdown(self) -> None:
        """Cancel a running job; one that ends after this only has its temporary folder removed."""
        self.cancel()
        self._shut_down = True

    def remove_run_dir(self) -> None:
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None

    def _end_run(self) -> bool:
        """Forget the finished task; return False when the dock was shut down meanwhile (widgets gone)."""
        self.task = None
        if self._shut_down:
            self.remove_run_dir()
            return False
        self.controls.set_running(False)
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
        self.run_dir = None
        self.controls.status_label.setText(
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
            self.notices.push(title, text, Qgis.MessageLevel.Warning, "\n".join(new))
        else:
            self.notices.push(self.tr("TerraMind"), text, Qgis.MessageLevel.Success)

    def _on_failed(self, message: str, details: str) -> None:
        if not self._end_run():
            return
        self.remove_run_dir()
        self.controls.status_label.setText(message)
        self.notices.push(self.tr("TerraMind failed"), message, Qgis.MessageLevel.Critical, details)

    def _on_cancelled(self) -> None:
        if not self._end_run():
            return
        self.remove_run_dir()
        self.controls.status_label.setText(self.tr("Cancelled; no output was kept."))
        text = self.tr("The run was cancelled; no output was kept.")
        self.notices.push(self.tr("TerraMind"), text, Qgis.MessageLevel.Info)
