"""ui/settings_dialog.py: stored values shown, OK stores, Cancel discards, Restore Defaults, worker check."""

from __future__ import annotations

import pytest
from pytest_qgis.utils import wait_until
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox

from terramind_qgis.bridge.adapters import settings
from terramind_qgis.ui.settings_dialog import SettingsDialog

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's Python without torch (qgis-env.md)


@pytest.fixture()
def stored(clean_settings, tmp_path):
    """Non-default values in every key the dialog edits."""
    values = {
        settings.MODEL_SIZE: "base",
        settings.DEVICE: "cpu",
        settings.PRECISION: "bfloat16",
        settings.BATCH_SIZE: 7,
        settings.OVERLAP: 48,
        settings.TIMESTEPS: 25,
        settings.SEED: 1234,
        settings.WEIGHTS_DIR: str(tmp_path / "weights"),
        settings.CACHE_DIR: str(tmp_path / "hf-cache"),
        settings.OFFLINE: True,
        settings.WORKER_PYTHON: SYSTEM_PYTHON,
    }
    for key, value in values.items():
        key.set_value(value)
    return values


def _shown(dialog: SettingsDialog) -> dict:
    return {
        settings.MODEL_SIZE: dialog.size_combo.currentData(),
        settings.DEVICE: dialog.devices.device(),
        settings.PRECISION: dialog.devices.precision(),
        settings.BATCH_SIZE: dialog.advanced.batch_size.value(),
        settings.OVERLAP: dialog.advanced.overlap.value(),
        settings.TIMESTEPS: dialog.advanced.timesteps.value(),
        settings.SEED: dialog.advanced.seed.value(),
        settings.WEIGHTS_DIR: dialog.weights_widget.filePath(),
        settings.CACHE_DIR: dialog.cache_widget.filePath(),
        settings.OFFLINE: dialog.offline_check.isChecked(),
        settings.WORKER_PYTHON: dialog.worker_python(),
    }


def _edit(dialog: SettingsDialog, tmp_path) -> None:
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("small"))
    auto = dialog.devices.device_combo.findData("auto")
    dialog.devices.device_combo.setCurrentIndex(auto)
    dialog.devices.device_combo.activated.emit(auto)  # what a user's pick sends
    dialog.devices.set_precision("float32")
    dialog.advanced.batch_size.setValue(3)
    dialog.advanced.overlap.setValue(16)
    dialog.advanced.timesteps.setValue(50)
    dialog.advanced.seed.setValue(99)
    dialog.weights_widget.setFilePath(str(tmp_path / "other-weights"))
    dialog.offline_check.setChecked(False)
    dialog.worker_check.setChecked(False)


def test_settings_dialog_shows_the_stored_values(qgis_app, stored):
    dialog = SettingsDialog()
    assert _shown(dialog) == stored
    assert dialog.python_widget.isEnabled() and dialog.check_button.isEnabled()


def test_settings_dialog_ok_stores_the_edited_values(qgis_app, stored, tmp_path):
    dialog = SettingsDialog()
    _edit(dialog, tmp_path)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert {key: key.value() for key in stored} == {
        **stored,
        settings.MODEL_SIZE: "small",
        settings.DEVICE: "auto",
        settings.PRECISION: "float32",
        settings.BATCH_SIZE: 3,
        settings.OVERLAP: 16,
        settings.TIMESTEPS: 50,
        settings.SEED: 99,
        settings.WEIGHTS_DIR: str(tmp_path / "other-weights"),
        settings.OFFLINE: False,
        settings.WORKER_PYTHON: "",  # unticked: models run in QGIS's process
    }


def test_settings_dialog_cancel_stores_nothing(qgis_app, stored, tmp_path):
    dialog = SettingsDialog()
    _edit(dialog, tmp_path)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert {key: key.value() for key in stored} == stored


def test_settings_dialog_restore_defaults_resets_widgets_and_stores_only_on_ok(qgis_app, stored):
    dialog = SettingsDialog()
    dialog.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
    defaults = {key: key.default for key in stored}
    assert _shown(dialog) == defaults
    assert not dialog.python_widget.isEnabled() and not dialog.check_button.isEnabled()
    assert {key: key.value() for key in stored} == stored  # nothing stored yet
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert {key: key.value() for key in stored} == defaults


def test_settings_dialog_keeps_a_stored_gpu_that_is_not_listed(qgis_app, clean_settings):
    settings.DEVICE.set_value("cuda:3")  # no such GPU here: the combo cannot show it
    dialog = SettingsDialog()
    dialog.advanced.seed.setValue(5)
    dialog.accept()
    assert settings.DEVICE.value() == "cuda:3" and settings.SEED.value() == 5


def test_settings_dialog_worker_check_rejects_a_missing_file(qgis_app, clean_settings, tmp_path):
    dialog = SettingsDialog()
    dialog.show()
    dialog.worker_check.setChecked(True)
    missing = str(tmp_path / "no-env" / "bin" / "python3")
    dialog.python_widget.setFilePath(missing)
    assert dialog.check_python() is None  # refused at once, no background task
    assert dialog.runtime_label.text().startswith(f"There is no file at {missing}.")
    dialog.accept()  # OK refuses too, and stores nothing
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert settings.WORKER_PYTHON.value() == ""
    assert "There is no file at" in dialog.runtime_label.text()
    dialog.reject()


def test_settings_dialog_worker_check_reports_a_python_without_torch(qgis_app, clean_settings):
    dialog = SettingsDialog()
    dialog.worker_check.setChecked(True)
    dialog.python_widget.setFilePath(SYSTEM_PYTHON)
    assert dialog.check_python() is not None
    assert not dialog.check_button.isEnabled()  # one check at a time
    assert wait_until(lambda: dialog._probe_task is None, timeout_milliseconds=60000)
    assert "torch" in dialog.runtime_label.text() and dialog.check_button.isEnabled()


def test_settings_dialog_worker_check_reports_a_file_that_is_not_python(qgis_app, clean_settings, tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("not an interpreter\n")
    fake.chmod(0o755)
    dialog = SettingsDialog()
    dialog.worker_check.setChecked(True)
    dialog.python_widget.setFilePath(str(fake))
    dialog.check_python()
    assert wait_until(lambda: dialog._probe_task is None, timeout_milliseconds=60000)
    assert dialog.runtime_label.text().startswith(f"{fake} is not a usable Python:")


def test_settings_dialog_ticking_the_worker_offers_qgis_python(qgis_app, clean_settings):
    from terramind_qgis.bridge.runtime.deps import python_executable

    dialog = SettingsDialog()
    assert dialog.worker_python() == "" and not dialog.python_widget.isEnabled()
    dialog.worker_check.setChecked(True)
    assert dialog.worker_python() == python_executable()
    dialog.accept()
    assert settings.WORKER_PYTHON.value() == python_executable()


def test_settings_dialog_worker_check_reports_torch_and_devices_of_a_working_python(qgis_app, clean_settings):
    import sys

    dialog = SettingsDialog()
    dialog.worker_check.setChecked(True)
    dialog.python_widget.setFilePath(sys.executable)  # the test venv: torch (CPU) installed
    dialog.check_python()
    assert wait_until(lambda: dialog._probe_task is None, timeout_milliseconds=120000)
    assert dialog.runtime_label.text().endswith("works on cpu.")


def test_settings_dialog_shows_the_worker_python_chosen_in_set_up_runtime(
    qgis_app, clean_settings, monkeypatch
):
    from terramind_qgis.ui.setup_dialog import SetupDialog

    opened = []

    def choose_system_python(setup):  # what "Use this Python" in the set-up dialog stores
        opened.append(setup)
        assert wait_until(lambda: setup._gpu_task is None, timeout_milliseconds=30000)
        settings.WORKER_PYTHON.set_value(SYSTEM_PYTHON)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SetupDialog, "exec", choose_system_python)
    dialog = SettingsDialog()
    assert dialog.worker_python() == ""
    dialog.setup_button.click()
    assert len(opened) == 1 and opened[0].parent() is dialog
    assert dialog.worker_check.isChecked() and dialog.worker_python() == SYSTEM_PYTHON
