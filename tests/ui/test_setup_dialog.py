"""Runtime set-up dialog: options, manual command, checking another Python, saving the worker choice."""

from __future__ import annotations

import shlex
import shutil
import sys

import pytest
from pytest_qgis.utils import wait_until

from terramind_qgis.bridge.adapters import settings
from terramind_qgis.bridge.runtime.deps import DependencyReport, PackageStatus, python_executable
from terramind_qgis.ui.setup_dialog import SetupDialog

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's Python without torch (qgis-env.md)


def _dialog() -> SetupDialog:
    dialog = SetupDialog(None)
    assert wait_until(lambda: dialog._gpu_task is None, timeout_milliseconds=30000)  # nvidia-smi answered
    return dialog


@pytest.mark.skipif(shutil.which("nvidia-smi") is not None, reason="this machine has an NVIDIA driver")
def test_setup_dialog_without_gpu_offers_cpu_build_and_nothing_to_install(qgis_app, clean_settings):
    dialog = _dialog()
    assert dialog.build_combo.count() == 1 and dialog.build_combo.currentData().tag == "cpu"
    assert "No NVIDIA GPU" in dialog.gpu_label.text()
    assert dialog.plan().requirements == () and dialog.run_button.text() == "Apply"
    # nothing is missing: no install is offered, only the reinstall option enables a torch build
    assert not dialog.deps.missing and "nothing is missing" in dialog.private_radio.text()
    assert "Install" not in dialog.private_radio.text() and not dialog.build_combo.isEnabled()
    assert dialog.manual.text() == ""
    dialog.reinstall_check.setChecked(True)
    assert dialog.build_combo.isEnabled()
    dialog.reinstall_check.setChecked(False)
    dialog.isolate_check.setChecked(True)
    dialog.run_button.click()
    assert (
        settings.WORKER_PYTHON.value() == python_executable()
    )  # jobs now run in a worker with QGIS's Python


def test_setup_dialog_shows_manual_pip_command_for_missing_packages(qgis_app, clean_settings, tmp_path):
    dialog = _dialog()
    dialog.target = tmp_path / "py3.11"
    dialog.deps = DependencyReport(sys.executable, "3.11.2", (PackageStatus("torch", False),))
    dialog.update_state()
    args = shlex.split(dialog.manual.text())
    assert args[1:5] == ["-m", "pip", "install", "--target"] and args[5] == str(tmp_path / "py3.11")
    assert args[args.index("--extra-index-url") + 1] == "https://download.pytorch.org/whl/cpu"
    assert args[-1].startswith("torch") and dialog.run_button.text() == "Install"
    assert "Install the missing packages" in dialog.private_radio.text() and dialog.build_combo.isEnabled()


def test_setup_dialog_rejects_a_python_without_torch(qgis_app, clean_settings):
    dialog = _dialog()
    dialog.env_radio.setChecked(True)
    dialog.python_widget.setFilePath(SYSTEM_PYTHON)
    assert not dialog.run_button.isEnabled()  # unchecked Python cannot be used
    dialog.check_button.click()
    assert wait_until(lambda: dialog._probe_task is None, timeout_milliseconds=60000)
    assert "torch" in dialog.env_label.text() and not dialog.run_button.isEnabled()


def test_setup_dialog_uses_a_checked_python_as_worker(qgis_app, clean_settings):
    dialog = _dialog()
    dialog.env_radio.setChecked(True)
    dialog.python_widget.setFilePath(sys.executable)
    dialog.check_button.click()
    assert wait_until(lambda: dialog._probe_task is None, timeout_milliseconds=120000)
    assert "works on cpu" in dialog.env_label.text()
    dialog.run_button.click()
    assert settings.WORKER_PYTHON.value() == sys.executable


def test_setup_dialog_installs_a_missing_package_with_progress_and_log(
    qgis_app, clean_settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(sys, "path", list(sys.path))  # the dialog appends the new folder
    dialog = _dialog()
    dialog.target = tmp_path / "py3.11"
    dialog.deps = DependencyReport(sys.executable, "3.11.2", (PackageStatus("numpy_groupies", False),))
    dialog.update_state()
    assert dialog.run_button.text() == "Install"
    dialog.run_button.click()
    assert not dialog.run_button.isEnabled() and dialog.cancel_button.isEnabled()
    assert wait_until(lambda: dialog.task is None, timeout_milliseconds=240000)
    assert "Installed 1 packages" in dialog.summary.text() and "torch works on: cpu" in dialog.summary.text()
    assert dialog.progress.value() == 100
    assert "Successfully installed numpy-groupies" in dialog.log_view.toPlainText()
    assert (tmp_path / "py3.11" / "numpy_groupies").is_dir() and str(tmp_path / "py3.11") in sys.path
    assert settings.WORKER_PYTHON.value() == ""  # "separate process" was not ticked
