"""``python -m terramind_qgis.core``: the JSON-lines worker protocol, cancel by SIGTERM, probe."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import rasterio
from helpers.paths import example

from terramind_qgis.core.cli import REQUIRED_PACKAGES
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task

HERE = str(Path(__file__).resolve().parent)
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's Python: numpy and rasterio, but no torch (qgis-env.md)


def _spec(tmp_path, src=None) -> JobSpec:
    src = str(src or example("S2L2A"))
    return JobSpec(
        task=Task.LULC, inputs=(InputRaster(src, "S2L2A"),), outputs={"lulc": str(tmp_path / "out.tif")}
    )


def _cmd(spec_path, runner="test_cli_jobs:copy_job", python=sys.executable):
    cmd = [python, "-m", "terramind_qgis.core", "run", "--spec", str(spec_path), "--jsonl", "--site", HERE]
    return cmd + (["--runner", runner] if runner else [])


def _write(tmp_path, spec) -> Path:
    path = tmp_path / "job.json"
    path.write_text(spec.to_json(), encoding="utf-8")
    return path


def _events(stdout: str):
    return [json.loads(line) for line in stdout.splitlines()]  # every stdout line must be JSON


def test_cli_run_jsonl_reports_progress_then_result(tmp_path):
    spec = _spec(tmp_path)
    done = subprocess.run(_cmd(_write(tmp_path, spec)), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    events = _events(done.stdout)
    progress = [e for e in events if e["event"] == "progress"]
    assert [e["fraction"] for e in progress] == pytest.approx(
        [b / 12 for b in range(1, 13)]
    )  # 12 S2L2A bands
    assert progress[0]["message"].startswith("band 1/12")
    assert events[-1] == {
        "event": "result",
        "outputs": {"copy": spec.outputs["lulc"]},
        "warnings": ["copied"],
        "styles": {},
    }
    with rasterio.open(example("S2L2A")) as a, rasterio.open(spec.outputs["lulc"]) as b:
        np.testing.assert_array_equal(a.read(), b.read())


def test_cli_run_keeps_stdout_json_when_the_job_prints(tmp_path):
    done = subprocess.run(
        _cmd(_write(tmp_path, _spec(tmp_path)), "test_cli_jobs:noisy_job"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert _events(done.stdout)[-1]["event"] == "result"
    assert "python print on stdout" in done.stderr and "raw write on fd 1" in done.stderr


def test_cli_run_reports_invalid_spec_as_input_error(tmp_path):
    bad = tmp_path / "job.json"
    bad.write_text(
        json.dumps({"task": "lulc", "inputs": [], "outputs": {}, "colour": "red"}), encoding="utf-8"
    )
    done = subprocess.run(_cmd(bad), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    (event,) = _events(done.stdout)
    assert event["event"] == "error" and event["type"] == "InputError"
    assert "colour" in event["message"]


def test_cli_run_reports_unreadable_spec_file(tmp_path):
    done = subprocess.run(_cmd(tmp_path / "missing.json"), capture_output=True, text=True, timeout=60)
    (event,) = _events(done.stdout)
    assert (done.returncode, event["type"]) == (1, "InputError")
    assert "missing.json" in event["message"]


def test_cli_run_reports_job_input_error_type(tmp_path):
    spec = _spec(tmp_path, src=tmp_path / "nowhere.tif")
    done = subprocess.run(_cmd(_write(tmp_path, spec)), capture_output=True, text=True, timeout=60)
    (event,) = _events(done.stdout)
    assert (done.returncode, event["type"]) == (1, "InputError")
    assert "nowhere.tif" in event["message"]


def test_cli_run_sigterm_cancels_and_leaves_no_partial_file(tmp_path):
    spec = _spec(tmp_path)
    env = dict(os.environ, TERRAMIND_TEST_JOB_DELAY="0.5")
    proc = subprocess.Popen(
        _cmd(_write(tmp_path, spec)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    first = json.loads(proc.stdout.readline())
    assert first["event"] == "progress"
    temp = first["message"].split(" temp ")[1].split(" pid ")[0]
    assert os.path.exists(temp)  # the job is mid-write
    proc.send_signal(signal.SIGTERM)
    rest = _events(proc.stdout.read())
    assert proc.wait(timeout=60) == 3  # EXIT_CANCELLED
    assert rest[-1]["event"] == "error" and rest[-1]["type"] == "JobCancelled"
    assert len([e for e in rest if e["event"] == "progress"]) < 11  # stopped before the last band
    assert not os.path.exists(temp) and not (tmp_path / "out.tif").exists()


def test_cli_run_reports_missing_torch_as_missing_dependency(tmp_path):
    done = subprocess.run(
        _cmd(_write(tmp_path, _spec(tmp_path)), "test_cli_jobs:torch_job", SYSTEM_PYTHON),
        capture_output=True,
        text=True,
        timeout=60,
    )
    (event,) = _events(done.stdout)
    assert (done.returncode, event["type"]) == (4, "MissingDependency")
    assert "'torch'" in event["message"] and SYSTEM_PYTHON in event["message"]


def test_cli_probe_lists_packages_and_tests_cpu_device():
    import torch

    done = subprocess.run(
        [sys.executable, "-m", "terramind_qgis.core", "probe", "--devices"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(done.stdout)
    packages = {p["name"]: p for p in report["packages"]}
    assert set(packages) == set(REQUIRED_PACKAGES)  # the list itself: tests/bridge/test_deps.py
    assert packages["numpy"]["version"] == np.__version__ and packages["numpy"]["importable"]
    assert report["devices"]["torch"] == torch.__version__
    cpu = report["devices"]["devices"][0]
    assert cpu["id"] == "cpu" and cpu["ok"] is True and cpu["error"] is None


def test_cli_probe_reports_missing_torch_in_another_python():
    done = subprocess.run(
        [SYSTEM_PYTHON, "-m", "terramind_qgis.core", "probe", "--devices"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(done.stdout)
    packages = {p["name"]: p["importable"] for p in report["packages"]}
    packages.pop("sklearn")  # Debian's python3-sklearn (and python3-threadpoolctl) may be installed
    packages.pop("threadpoolctl")
    assert packages == {
        "torch": False,
        "huggingface_hub": False,
        "numpy": True,
        "rasterio": True,
        "yaml": True,
    }
    assert "torch" in report["devices"]["error"]


def test_cli_site_folder_is_appended_after_the_interpreters_packages(tmp_path):
    shadow = tmp_path / "numpy"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise ImportError('shadow numpy')\n")
    done = subprocess.run(
        [sys.executable, "-m", "terramind_qgis.core", "probe", "--site", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    packages = {p["name"]: p for p in json.loads(done.stdout)["packages"]}
    assert str(tmp_path) not in packages["numpy"]["location"]  # the interpreter's numpy wins


def test_cli_run_without_jsonl_prints_progress_to_stderr_and_result_to_stdout(tmp_path):
    spec = _spec(tmp_path)
    cmd = [c for c in _cmd(_write(tmp_path, spec)) if c != "--jsonl"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    expected = {"outputs": {"copy": spec.outputs["lulc"]}, "warnings": ["copied"], "styles": {}}
    assert json.loads(done.stdout) == expected
    assert "[100.0%] band 12/12" in done.stderr
