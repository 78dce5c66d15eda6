"""The background speed calibration stores this machine's matmul rates and feeds the estimate."""

from __future__ import annotations

import pytest
from pytest_qgis.utils import wait_until
from qgis.core import QgsApplication

from terramind_qgis.bridge.adapters import settings
from terramind_qgis.bridge.runtime.calibration import calibrated_rates, start_calibration
from terramind_qgis.core.device import choose_precision, resolve_device


@pytest.fixture()
def no_calibration():
    settings.CALIBRATION.remove()
    yield
    settings.CALIBRATION.remove()


def test_calibration_runs_in_background_and_is_stored_once(qgis_app, no_calibration):
    assert calibrated_rates("cpu") is None
    done = []
    task = start_calibration("cpu", on_done=lambda: done.append(True))
    assert task is not None
    assert wait_until(lambda: done, timeout_milliseconds=30_000)
    rates = calibrated_rates("cpu")
    assert rates is not None and rates.gflops["float32"] > 0.1  # a real float32 matmul rate of this CPU
    auto = choose_precision("auto", resolve_device("cpu")).name
    assert rates.auto == auto and set(rates.gflops) == {
        "float32",
        auto,
    }  # bfloat16 measured where auto uses it
    assert rates.rate("auto") == (auto, rates.gflops[auto])
    assert start_calibration("cpu") is None  # stored: not measured again
    assert calibrated_rates("cuda") is None  # a CPU rate says nothing about a GPU
    assert QgsApplication.taskManager().countActiveTasks() == 0


def test_a_value_of_an_older_version_counts_as_not_calibrated(qgis_app, no_calibration):
    settings.CALIBRATION.set_value("cpu:259.0")  # float32 only: says nothing about bfloat16 jobs
    assert calibrated_rates("cpu") is None
    settings.CALIBRATION.set_value('{"device": "cpu", "auto": "float32", "gflops": {"float32": 80.5}}')
    assert calibrated_rates("cpu").rate("bfloat16") == ("float32", 80.5)  # not measured: counted as float32
