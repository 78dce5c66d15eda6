"""Private-folder install with pip: constraints that pin QGIS's packages, failure classes, the task.

The pip runs are real and reach PyPI (through this machine's pip configuration).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from pytest_qgis.utils import wait_until

from terramind_qgis.bridge.runtime.deps import DependencyReport, PackageStatus, check_dependencies
from terramind_qgis.bridge.runtime.install_task import InstallTask, pip_env
from terramind_qgis.bridge.runtime.installer import (
    InstallError,
    InstallPlan,
    classify_pip_failure,
    plan_install,
    qgis_constraints,
    read_requirements,
    requirements_for,
    run_install,
)

SMALL = "numpy-groupies==0.16.0"  # a small pure-Python package on PyPI that depends on numpy


def _plan(tmp_path, requirements, constraints=None) -> InstallPlan:
    constraints = tuple(qgis_constraints()) if constraints is None else constraints
    return InstallPlan(
        sys.executable, str(tmp_path / "deps" / "py3.11"), tuple(requirements), None, constraints
    )


def _dry_run(plan: InstallPlan, tmp_path, with_constraints: bool = True):
    plan.constraints_path.parent.mkdir(parents=True, exist_ok=True)
    plan.constraints_path.write_text("\n".join(plan.constraints if with_constraints else ()) + "\n")
    report = tmp_path / "report.json"
    done = subprocess.run(plan.resolve_command(str(report)), capture_output=True, text=True, timeout=300)
    installs = json.loads(report.read_text())["install"] if done.returncode == 0 else []
    return done, {i["metadata"]["name"].lower(): i["metadata"]["version"] for i in installs}


def test_qgis_constraints_pin_the_installed_numpy_and_torch():
    import torch

    pins = qgis_constraints()
    assert f"numpy=={np.__version__}" in pins  # 1.24.2 from Debian (qgis-env.md)
    assert f"torch=={torch.__version__}" in pins
    assert len(pins) == len({p.split("==")[0] for p in pins})  # one pin per distribution


def test_qgis_constraints_skip_the_private_folder(tmp_path, monkeypatch):
    dist = tmp_path / "tm_private_only-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tm-private-only\nVersion: 1.0\n")
    monkeypatch.setattr(sys, "path", sys.path + [str(tmp_path)])
    assert "tm-private-only==1.0" in qgis_constraints()
    assert "tm-private-only==1.0" not in qgis_constraints(exclude=[str(tmp_path)])


def test_constraints_keep_numpy_where_pip_would_otherwise_install_numpy_2(tmp_path):
    plan = _plan(tmp_path, ["opencv-python-headless"])
    done, unconstrained = _dry_run(plan, tmp_path, with_constraints=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert unconstrained["numpy"].startswith("2.")  # the control: latest OpenCV pulls numpy 2
    done, constrained = _dry_run(plan, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "opencv-python-headless" in constrained and "numpy" not in constrained  # QGIS's numpy is kept


def test_run_install_refuses_a_package_that_needs_numpy_2(tmp_path):
    plan = _plan(tmp_path, ["opencv-python-headless==4.12.0.88"])  # requires numpy>=2 on Python 3.9+
    with pytest.raises(InstallError) as info:
        run_install(plan)
    assert info.value.kind == "conflict" and "never upgraded" in str(info.value)
    assert "ResolutionImpossible" in info.value.output
    assert not os.path.exists(plan.target) and not os.path.exists(plan.target + ".staging")


def test_run_install_puts_only_new_packages_in_the_private_folder(tmp_path):
    plan = _plan(tmp_path, [SMALL])
    lines, steps = [], []
    result = run_install(plan, progress=lambda f, m: steps.append(f), on_line=lines.append)
    assert result.installed == (SMALL,)
    names = sorted(os.listdir(plan.target))
    assert "numpy_groupies" in names and not any(n.startswith("numpy-") or n == "numpy" for n in names)
    assert f"numpy=={np.__version__}" in plan.constraints_path.read_text().splitlines()
    assert result.devices.devices[0].id == "cpu" and result.devices.devices[0].ok  # verified in a subprocess
    assert steps == sorted(steps) and steps[-1] == 0.9
    assert any(line.startswith("Collecting numpy-groupies") for line in lines)
    code = (
        f"import sys; sys.path.append({plan.target!r}); import numpy_groupies, numpy; print(numpy.__file__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and plan.target not in done.stdout  # numpy still comes from QGIS


def test_run_install_without_dry_run_report_installs_in_one_step_keeping_numpy(tmp_path, monkeypatch):
    def old_pip_resolve(self, report_path):  # what pip < 22.2 answers: "no such option: --report"
        return [self.python, "-m", "pip", "install", "--report-not-supported", report_path]

    monkeypatch.setattr(InstallPlan, "resolve_command", old_pip_resolve)
    plan = _plan(tmp_path, [SMALL])
    result = run_install(plan)
    assert SMALL in result.installed
    # --target copies the dependencies too: the constraints kept numpy at QGIS's version.
    assert f"numpy=={np.__version__}" in result.installed
    assert not any(r.startswith("numpy==2") for r in result.installed)


def test_run_install_reports_unknown_version_as_no_match(tmp_path):
    with pytest.raises(InstallError) as info:
        run_install(_plan(tmp_path, ["numpy-groupies==0.0.0.1"]))
    assert info.value.kind == "no_match"


def test_run_install_reports_unreachable_index_as_network_error(tmp_path, monkeypatch):
    for key in [k for k in os.environ if k.startswith("PIP_")]:
        monkeypatch.delenv(key)
    env = dict(
        os.environ,
        PIP_CONFIG_FILE=os.devnull,
        PIP_INDEX_URL="http://127.0.0.1:9/simple",
        PIP_RETRIES="1",
        PIP_TIMEOUT="3",
    )
    with pytest.raises(InstallError) as info:
        run_install(_plan(tmp_path, [SMALL]), env=env)
    assert info.value.kind == "network" and "proxy" in str(info.value)


def test_run_install_reports_unwritable_folder_as_permission_error():
    plan = InstallPlan(sys.executable, "/sys/terramind_qgis_deps/py3.11", (SMALL,), None, ())  # read-only fs
    with pytest.raises(InstallError) as info:
        run_install(plan)
    assert info.value.kind == "permission"


@pytest.mark.parametrize(
    "output, kind",
    [
        (
            "ERROR: Could not install packages due to an OSError: [Errno 13] Permission denied: "
            "'/usr/lib/python3/dist-packages/torch'",
            "permission",
        ),
        (
            "ERROR: Could not install packages due to an OSError: [WinError 5] Access is denied: "
            "'C:\\\\Program Files\\\\QGIS 3.34\\\\apps\\\\Python312\\\\Lib\\\\site-packages\\\\numpy'",
            "permission",
        ),
        (
            "ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device",
            "disk_full",
        ),
        (
            "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after "
            "connection broken by 'SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] "
            "certificate verify failed: self signed certificate in certificate chain (_ssl.c:1006)'))': "
            "/simple/torch/",
            "ssl",
        ),
        ("/usr/bin/python3: No module named pip", "no_pip"),
        ("ERROR: Exception:\nTraceback (most recent call last):\nKeyError: 'x'", "unknown"),
    ],
)
def test_classify_pip_failure_recognises_recorded_outputs(output, kind):
    assert classify_pip_failure(output)[0] == kind


def test_plan_install_pins_from_requirements_and_never_installs_numpy(tmp_path):
    report = DependencyReport(
        "/qgis/python3",
        "3.11.2",
        (
            PackageStatus("torch", False),
            PackageStatus("huggingface_hub", False),
            PackageStatus("numpy", False),
            PackageStatus("rasterio", True, "1.3.5", "/usr/lib/python3/dist-packages/rasterio"),
        ),
    )
    plan = plan_install(report, tmp_path / "py3.11", "https://download.pytorch.org/whl/cpu")
    pins = read_requirements()
    assert plan.requirements == (pins["torch"], pins["huggingface-hub"])  # the plugin's tested pins
    assert "--extra-index-url" in plan.resolve_command("r.json") and plan.python == "/qgis/python3"
    assert requirements_for(["numpy", "rasterio"], pins={}) == ("rasterio",)
    assert requirements_for(["sklearn"], pins={"scikit-learn": "scikit-learn==1.9.1"}) == (
        "scikit-learn==1.9.1",
    )
    assert requirements_for(["yaml"], pins=read_requirements()) == ("PyYAML>=5.4",)


def test_plan_install_reinstall_includes_packages_of_the_private_folder(tmp_path):
    target = tmp_path / "py3.11"
    report = DependencyReport(
        sys.executable,
        "3.11.2",
        (
            PackageStatus("torch", True, "2.13.0+cpu", str(target / "torch")),
            PackageStatus("numpy", True, "1.24.2", "/usr/lib/python3/dist-packages/numpy"),
        ),
    )
    assert plan_install(report, target, None).requirements == ()
    assert [r.split("==")[0] for r in plan_install(report, target, None, reinstall=True).requirements] == [
        "torch"
    ]


def test_manual_command_is_the_same_pip_call_quoted_for_a_shell(tmp_path):
    plan = InstallPlan(
        "/opt/QGIS 3.34/bin/python3",
        str(tmp_path / "my deps" / "py3.11"),
        ("torch==2.13.0",),
        "https://download.pytorch.org/whl/cpu",
        (),
    )
    args = shlex.split(plan.manual_command(windows=False))
    assert args[:5] == ["/opt/QGIS 3.34/bin/python3", "-m", "pip", "install", "--target"]
    assert args[5] == plan.target and args[-1] == "torch==2.13.0"
    assert args[args.index("--constraint") + 1] == str(plan.constraints_path)
    assert '"/opt/QGIS 3.34/bin/python3"' in plan.manual_command(windows=True)


def test_install_task_installs_in_background_and_reports_success(qgis_app, tmp_path):
    from qgis.core import QgsApplication

    task = InstallTask(_plan(tmp_path, [SMALL]), "TerraMind: install dependencies")
    outcome = {}
    task.succeeded.connect(lambda result: outcome.setdefault("ok", result))
    task.failed.connect(lambda message, kind, output: outcome.setdefault("failed", (message, kind)))
    QgsApplication.taskManager().addTask(task)
    assert wait_until(lambda: outcome, timeout_milliseconds=240000)
    assert outcome["ok"].installed == (SMALL,)


def test_install_task_cancel_leaves_nothing_behind(qgis_app, tmp_path):
    from qgis.core import QgsApplication

    plan = _plan(tmp_path, [SMALL])
    task = InstallTask(plan, "TerraMind: install dependencies")
    outcome = {}
    task.failed.connect(lambda message, kind, output: outcome.setdefault("failed", kind))
    task.line.connect(lambda line: task.cancel())  # cancel at pip's first output line
    QgsApplication.taskManager().addTask(task)
    assert wait_until(lambda: outcome, timeout_milliseconds=120000)
    assert outcome["failed"] == "cancelled"
    assert not os.path.exists(plan.target) and not os.path.exists(plan.target + ".staging")


def test_check_dependencies_report_feeds_the_plan(tmp_path):
    plan = plan_install(check_dependencies(), tmp_path / "py3.11", None)
    assert plan.requirements == ()  # everything is installed in this environment: nothing to do


def test_pip_env_uses_qgis_http_proxy_unless_the_environment_has_one(qgis_app):
    from qgis.core import QgsSettings

    s = QgsSettings("terramind-tests", "proxy")
    s.clear()
    assert "HTTPS_PROXY" not in pip_env(s, base={})  # no proxy configured in QGIS
    for key, value in {
        "proxyEnabled": True,
        "proxyType": "HttpProxy",
        "proxyHost": "proxy.example.org",
        "proxyPort": 3128,
        "proxyUser": "ana",
        "proxyPassword": "p@ss:w",
    }.items():
        s.setValue(f"proxy/{key}", value)
    env = pip_env(s, base={"PATH": "/bin"})
    assert env["HTTPS_PROXY"] == env["HTTP_PROXY"] == "http://ana:p%40ss%3Aw@proxy.example.org:3128"
    assert pip_env(s, base={"https_proxy": "http://corp:8080"}) == {"https_proxy": "http://corp:8080"}
    s.setValue("proxy/proxyType", "Socks5Proxy")
    assert "HTTPS_PROXY" not in pip_env(s, base={})
    s.clear()


def test_run_install_refuses_to_start_without_space_for_torch(tmp_path, monkeypatch):
    import shutil as shutil_module
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil_module, "disk_usage", lambda path: usage(10 * 2**30, 9.5 * 2**30, 2**29))
    with pytest.raises(InstallError) as info:
        run_install(_plan(tmp_path, ["torch==2.13.0"]))
    assert info.value.kind == "disk_full" and "0.5 GB are free" in str(info.value)


def test_an_unreachable_torch_index_is_dropped_with_a_note(tmp_path):
    """pip would retry an unreachable extra index for every package (minutes on QGIS 3.40 without it)."""
    from terramind_qgis.bridge.runtime.installer import _without_unreachable_index

    lines = []
    plan = replace(_plan(tmp_path, [SMALL]), index_url="http://127.0.0.1:9/whl/cpu")  # discard port: refused
    kept = _without_unreachable_index(plan, lines.append, timeout=5)
    assert kept.index_url is None and kept.requirements == plan.requirements
    assert len(lines) == 1 and "http://127.0.0.1:9/whl/cpu cannot be reached" in lines[0]
    assert _without_unreachable_index(_plan(tmp_path, [SMALL]), lines.append).index_url is None
    assert len(lines) == 1
