"""ui/dock.py end to end: real layers, the real pipeline on a seeded tiny checkpoint, layers on the map.

The LULC task is the fast one (one 224-px tile of the Chile sample, about 15 s on 2 CPU cores).
"""

from __future__ import annotations

import filecmp
import os
import time

import pytest
from pytest_qgis.utils import wait_until
from qgis.core import (
    Qgis,
    QgsLayerTreeLayer,
    QgsLayerTreeModel,
    QgsPalettedRasterRenderer,
    QgsProcessingUtils,
    QgsProject,
)
from qgis.PyQt.QtCore import QTimer

from terramind_qgis.bridge.adapters import settings
from terramind_qgis.core.jobs import Task
from terramind_qgis.core.products import LULC

RUN_TIMEOUT_MS = 180000


@pytest.fixture(scope="session")
def weights_dir(tmp_path_factory):
    from helpers.session_weights import seeded_weights_dir

    return seeded_weights_dir(tmp_path_factory)


@pytest.fixture()
def lulc_dock(dock, scene, weights_dir):
    """The dock set up for LULC from the Chile S2L2A layer with the seeded weights, offline, on the CPU."""
    settings.WEIGHTS_DIR.set_value(str(weights_dir))
    settings.OFFLINE.set_value(True)
    dock.put_layer(scene["S2L2A"])
    dock.task_combo.setCurrentIndex(dock.task_combo.findData(Task.LULC.value))
    dock.devices.set_device("cpu")
    return dock


def _messages(iface, level):
    return iface.messageBar().get_messages(level)


def test_dock_run_adds_styled_lulc_layer_in_a_group(lulc_dock, scene, qgis_iface, tmp_path):
    lulc_dock.output.set_folder(str(tmp_path))
    assert lulc_dock.check_and_estimate(), lulc_dock.summary_label.text()
    assert "About 1 tile(s)" in lulc_dock.summary_label.text()  # 224x224 sample = one 224-px tile
    before = set(QgsProject.instance().mapLayers())
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    started = time.monotonic()
    lulc_dock.run_button.click()
    assert lulc_dock.task is not None and lulc_dock.cancel_button.isEnabled()
    assert not lulc_dock.run_button.isEnabled()
    assert wait_until(lambda: lulc_dock.task is None, timeout_milliseconds=RUN_TIMEOUT_MS)
    timer.stop()
    elapsed = time.monotonic() - started
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    # The main event loop kept running during the job: at least half of the 50 ms ticks came, none late.
    assert len(ticks) >= max(3, elapsed / 0.05 / 2) and max(gaps) < 2.0, (elapsed, len(ticks))
    assert _messages(qgis_iface, Qgis.MessageLevel.Critical) == []

    new_ids = set(QgsProject.instance().mapLayers()) - before
    assert len(new_ids) == 1
    layer = QgsProject.instance().mapLayer(new_ids.pop())
    source = scene["S2L2A"]
    assert layer.crs() == source.crs()
    assert layer.extent().toString(3) == source.extent().toString(3)
    assert (layer.width(), layer.height()) == (source.width(), source.height())
    renderer = layer.renderer()
    assert isinstance(renderer, QgsPalettedRasterRenderer)
    assert [(c.value, c.label) for c in renderer.classes()] == list(enumerate(LULC.class_names))

    root = QgsProject.instance().layerTreeRoot()
    group = root.children()[0]
    assert group.name().startswith("Land cover · s2l2a chile ") and len(group.name()) <= 32
    node = group.findLayer(layer.id())
    assert isinstance(node, QgsLayerTreeLayer)
    model = QgsLayerTreeModel(root)
    legend = [n.data(0) for n in model.layerLegendNodes(node)]
    assert legend[1:] == list(LULC.class_names)  # the legend reads as land-cover classes under the band title

    assert os.path.dirname(layer.source()) == str(tmp_path)
    files = {f for f in os.listdir(tmp_path) if not f.endswith(".aux.xml")}  # GDAL statistics from rendering
    assert files == {os.path.basename(layer.source()), os.path.basename(layer.source())[:-4] + ".qml"}
    assert lulc_dock.progress_bar.isHidden() and lulc_dock.run_button.isEnabled()
    messages = _messages(qgis_iface, Qgis.MessageLevel.Warning) + _messages(
        qgis_iface, Qgis.MessageLevel.Success
    )
    assert any(group.name() in m for m in messages)


def test_dock_shows_a_notice_once_per_session(lulc_dock, qgis_iface, tmp_path):
    lulc_dock.output.set_folder(str(tmp_path))
    shown = []
    for _ in range(2):
        qgis_iface.messageBar().clear_messages()
        lulc_dock.run_button.click()
        assert wait_until(lambda: lulc_dock.task is None, timeout_milliseconds=RUN_TIMEOUT_MS)
        levels = (Qgis.MessageLevel.Warning, Qgis.MessageLevel.Success)
        shown.append(tuple(_messages(qgis_iface, level) for level in levels))
    (first_warnings, _), (second_warnings, second_successes) = shown
    assert len(first_warnings) == 1 and "s2l2a chile" in first_warnings[0]  # the +1000 offset notice
    assert second_warnings == [] and len(second_successes) == 1  # same input, same notice: not again


@pytest.mark.parametrize("to_folder", [True, False], ids=["folder", "temporary"])
def test_dock_cancel_leaves_no_layer_and_no_file(lulc_dock, qgis_iface, tmp_path, to_folder):
    if to_folder:
        lulc_dock.output.set_folder(str(tmp_path))
    before = set(QgsProject.instance().mapLayers())
    groups = len(QgsProject.instance().layerTreeRoot().children())
    assert lulc_dock.run()
    run_dir = lulc_dock.launcher.run_dir
    assert to_folder or os.path.isdir(run_dir)
    # the first progress message from the worker thread replaces "Starting…": the job is under way
    assert wait_until(lambda: lulc_dock.status_label.text() != "Starting…", timeout_milliseconds=60000)
    lulc_dock.cancel_button.click()
    assert wait_until(lambda: lulc_dock.task is None, timeout_milliseconds=RUN_TIMEOUT_MS)
    assert set(QgsProject.instance().mapLayers()) == before
    assert len(QgsProject.instance().layerTreeRoot().children()) == groups
    if to_folder:
        assert os.listdir(tmp_path) == []
    else:
        assert not os.path.exists(run_dir)
    assert any("cancelled" in m for m in _messages(qgis_iface, Qgis.MessageLevel.Info))
    assert lulc_dock.status_label.text() == "Cancelled; no output was kept."


def test_dock_run_without_layer_shows_message_and_starts_nothing(dock, qgis_iface):
    assert not dock.run()
    assert dock.task is None
    assert "Choose at least one input layer" in dock.summary_label.text()
    assert _messages(qgis_iface, Qgis.MessageLevel.Warning) == [
        "Cannot run:Choose at least one input layer (for example a Sentinel-2 L2A scene)."
    ]


def test_dock_offline_without_weights_is_refused_before_running(dock, scene, qgis_iface, tmp_path):
    settings.WEIGHTS_DIR.set_value(str(tmp_path))  # empty folder
    settings.CACHE_DIR.set_value(str(tmp_path / "hf-cache"))
    settings.OFFLINE.set_value(True)
    dock.put_layer(scene["S2L2A"])
    assert not dock.run()
    (message,) = _messages(qgis_iface, Qgis.MessageLevel.Warning)
    assert message.startswith("Cannot run:Offline mode is on")
    text = dock.summary_label.text()
    assert (
        "Offline mode is on" in text
        and "TerraMind_v1_tiny.pt" in text
        and "TerraMind_Tokenizer_LULC.pt" in text
    )


def test_dock_failed_run_reports_error_with_details(dock, scene, qgis_iface, tmp_path):
    weights = tmp_path / "weights"
    weights.mkdir()
    for name in ("TerraMind_v1_tiny.pt", "TerraMind_Tokenizer_LULC.pt"):
        (weights / name).write_bytes(b"not a checkpoint")  # present, so the pre-flight passes; unreadable
    settings.WEIGHTS_DIR.set_value(str(weights))
    settings.OFFLINE.set_value(True)
    out = tmp_path / "out"
    out.mkdir()
    dock.output.set_folder(str(out))
    dock.put_layer(scene["S2L2A"])
    before = set(QgsProject.instance().mapLayers())
    assert dock.run()
    assert wait_until(lambda: dock.task is None, timeout_milliseconds=RUN_TIMEOUT_MS)
    (message,) = _messages(qgis_iface, Qgis.MessageLevel.Critical)
    assert "TerraMind failed" in message and "TerraMind_v1_tiny.pt" in message and "corrupt" in message
    assert set(QgsProject.instance().mapLayers()) == before and os.listdir(out) == []


def test_dock_embeddings_add_pca_rgb_and_keep_embeddings_file(dock, scene, weights_dir, qgis_iface, tmp_path):
    from qgis.core import QgsMultiBandColorRenderer

    settings.WEIGHTS_DIR.set_value(str(weights_dir))
    settings.OFFLINE.set_value(True)
    dock.put_layer(scene["S2L2A"])
    dock.task_combo.setCurrentIndex(dock.task_combo.findData(Task.EMBEDDINGS.value))
    dock.devices.set_device("cpu")
    dock.output.set_folder(str(tmp_path))
    before = set(QgsProject.instance().mapLayers())
    assert dock.run(), dock.summary_label.text()
    assert wait_until(lambda: dock.task is None, timeout_milliseconds=RUN_TIMEOUT_MS)
    assert _messages(qgis_iface, Qgis.MessageLevel.Critical) == []
    (new_id,) = set(QgsProject.instance().mapLayers()) - before  # the PCA map only
    pca = QgsProject.instance().mapLayer(new_id)
    assert isinstance(pca.renderer(), QgsMultiBandColorRenderer) and pca.bandCount() == 3
    assert pca.crs() == scene["S2L2A"].crs()
    assert pca.extent().toString(3) == scene["S2L2A"].extent().toString(3)  # 224 px = 14 patches of 16 px
    embeddings = [f for f in os.listdir(tmp_path) if f.endswith("_embeddings.tif")]
    assert len(embeddings) == 1  # kept as a file, not added to the map
    messages = _messages(qgis_iface, Qgis.MessageLevel.Warning) + _messages(
        qgis_iface, Qgis.MessageLevel.Success
    )
    assert any(embeddings[0] in m for m in messages)


def test_dock_shutdown_during_run_cancels_and_removes_temporary_files(lulc_dock):
    before = set(QgsProject.instance().mapLayers())
    assert lulc_dock.run()
    run_dir = lulc_dock.launcher.run_dir
    assert wait_until(lambda: lulc_dock.status_label.text() != "Starting…", timeout_milliseconds=60000)
    lulc_dock.shutdown()  # plugin unload while the job runs
    assert wait_until(lambda: lulc_dock.task is None, timeout_milliseconds=RUN_TIMEOUT_MS)
    assert not os.path.exists(run_dir) and set(QgsProject.instance().mapLayers()) == before
    assert lulc_dock.status_label.text() != "Cancelled; no output was kept."  # widgets left alone


@pytest.fixture()
def hub(weights_dir, monkeypatch):
    """A local Hugging Face Hub serving the seeded tiny backbone under its official repository and name."""
    from helpers.fake_hub import FakeHub, hub_at

    from terramind_qgis.core.checkpoints import CHECKPOINTS

    repo, name = CHECKPOINTS["terramind_v1_tiny"][:2]
    server = FakeHub({(repo, name): weights_dir / name})
    hub_at(monkeypatch, server)
    yield server
    server.close()


@pytest.fixture()
def download_dock(lulc_dock, weights_dir, tmp_path):
    """LULC with the LULC tokenizer in the weights folder and the tiny backbone only on the hub; online."""
    local = tmp_path / "weights"
    local.mkdir()
    (local / "TerraMind_Tokenizer_LULC.pt").symlink_to(weights_dir / "TerraMind_Tokenizer_LULC.pt")
    settings.WEIGHTS_DIR.set_value(str(local))
    settings.CACHE_DIR.set_value(str(tmp_path / "hf-cache"))
    settings.OFFLINE.set_value(False)
    asked = []
    lulc_dock.ask_missing_weights = lambda parent, names, cache: asked.append(names) or "download"
    lulc_dock.asked = asked
    return lulc_dock


def test_download_now_downloads_with_progress_then_starts_the_run(
    download_dock, hub, weights_dir, qgis_iface, tmp_path
):
    dock = download_dock
    before = set(QgsProject.instance().mapLayers())
    assert not dock.run()  # not yet: its weights come first
    assert dock.asked == [["terramind_v1_tiny"]] and dock.download.task is not None and dock.task is None
    assert "Downloading 1 weight file(s), about 212 MB" in dock.status_label.text()
    assert dock.cancel_button.isEnabled() and not dock.run_button.isEnabled() and not dock.run()
    assert wait_until(lambda: dock.task is not None, timeout_milliseconds=RUN_TIMEOUT_MS)  # then the run
    assert wait_until(lambda: dock.task is None, timeout_milliseconds=RUN_TIMEOUT_MS)
    assert any(p.endswith("/resolve/main/TerraMind_v1_tiny.pt") for p in hub.requests)  # over HTTP
    (cached,) = (tmp_path / "hf-cache").rglob("TerraMind_v1_tiny.pt")
    assert filecmp.cmp(cached, weights_dir / "TerraMind_v1_tiny.pt", shallow=False)
    (new,) = [QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before]
    assert isinstance(new.renderer(), QgsPalettedRasterRenderer)
    assert _messages(qgis_iface, Qgis.MessageLevel.Critical) == []


def _run_dirs() -> set[str]:
    """The dock's temporary run folders (outputs when no folder is chosen)."""
    return {n for n in os.listdir(QgsProcessingUtils.tempFolder()) if n.startswith("terramind_")}


def test_a_failed_download_says_so_and_does_not_run(download_dock, hub, qgis_iface):
    dock, hub.fail = download_dock, True  # the hub answers 500
    before, dirs = set(QgsProject.instance().mapLayers()), _run_dirs()
    assert not dock.run()
    assert wait_until(lambda: dock.download.task is None, timeout_milliseconds=RUN_TIMEOUT_MS)
    assert dock.task is None and set(QgsProject.instance().mapLayers()) == before
    assert _run_dirs() == dirs  # the run's temporary folder is gone
    (message,) = _messages(qgis_iface, Qgis.MessageLevel.Critical)
    assert "The run was not started: Could not download TerraMind_v1_tiny.pt" in message
    assert dock.run_button.isEnabled() and "not started" in dock.status_label.text()


def test_a_cancelled_download_says_so_and_does_not_run(download_dock, hub, qgis_iface):
    dock, hub.chunk_delay = download_dock, 0.05  # 212 MB in 64 KiB chunks: minutes
    before, dirs = set(QgsProject.instance().mapLayers()), _run_dirs()
    assert not dock.run()
    assert wait_until(lambda: dock.progress_bar.value() > 0, timeout_milliseconds=60000)
    dock.cancel_button.click()
    assert wait_until(lambda: dock.download.task is None, timeout_milliseconds=60000)
    assert dock.task is None and set(QgsProject.instance().mapLayers()) == before
    text = "The weights download was cancelled; the run was not started."
    assert dock.status_label.text() == text
    assert text in " ".join(_messages(qgis_iface, Qgis.MessageLevel.Info))
    assert dock.run_button.isEnabled() and _run_dirs() == dirs


def test_shutdown_during_a_download_starts_no_run(download_dock, hub):
    dock, hub.chunk_delay = download_dock, 0.05
    dirs = _run_dirs()
    assert not dock.run()
    assert wait_until(lambda: dock.progress_bar.value() > 0, timeout_milliseconds=60000)
    dock.shutdown()  # plugin unload while the weights download
    assert wait_until(lambda: dock.download.task is None, timeout_milliseconds=60000)
    assert dock.task is None and _run_dirs() == dirs
