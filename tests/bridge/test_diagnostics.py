"""Diagnostics report: versions, packages, devices, settings; the home folder never appears."""

from __future__ import annotations

import platform

from terramind_qgis.bridge.runtime.deps import DependencyReport, Device, DeviceReport, PackageStatus
from terramind_qgis.bridge.runtime.diagnostics import (
    build_report,
    diagnostics_report,
    plugin_version,
    redact_home,
)

HOME = "/home/ana.silva"


def _deps(python=f"{HOME}/miniconda3/envs/tm/bin/python") -> DependencyReport:
    return DependencyReport(
        python,
        "3.11.9",
        (
            PackageStatus(
                "torch", True, "2.13.0+cu128", f"{HOME}/miniconda3/envs/tm/lib/python3.11/site-packages/torch"
            ),
            PackageStatus("huggingface_hub", False),
        ),
    )


def test_redact_home_replaces_every_spelling_of_the_home_folder():
    text = f"{HOME}/a and {HOME}\\b and C:\\Users\\ana/x"
    assert redact_home(text, HOME) == "~/a and ~\\b and C:\\Users\\ana/x"
    assert redact_home("C:\\Users\\ana\\AppData", "C:\\Users\\ana") == "~\\AppData"


def test_build_report_lists_versions_packages_devices_and_settings():
    devices = DeviceReport(
        "2.13.0+cu128",
        "12.8",
        (
            Device("cpu", "x86_64", ok=True),
            Device("cuda:0", "NVIDIA GeForce RTX 4090", 25_757_220_864, (8, 9), True),
            Device(
                "cuda:1",
                "NVIDIA GeForce GT 710",
                2_147_483_648,
                (3, 5),
                False,
                "no kernel image is available",
            ),
        ),
    )
    report = build_report(
        {"QGIS": "3.34.12-Prizren", "GDAL": "3.9.2"},
        _deps(),
        devices,
        {"runtime/worker_python": f"{HOME}/miniconda3/envs/tm/bin/python", "run/batch_size": 4},
        f"{HOME}/.local/share/QGIS/QGIS3/profiles/default/python/terramind_qgis_deps/py3.11",
        home=HOME,
    )
    assert HOME not in report
    assert "| QGIS | 3.34.12-Prizren |" in report and "| GDAL | 3.9.2 |" in report
    assert "| torch | 2.13.0+cu128 | ~/miniconda3/envs/tm/lib/python3.11/site-packages/torch |" in report
    assert "| huggingface_hub | **missing** | |" in report
    assert "| cuda:0 | NVIDIA GeForce RTX 4090 | 24.0 GiB | 8.9 | ok |" in report  # 25757220864 B / 2**30
    assert "failed: no kernel image is available" in report
    assert "| runtime/worker_python | ~/miniconda3/envs/tm/bin/python |" in report
    assert "terramind_qgis_deps/py3.11` (not created)" in report


def test_build_report_explains_missing_device_probe_and_broken_torch():
    assert "Not probed" in build_report({}, _deps(), None, {}, None, home=HOME)
    broken = build_report(
        {}, _deps(), DeviceReport(error="OSError: libcudnn.so.9 missing"), {}, None, home=HOME
    )
    assert "torch does not work: `OSError: libcudnn.so.9 missing`" in broken


def test_build_report_has_a_worker_section_when_jobs_run_in_another_python():
    report = build_report({}, _deps("/usr/bin/python3"), None, {}, None, worker=_deps(), home=HOME)
    assert "## Worker Python packages (~/miniconda3/envs/tm/bin/python, Python 3.11.9)" in report


def test_diagnostics_report_in_qgis_names_real_versions(qgis_app):
    from osgeo import gdal
    from qgis.core import Qgis

    report = diagnostics_report()
    assert f"| QGIS | {Qgis.QGIS_VERSION} |" in report
    assert f"| GDAL | {gdal.__version__} |" in report
    assert platform.python_version() in report
    assert f"| Plugin | {plugin_version()} |" in report and plugin_version() != "unknown"
    assert "| numpy | " in report and "run/batch_size" in report
