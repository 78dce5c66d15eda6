"""Dependency check (cheap, no torch import), private package folder, subprocess probe."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys

import pytest

from terramind_qgis.bridge.runtime.deps import (
    activate_private_site,
    check_dependencies,
    is_this_python,
    package_parent_dir,
    private_site_dir,
    probe_python,
    python_executable,
    worker_env,
)
from terramind_qgis.core.cli import DISTRIBUTIONS

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's Python: numpy and rasterio, no torch (qgis-env.md)


class _Blocker:
    """A meta-path finder that makes the import system refuse some top-level packages."""

    def __init__(self, names):
        self.names = set(names)

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
        return None


@pytest.fixture
def hide(monkeypatch):
    def _hide(*names):
        monkeypatch.setattr(sys, "meta_path", [_Blocker(names)] + sys.meta_path)
        for name in names:
            monkeypatch.delitem(sys.modules, name, raising=False)

    return _hide


def test_check_dependencies_reports_installed_versions():
    report = check_dependencies()
    assert report.ok and report.missing == ()
    assert [p.name for p in report.packages] == [
        "torch",
        "huggingface_hub",
        "numpy",
        "rasterio",
        "sklearn",
        "yaml",
        "threadpoolctl",
    ]
    for p in report.packages:
        assert p.version == importlib.metadata.version(DISTRIBUTIONS.get(p.name, p.name))
        assert os.path.exists(p.location)  # a package folder or a single module (threadpoolctl.py)
    assert report.python == sys.executable


def test_check_dependencies_reports_hidden_torch_as_missing(hide):
    hide("torch", "huggingface_hub")
    report = check_dependencies()
    assert report.missing == ("torch", "huggingface_hub")
    assert report.version_of("torch") is None and report.version_of("numpy") is not None
    assert not report.ok
    assert "torch, huggingface_hub" in report.message() and "Set Up Runtime" in report.message()


def test_check_dependencies_does_not_import_torch():
    code = (
        "import sys; from terramind_qgis.bridge.runtime.deps import check_dependencies; "
        "r = check_dependencies(); "
        "print(r.ok, 'torch' in sys.modules, 'numpy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["True", "False", "False"], done.stderr


def test_private_site_dir_is_keyed_by_profile_and_python_version(tmp_path):
    path = private_site_dir(str(tmp_path), version=(3, 9, 18))
    assert path == tmp_path / "python" / "terramind_qgis_deps" / "py3.9"


def test_private_site_dir_defaults_to_the_qgis_profile(qgis_app):
    from qgis.core import QgsApplication

    expected = f"py{sys.version_info[0]}.{sys.version_info[1]}"
    path = private_site_dir()
    assert path.name == expected
    assert str(path).startswith(QgsApplication.qgisSettingsDirPath().rstrip("/"))


def test_activate_private_site_appends_folder_and_makes_its_packages_importable(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))
    pkg = tmp_path / "tm_private_probe_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("VALUE = 7\n")
    assert activate_private_site(tmp_path) == str(tmp_path)
    assert sys.path[-1] == str(tmp_path)  # after QGIS's own packages
    assert activate_private_site(tmp_path) == str(tmp_path) and sys.path.count(str(tmp_path)) == 1
    import tm_private_probe_pkg

    assert tm_private_probe_pkg.VALUE == 7
    monkeypatch.delitem(sys.modules, "tm_private_probe_pkg")


def test_activate_private_site_ignores_missing_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert activate_private_site(tmp_path / "absent") is None
    assert str(tmp_path / "absent") not in sys.path


def test_probe_python_reports_devices_of_this_installation():
    import torch

    report, devices = probe_python(python_executable())
    assert report.ok
    assert devices.torch_version == torch.__version__ and devices.error is None
    assert devices.devices[0].id == "cpu" and devices.devices[0].ok


def test_probe_python_reports_missing_torch_in_another_python():
    report, devices = probe_python(SYSTEM_PYTHON)
    assert report.missing[:2] == ("torch", "huggingface_hub")
    # Debian's python3-sklearn (which brings python3-threadpoolctl) may be installed
    assert report.missing[2:] in ((), ("sklearn",), ("sklearn", "threadpoolctl"))
    assert report.python == SYSTEM_PYTHON
    assert "torch" in devices.error


def test_probe_python_raises_for_a_path_that_is_not_python(tmp_path):
    with pytest.raises(OSError):
        probe_python(str(tmp_path / "nothing"), devices=False)


def test_worker_env_imports_the_plugin_package_from_any_folder(tmp_path):
    code = "import terramind_qgis.core, json; print(json.dumps(terramind_qgis.core.__file__))"
    env = worker_env(sys.executable, base={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert json.loads(done.stdout).startswith(package_parent_dir()), done.stderr


def test_worker_env_drops_qgis_variables_for_another_installation(tmp_path):
    conda_python = str(tmp_path / "miniconda3" / "envs" / "tm" / "bin" / "python")
    base = {"PROJ_LIB": "/usr/share/proj", "GDAL_DATA": "/usr/share/gdal", "PYTHONHOME": "/x", "PATH": "/bin"}
    assert is_this_python(sys.executable) and not is_this_python(conda_python)
    own, other = worker_env(sys.executable, base), worker_env(conda_python, base)
    assert own["PROJ_LIB"] == "/usr/share/proj" and "PYTHONHOME" not in own
    assert "PROJ_LIB" not in other and "GDAL_DATA" not in other and other["PATH"] == "/bin"
    assert own["PYTHONPATH"] == other["PYTHONPATH"] == package_parent_dir()
