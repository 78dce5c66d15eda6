"""QGIS on a Dask cluster: the settings option, its connection check, and the runner the Processing
algorithms and the dock use (bridge/runtime/cluster.py, ui/widgets/cluster_options.py).

A real ``LocalCluster`` of 2 worker processes serves as the cluster; the job runs on the real sample scene
with the seeded tiny checkpoint.
"""

from __future__ import annotations

import os
import socket
import sys
import time

import numpy as np
import pytest
import rasterio
from helpers.paths import ROOT
from pytest_qgis.utils import wait_until
from qgis.core import QgsProcessingException, QgsProcessingFeedback
from qgis.PyQt.QtWidgets import QDialogButtonBox

from terramind_qgis.bridge.adapters import settings
from terramind_qgis.bridge.runtime.cluster import check_cluster
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import run_job

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

S2 = str(ROOT / "resources" / "sample" / "S2L2A_433D_629L_3_1.tif")
KEYS = (settings.CLUSTER_ENABLED, settings.CLUSTER_SCHEDULER, settings.WORKER_PYTHON)


@pytest.fixture(scope="module")
def scheduler():
    """The address of a LocalCluster of 2 worker processes; the nannies' changes to os.environ are undone."""
    environ = dict(os.environ)
    try:
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            yield cluster.scheduler_address
    finally:
        os.environ.clear()
        os.environ.update(environ)


@pytest.fixture()
def cluster_settings(qgis_app):
    """Set the cluster keys for a test (and nothing else); they are removed afterwards."""

    def set_values(address: str, enabled: bool = True) -> None:
        settings.CLUSTER_ENABLED.set_value(enabled)
        settings.CLUSTER_SCHEDULER.set_value(address)

    for key in KEYS:
        key.remove()
    yield set_values
    for key in KEYS:
        key.remove()


class TextFeedback(QgsProcessingFeedback):
    """Keeps the progress texts (QGIS 3.22 has no signal for them)."""

    def __init__(self):
        super().__init__()
        self.texts = []

    def setProgressText(self, text):
        self.texts.append(text)
        super().setProgressText(text)


def _unreachable() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{s.getsockname()[1]}"  # nothing listens there once closed


def test_processing_runs_on_the_cluster_of_the_settings(
    provider, weights_dir, scheduler, cluster_settings, tmp_path
):
    import processing

    cluster_settings(scheduler)
    feedback = TextFeedback()
    messages = feedback.texts
    out = str(tmp_path / "emb.tif")
    params = {"INPUT_S2L2A": S2, "WEIGHTS_DIR": str(weights_dir), "OFFLINE": True,
              "OUTPUT_EMBEDDINGS": out, "OUTPUT_PCA": str(tmp_path / "pca.tif")}  # fmt: skip
    processing.run("terramind:patch_embeddings", params, feedback=feedback)
    assert any(m.startswith(f"Dask cluster {scheduler}: 2 workers") for m in messages), messages
    ref = JobSpec(Task.EMBEDDINGS, (InputRaster(S2, "S2L2A"),), {"embeddings": str(tmp_path / "ref.tif")},
                  weights_dir=str(weights_dir), offline=True)  # fmt: skip
    run_job(ref)
    with rasterio.open(out) as got, rasterio.open(ref.outputs["embeddings"]) as want:
        assert got.transform == want.transform and got.crs == want.crs
        # Workers run torch with one thread per CPU, as the desktop job does: the same values.
        assert np.array_equal(got.read(), want.read(), equal_nan=True)


def test_processing_says_clearly_when_the_scheduler_cannot_be_reached(
    provider, weights_dir, cluster_settings, tmp_path
):
    import processing

    address = _unreachable()
    cluster_settings(address)
    start = time.monotonic()
    with pytest.raises(QgsProcessingException, match="Cannot reach the Dask scheduler"):
        processing.run(
            "terramind:generate_lulc",
            {"INPUT_S2L2A": S2, "WEIGHTS_DIR": str(weights_dir), "OFFLINE": True,
             "OUTPUT": str(tmp_path / "lulc.tif")},
        )  # fmt: skip
    assert time.monotonic() - start < 20
    assert list(tmp_path.iterdir()) == []


def test_the_dock_uses_the_cluster_runner_and_a_missing_address_is_named(cluster_settings, tmp_path):
    from terramind_qgis.bridge.runtime.cluster import cluster_runner
    from terramind_qgis.core.errors import TerraMindError

    assert cluster_runner() is None  # option off: the dock keeps its own runner
    cluster_settings("")
    spec = JobSpec(Task.LULC, (InputRaster(S2, "S2L2A"),), {"lulc": str(tmp_path / "l.tif")})
    with pytest.raises(TerraMindError, match="no scheduler address is set"):
        cluster_runner()(spec, lambda f, m: None, lambda: False)


def test_settings_dialog_stores_the_option_and_checks_the_connection(scheduler, cluster_settings):
    from terramind_qgis.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog()
    box = dialog.cluster
    assert not box.enabled_check.isChecked() and not box.address_edit.isEnabled()
    box.enabled_check.setChecked(True)
    assert not dialog.save() and "address of the Dask scheduler" in box.status_label.text()
    box.address_edit.setText(scheduler)
    task = box.check()
    assert wait_until(lambda: box._task is None, timeout_milliseconds=60_000)
    assert task is not None and f"Connected to {scheduler}: 2 workers, 2 threads" in box.status_label.text()
    box.address_edit.setText(_unreachable())
    box.check()
    assert wait_until(lambda: box._task is None, timeout_milliseconds=60_000)
    assert "Cannot reach the Dask scheduler" in box.status_label.text()
    box.address_edit.setText(scheduler)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert settings.CLUSTER_ENABLED.value() and settings.CLUSTER_SCHEDULER.value() == scheduler


def test_the_worker_python_checks_the_cluster_with_its_own_packages(scheduler):
    info = check_cluster(scheduler, sys.executable)
    assert info["workers"] == 2 and info["threads"] == 2 and info["memory_bytes"] > 0
    assert "Cannot reach" in check_cluster(_unreachable(), sys.executable)["error"]
