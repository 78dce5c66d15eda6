"""bridge/task.py: JobTask runs its runner in a worker thread and publishes on the main thread."""

from __future__ import annotations

import threading
import time

import pytest
from helpers.paths import example
from pytest_qgis.utils import wait_until
from qgis.core import QgsApplication, QgsTask

from terramind_qgis.bridge.adapters.task import JobTask
from terramind_qgis.core.errors import InputError, JobCancelled
from terramind_qgis.core.jobs import InputRaster, JobResult, JobSpec, Task


@pytest.fixture()
def spec(tmp_path):
    return JobSpec(
        task=Task.LULC,
        inputs=(InputRaster(path=str(example("S2L2A")), modality="S2L2A"),),
        outputs={"lulc": str(tmp_path / "lulc.tif")},
    )


class Outcome:
    """Collects what the callbacks receive and on which thread."""

    def __init__(self):
        self.finished = None
        self.failed = None
        self.cancelled = False
        self.thread = None
        self.done = False

    def on_finished(self, result):
        self.finished, self.thread, self.done = result, threading.get_ident(), True

    def on_failed(self, message, details):
        self.failed, self.thread, self.done = (message, details), threading.get_ident(), True

    def on_cancelled(self):
        self.cancelled, self.thread, self.done = True, threading.get_ident(), True


def _start(task):
    QgsApplication.taskManager().addTask(task)


def test_job_task_success_runs_in_worker_and_publishes_on_main_thread(qgis_app, spec):
    out, seen = Outcome(), {}
    messages = []

    def runner(job, progress, is_cancelled):
        seen["thread"], seen["spec"] = threading.get_ident(), job
        progress(0.5, "half way")
        return JobResult(outputs=dict(job.outputs), warnings=("check units",))

    task = JobTask(
        spec, "TerraMind test", runner=runner, on_finished=out.on_finished, on_failed=out.on_failed
    )
    task.progressMessage.connect(messages.append)
    _start(task)
    assert wait_until(lambda: out.done, timeout_milliseconds=20000)
    assert out.failed is None
    assert out.finished.outputs == spec.outputs and out.finished.warnings == ("check units",)
    assert seen["spec"] is spec
    assert seen["thread"] != threading.get_ident()
    assert out.thread == threading.get_ident()
    assert wait_until(lambda: messages == ["half way"], timeout_milliseconds=5000)


@pytest.mark.parametrize(
    "error, expected",
    [
        (
            InputError("S1GRD input 'vv.tif' has 1 band; S1GRD needs 2 (VV, VH)."),
            "S1GRD input 'vv.tif' has 1 band",
        ),
        (ZeroDivisionError("division by zero"), "Unexpected error: ZeroDivisionError: division by zero"),
    ],
)
def test_job_task_error_reaches_on_failed_with_traceback(qgis_app, spec, error, expected):
    out = Outcome()

    def runner(job, progress, is_cancelled):
        raise error

    task = JobTask(
        spec, "TerraMind test", runner=runner, on_finished=out.on_finished, on_failed=out.on_failed
    )
    _start(task)
    assert wait_until(lambda: out.done, timeout_milliseconds=20000)
    message, details = out.failed
    assert message.startswith(expected)
    assert type(error).__name__ in details and "Traceback" in details
    assert out.thread == threading.get_ident()


def _cancellable_runner(started):
    def runner(job, progress, is_cancelled):
        started.set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if is_cancelled():
                raise JobCancelled("cancelled by the user")
            time.sleep(0.01)
        return JobResult(outputs={})

    return runner


def test_job_task_cancel_calls_on_cancelled_and_is_not_announced_as_failed(qgis_app, spec):
    out, started = Outcome(), threading.Event()
    descriptions = []
    task = JobTask(
        spec,
        "TerraMind test",
        runner=_cancellable_runner(started),
        on_finished=out.on_finished,
        on_failed=out.on_failed,
        on_cancelled=lambda: (descriptions.append(task.description()), out.on_cancelled()),
    )
    statuses = []
    task.statusChanged.connect(statuses.append)
    _start(task)
    assert wait_until(started.is_set, timeout_milliseconds=20000)
    task.cancel()
    assert wait_until(lambda: out.done, timeout_milliseconds=20000)
    assert out.cancelled and out.finished is None and out.failed is None
    # QGIS notifies "Task failed" for a Terminated task; a cancelled run ends Complete and says cancelled
    assert wait_until(lambda: statuses and statuses[-1] == QgsTask.Complete, timeout_milliseconds=5000)
    assert QgsTask.Terminated not in statuses and descriptions == ["TerraMind test (cancelled)"]


def test_job_task_cancel_without_on_cancelled_reports_failure(qgis_app, spec):
    out, started = Outcome(), threading.Event()
    task = JobTask(spec, "TerraMind test", runner=_cancellable_runner(started), on_failed=out.on_failed)
    _start(task)
    assert wait_until(started.is_set, timeout_milliseconds=20000)
    task.cancel()
    assert wait_until(lambda: out.done, timeout_milliseconds=20000)
    assert "cancelled" in out.failed[0]


@pytest.fixture(scope="session")
def weights_dir(tmp_path_factory):
    from helpers.session_weights import seeded_weights_dir

    return seeded_weights_dir(tmp_path_factory)


def test_job_task_default_runner_runs_the_real_pipeline_and_publishes_layers(
    qgis_app, qgis_new_project, weights_dir, tmp_path
):
    """Dock path end to end: JobTask (in-process run_job) -> finished() -> add_result_layers, core styles."""
    from qgis.core import QgsMultiBandColorRenderer, QgsProject

    from terramind_qgis.bridge.adapters.layers import add_result_layers

    spec = JobSpec(
        task=Task.EMBEDDINGS,
        inputs=(InputRaster(path=str(example("S2L2A")), modality="S2L2A"),),
        outputs={"embeddings": str(tmp_path / "emb.tif"), "pca": str(tmp_path / "pca.tif")},
        weights_dir=str(weights_dir),
        offline=True,
    )
    out, added = Outcome(), []

    def publish(result):
        out.on_finished(result)
        added.extend(add_result_layers(result, spec, "TerraMind test run"))

    progress = []
    task = JobTask(spec, "TerraMind embeddings", on_finished=publish, on_failed=out.on_failed)
    task.progressChanged.connect(progress.append)
    _start(task)
    assert wait_until(lambda: out.done, timeout_milliseconds=120000)
    assert out.failed is None, out.failed
    assert out.finished.outputs == spec.outputs and out.finished.styles["pca"].endswith(".qml")
    assert progress and max(progress) == 100.0
    (pca,) = added  # the embeddings file stays on disk, not on the map
    assert pca.source() == spec.outputs["pca"] and isinstance(pca.renderer(), QgsMultiBandColorRenderer)
    assert QgsProject.instance().layerTreeRoot().children()[0].name() == "TerraMind test run"
