"""The real pipeline in the worker process: LULC from a real S2 L2A scene with seeded tiny weights.

Same job in QGIS's process and in the worker gives identical files; a SIGKILL (what the kernel's
out-of-memory killer sends) or a cancel mid-run leaves no partial file.
"""

from __future__ import annotations

import os
import signal
import sys

import numpy as np
import pytest
import rasterio
from helpers.paths import example
from helpers.session_weights import seeded_weights_dir

from terramind_qgis.bridge.runtime.worker import WorkerError, run_job_in_worker
from terramind_qgis.core.errors import JobCancelled
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import run_job

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return str(seeded_weights_dir(tmp_path_factory))  # shared by the session's end-to-end tests


def _spec(folder, weights) -> JobSpec:
    # 128-px tiles with 32 px overlap: the 224-px scene takes 2 x 2 tiles, so a run has a middle.
    return JobSpec(
        task=Task.LULC,
        inputs=(InputRaster(str(example("S2L2A")), "S2L2A"),),
        outputs={"lulc": str(folder / "lulc.tif")},
        weights_dir=weights,
        offline=True,
        device="cpu",
        tile_size=128,
        overlap=32,
        batch_size=1,
        timesteps=2,
    )


def _read(path):
    with rasterio.open(path) as src:
        tags = {k: v for k, v in src.tags().items() if k != "TERRAMIND_CREATED"}  # creation time differs
        return src.read(), src.profile, tags


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_worker_and_in_process_runs_write_identical_lulc(tmp_path, weights):
    (tmp_path / "qgis").mkdir()
    (tmp_path / "worker").mkdir()
    here = run_job(_spec(tmp_path / "qgis", weights))
    seen = []
    there = run_job_in_worker(
        _spec(tmp_path / "worker", weights), lambda f, m: seen.append(f), python=sys.executable
    )
    assert there.warnings == here.warnings
    assert set(there.styles) == set(here.styles) == {"lulc"}
    a, b = _read(here.outputs["lulc"]), _read(there.outputs["lulc"])
    np.testing.assert_array_equal(a[0], b[0])
    assert a[1] == b[1] and a[2] == b[2]
    assert 0 < a[0][a[0] != 255].size and set(np.unique(a[0])) <= set(range(10)) | {
        255
    }  # classes 0-9, nodata 255
    assert seen[-1] == 1.0 and seen == sorted(seen)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the worker's pid in /proc")
def test_worker_killed_mid_run_reports_probable_oom_and_leaves_no_file(tmp_path, weights):
    def kill_at_second_tile(fraction, message):  # what the kernel's out-of-memory killer does
        if message.startswith("Tile 2"):
            assert list(tmp_path.glob("lulc.terramind-*.part.tif"))  # the output is half written
            os.kill(worker_pid(), signal.SIGKILL)

    def worker_pid():
        children = [int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(int(p)) == os.getpid()]
        (pid,) = [p for p in children if "terramind_qgis.core" in _cmdline(p)]
        return pid

    with pytest.raises(WorkerError, match="SIGKILL.*out of memory"):
        run_job_in_worker(_spec(tmp_path, weights), kill_at_second_tile, python=sys.executable)
    assert _files(tmp_path) == []


def test_worker_cancel_mid_run_raises_job_cancelled_and_leaves_no_file(tmp_path, weights):
    seen = []
    with pytest.raises(JobCancelled):
        run_job_in_worker(
            _spec(tmp_path, weights),
            lambda f, m: seen.append(m),
            python=sys.executable,
            is_cancelled=lambda: any(m.startswith("Tile 2") for m in seen),
        )
    assert not any(m.startswith("Tile 4") for m in seen)
    assert _files(tmp_path) == []


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode()
    except OSError:
        return ""
