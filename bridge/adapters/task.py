"""``JobTask``: run one TerraMind job in a QgsTask worker thread and publish the outcome on the main thread.

The split follows the prepare / work / publish rule (architecture.md §4): the caller builds the ``JobSpec``
on the main thread, ``run()`` calls the runner and nothing else (no ``QgsProject``, no ``iface``, no
widgets), and ``finished()`` (main thread) hands the ``JobResult`` or the error to the callbacks, which
add layers or show messages. The caller must keep a Python reference to the task until it finishes.
"""

from __future__ import annotations

import logging
import traceback
from typing import Callable

from qgis.core import QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ...core.errors import JobCancelled, TerraMindError
from ...core.i18n import tr
from ...core.jobs import CancelCheck, JobResult, JobSpec, ProgressCallback

log = logging.getLogger(__name__)

#: ``runner(spec, progress, is_cancelled) -> JobResult``: ``core.pipeline.run_job`` or a worker runner.
Runner = Callable[[JobSpec, ProgressCallback, CancelCheck], JobResult]


def run_in_process(spec: JobSpec, progress: ProgressCallback, is_cancelled: CancelCheck) -> JobResult:
    """Default runner: ``core.pipeline.run_job`` in this process (torch is imported in the task thread)."""
    from ...core.pipeline import run_job

    return run_job(spec, progress=progress, is_cancelled=is_cancelled)


class JobTask(QgsTask):
    """Background task running one ``JobSpec``.

    Signals (emitted on the main thread from ``finished()``; the callbacks given to ``__init__`` are
    called at the same moment, before the signals):

    * ``succeeded(JobResult)``
    * ``failed(message, details)``: ``message`` is for the user, ``details`` holds the traceback.
    * ``cancelled()``
    * ``progressMessage(str)``: stage text reported by the runner (emitted from the worker thread;
      Qt queues it to receivers on the main thread).

    Attributes after the run: ``result`` (``JobResult`` or ``None``), ``error_message``,
    ``error_details``, ``was_cancelled``, ``last_message``.
    """

    succeeded = pyqtSignal(object)
    failed = pyqtSignal(str, str)
    cancelled = pyqtSignal()
    progressMessage = pyqtSignal(str)

    def __init__(
        self,
        spec: JobSpec,
        description: str,
        runner: Runner | None = None,
        on_finished: Callable[[JobResult], None] | None = None,
        on_failed: Callable[[str, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> None:
        """Create the task (it does not start until added to ``QgsApplication.taskManager()``).

        Args:
            spec: the job to run.
            description: task manager label, e.g. "TerraMind: LULC from S2 scene".
            runner: callable doing the work; default ``run_in_process`` (``core.pipeline.run_job``).
            on_finished: called with the ``JobResult`` on success (main thread).
            on_failed: called with ``(message, details)`` on error (main thread).
            on_cancelled: called after a cancel (main thread); when ``None``, ``on_failed`` receives
                a "cancelled" message instead.
        """
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.spec = spec
        self._runner = runner or run_in_process
        self._on_finished = on_finished
        self._on_failed = on_failed
        self._on_cancelled = on_cancelled
        self.result: JobResult | None = None
        self.error_message = ""
        self.error_details = ""
        self.was_cancelled = False
        self.last_message = ""

    def run(self) -> bool:
        """Run the job in the worker thread; return ``True`` on success (QgsTask contract).

        A cancelled run also returns ``True``, with "(cancelled)" added to the description: QGIS 3.22
        announces every task that returns ``False`` as "Task failed", and a cancel is not a failure.
        ``finished()`` still reports it as cancelled.
        """
        try:
            self.result = self._runner(self.spec, self._report, self.isCanceled)
            return True
        except JobCancelled:
            self.was_cancelled = True
            self.setDescription(tr("{0} (cancelled)").format(self.description()))
            return True
        except TerraMindError as exc:
            self.error_message = str(exc)
            self.error_details = traceback.format_exc()
            log.warning("TerraMind job failed: %s", exc)
        except Exception as exc:
            self.error_message = tr("Unexpected error: {0}: {1}").format(type(exc).__name__, exc)
            self.error_details = traceback.format_exc()
            log.exception("Unexpected error in TerraMind job")
        return False

    def _report(self, fraction: float, message: str) -> None:
        """Progress callback given to the runner: ``fraction`` in [0, 1]."""
        self.setProgress(100.0 * min(max(float(fraction), 0.0), 1.0))
        if message and message != self.last_message:
            self.last_message = message
            self.progressMessage.emit(message)

    def finished(self, result: bool) -> None:
        """Publish the outcome on the main thread."""
        if result and self.result is not None and not self.was_cancelled:
            if self._on_finished is not None:
                self._on_finished(self.result)
            self.succeeded.emit(self.result)
            return
        if self.was_cancelled or (not self.error_message and self.isCanceled()):
            self.was_cancelled = True
            if self._on_cancelled is not None:
                self._on_cancelled()
            elif self._on_failed is not None:
                self._on_failed(tr("The TerraMind run was cancelled."), "")
            self.cancelled.emit()
            return
        message = self.error_message or tr("The TerraMind run stopped without a result.")
        if self._on_failed is not None:
            self._on_failed(message, self.error_details)
        self.failed.emit(message, self.error_details)
