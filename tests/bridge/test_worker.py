"""``run_job_in_worker``: the job runs in a child Python; crashes, kills and cancels never reach QGIS."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import rasterio
from helpers.paths import example

from terramind_qgis.bridge.runtime.worker import WorkerError, run_job_in_worker
from terramind_qgis.core.errors import InputError, JobCancelled
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task

JOBS = str(Path(__file__).resolve().parents[1] / "core")  # test_cli_jobs.py: jobs with controllable timing
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's Python without torch (qgis-env.md)


def _spec(tmp_path, src=None) -> JobSpec:
    src = str(src or example("S2L2A"))
    return JobSpec(
        task=Task.LULC, inputs=(InputRaster(src, "S2L2A"),), outputs={"lulc": str(tmp_path / "out.tif")}
    )


def _run(spec, job="copy_job", python=sys.executable, **kwargs):
    return run_job_in_worker(spec, python=python, extra_paths=[JOBS], runner=f"test_cli_jobs:{job}", **kwargs)


def _leftovers(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir())


def test_run_job_in_worker_returns_result_and_forwards_progress(tmp_path):
    seen = []
    result = _run(_spec(tmp_path), progress=lambda f, m: seen.append((f, m)))
    assert result.outputs == {"copy": str(tmp_path / "out.tif")} and result.warnings == ("copied",)
    assert [f for f, _ in seen] == pytest.approx([b / 12 for b in range(1, 13)])  # one event per S2L2A band
    with rasterio.open(example("S2L2A")) as a, rasterio.open(result.outputs["copy"]) as b:
        np.testing.assert_array_equal(a.read(), b.read())


def test_run_job_in_worker_matches_in_process_run(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(JOBS)
    import test_cli_jobs  # the same job, called in this process

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    in_process = test_cli_jobs.copy_job(_spec(tmp_path / "a"))
    in_worker = _run(_spec(tmp_path / "b"))
    with rasterio.open(in_process.outputs["copy"]) as a, rasterio.open(in_worker.outputs["copy"]) as b:
        assert a.profile == b.profile
        np.testing.assert_array_equal(a.read(), b.read())


def test_run_job_in_worker_sigkill_reports_probable_oom_and_removes_partial_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TERRAMIND_TEST_JOB_DELAY", "0.5")

    def kill_on_first_progress(fraction, message):  # what the kernel's OOM killer does
        os.kill(int(message.rsplit(" ", 1)[1]), signal.SIGKILL)

    with pytest.raises(WorkerError, match="SIGKILL.*out of memory"):
        _run(_spec(tmp_path), progress=kill_on_first_progress)
    assert _leftovers(tmp_path) == []  # the .part file the killed job left behind is gone


def test_run_job_in_worker_cancel_raises_job_cancelled_without_partial_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TERRAMIND_TEST_JOB_DELAY", "0.5")
    seen = []
    start = time.monotonic()
    with pytest.raises(JobCancelled):
        _run(_spec(tmp_path), progress=lambda f, m: seen.append(f), is_cancelled=lambda: bool(seen))
    assert time.monotonic() - start < 10  # stopped by SIGTERM at the next band, not by the grace-period kill
    assert len(seen) < 12
    assert _leftovers(tmp_path) == []


def test_run_job_in_worker_kills_a_worker_that_ignores_cancel(tmp_path):
    seen = []
    with pytest.raises(JobCancelled):
        _run(
            _spec(tmp_path),
            job="stubborn_job",
            progress=lambda f, m: seen.append(f),
            is_cancelled=lambda: bool(seen),
            grace_seconds=1.0,
        )
    assert _leftovers(tmp_path) == []  # the killed job could not clean up: the runner did


def test_run_job_in_worker_reports_native_crash(tmp_path):
    with pytest.raises(WorkerError, match="crashed \\(SIGABRT\\)"):
        _run(_spec(tmp_path), job="crash_job")
    assert _leftovers(tmp_path) == []


def test_run_job_in_worker_reports_memory_error_with_advice(tmp_path):
    with pytest.raises(
        WorkerError, match="ran out of memory \\(MemoryError: cannot allocate.*smaller batch size"
    ):
        _run(_spec(tmp_path), job="memory_job")


def test_run_job_in_worker_reports_missing_torch(tmp_path):
    with pytest.raises(WorkerError, match="cannot import 'torch'.*Set Up Runtime"):
        _run(_spec(tmp_path), job="torch_job", python=SYSTEM_PYTHON)


def test_run_job_in_worker_raises_the_jobs_error_class(tmp_path):
    with pytest.raises(InputError, match="nowhere.tif"):
        _run(_spec(tmp_path, src=tmp_path / "nowhere.tif"))


def test_run_job_in_worker_reports_python_that_does_not_exist(tmp_path):
    with pytest.raises(WorkerError, match="Cannot start the TerraMind worker"):
        _run(_spec(tmp_path), python=str(tmp_path / "no-python"))


def test_failed_worker_removes_only_the_files_its_run_created(tmp_path):
    before = ["out.part.tif", "out.part.notes.txt", "out.qml.part", "other.tif"]  # the user's own files
    for name in before:
        (tmp_path / name).write_bytes(b"user")
    with pytest.raises(WorkerError, match="crashed"):
        _run(_spec(tmp_path), job="crash_job")
    assert _leftovers(tmp_path) == sorted(before)
    assert all((tmp_path / name).read_bytes() == b"user" for name in before)


def test_run_job_in_worker_gives_qgis_python_the_private_folder_by_default(tmp_path, monkeypatch):
    private = tmp_path / "terramind_qgis_deps" / "py3.11"
    private.mkdir(parents=True)
    (private / "tm_private_runner.py").write_text(
        "from terramind_qgis.core.jobs import JobResult\n"
        "def run(spec, progress=None, is_cancelled=None, files=None):\n"
        "    return JobResult(outputs={'from': __file__})\n"
    )
    monkeypatch.setattr("terramind_qgis.bridge.runtime.deps.private_site_dir", lambda: private)
    result = run_job_in_worker(_spec(tmp_path), python=sys.executable, runner="tm_private_runner:run")
    assert result.outputs == {"from": str(private / "tm_private_runner.py")}
