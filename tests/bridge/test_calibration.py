"""The background speed calibration stores this machine's matmul rate and feeds the estimate."""

from __future__ import annotations

import pytest
from pytest_qgis.utils import wait_until
from qgis.core import QgsApplication

from terramind_qgis.bridge.adapters import settings
from terramind_qgis.bridge.runtime.calibration import calibrated_gflops, start_calibration


@pytest.fixture()
def no_calibration():
    settings.CALIBRATION.remove()
    yield
    settings.CALIBRATION.remove()


def test_calibration_runs_in_background_and_is_stored_once(qgis_app, no_calibration):
    assert calibrated_gflops("cpu") is None
    done = []
    task = start_calibration("cpu", on_done=lambda: done.append(True))
    assert task is not None
    assert wait_until(lambda: done, timeout_milliseconds=30_000)
    rate = calibrated_gflops("cpu")
    assert rate is not None and rate > 0.1  # a real float32 matmul rate of this CPU
    assert settings.CALIBRATION.value().startswith("cpu:")
    assert start_calibration("cpu") is None  # stored: not measured again
    assert calibrated_gflops("cuda") is None  # a CPU rate says nothing about a GPU
    assert QgsApplication.taskManager().countActiveTasks() == 0
