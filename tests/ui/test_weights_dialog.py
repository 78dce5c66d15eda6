"""ui/weights_dialog.py: checkpoint status, local folder, offline switch, background download and cancel."""

from __future__ import annotations

import time

import pytest
from helpers.paths import example
from pytest_qgis.utils import wait_until

from terramind_qgis.bridge.adapters import settings
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.products import required_checkpoints
from terramind_qgis.ui.preflight import missing_checkpoints
from terramind_qgis.ui.weights_dialog import WeightsDialog


@pytest.fixture()
def weights_folder(tmp_path, clean_settings):
    """A local weights folder with two official file names, and an empty private download cache."""
    folder = tmp_path / "weights"
    folder.mkdir()
    for name in ("TerraMind_v1_tiny.pt", "TerraMind_Tokenizer_LULC.pt"):
        (folder / name).write_bytes(b"x")
    settings.CACHE_DIR.set_value(str(tmp_path / "hf-cache"))
    return folder


def _status(dialog, filename):
    for row in range(dialog.table.rowCount()):
        if dialog.table.item(row, 0).text() == filename:
            return dialog.table.item(row, 1).text(), dialog.table.item(row, 2).text()
    raise AssertionError(filename)


def test_required_checkpoints_per_task():
    assert required_checkpoints(Task.EMBEDDINGS, "base") == ["terramind_v1_base"]
    assert required_checkpoints(Task.LULC, "tiny") == ["terramind_v1_tiny", "terramind_v1_tokenizer_lulc"]
    assert required_checkpoints(Task.GENERATE, "small", "NDVI") == [
        "terramind_v1_small",
        "terramind_v1_tokenizer_ndvi",
    ]


def test_missing_checkpoints_names_the_files(weights_folder, tmp_path):
    spec = JobSpec(
        task=Task.S1GRD, inputs=(InputRaster(str(example("S2L2A")), "S2L2A"),), outputs={"s1grd": "/x.tif"},
        weights_dir=str(weights_folder), cache_dir=str(tmp_path / "hf-cache"),
    )  # fmt: skip
    assert missing_checkpoints(spec) == ["TerraMind_Tokenizer_S1GRD.pt"]


def test_weights_dialog_lists_local_folder_and_persists_options(qgis_app, weights_folder):
    dialog = WeightsDialog("tiny")
    assert _status(dialog, "TerraMind_v1_tiny.pt")[0] == "not downloaded"
    dialog.folder_widget.setFilePath(str(weights_folder))
    assert settings.WEIGHTS_DIR.value() == str(weights_folder)
    status, path = _status(dialog, "TerraMind_v1_tiny.pt")
    assert status == "available" and path == str(weights_folder / "TerraMind_v1_tiny.pt")
    assert _status(dialog, "TerraMind_Tokenizer_S1GRD.pt")[0] == "not downloaded"
    assert "TerraMind_Tokenizer_LULC.pt" in dialog.status_label.text()
    dialog.offline_check.setChecked(True)
    assert settings.OFFLINE.value() is True and not dialog.download_button.isEnabled()


def test_weights_dialog_download_runs_in_background_with_progress(qgis_app, weights_folder):
    settings.WEIGHTS_DIR.set_value(str(weights_folder))
    dialog = WeightsDialog("tiny")
    calls = []

    def resolve(name, source):  # stands in for the Hugging Face download (no network in tests)
        for done in (0, 50, 100):
            source.progress(done, 100)
        path = weights_folder / "TerraMind_Tokenizer_S1GRD.pt"
        path.write_bytes(b"x")
        calls.append(name)
        return path

    task = dialog.download(["terramind_v1_tokenizer_s1grd"], resolve=resolve)
    assert task is not None and dialog.cancel_button.isEnabled()
    assert wait_until(lambda: dialog.task is None, timeout_milliseconds=20000)
    assert calls == ["terramind_v1_tokenizer_s1grd"]
    assert _status(dialog, "TerraMind_Tokenizer_S1GRD.pt")[0] == "available"
    assert dialog.status_label.text() == "Downloaded 1 file(s)."


def test_weights_dialog_cancel_stops_download(qgis_app, weights_folder):
    dialog = WeightsDialog("tiny")

    def resolve(name, source):
        for done in range(1000):  # a slow transfer (10 s); the cancel surfaces through the progress callback
            source.progress(done, 1000)
            time.sleep(0.01)
        raise AssertionError("the download was not cancelled")

    dialog.download(["terramind_v1_base"], resolve=resolve)
    assert wait_until(lambda: dialog.progress_bar.value() > 0, timeout_milliseconds=5000)
    dialog.cancel_button.click()
    assert wait_until(lambda: dialog.task is None, timeout_milliseconds=20000)
    assert dialog.status_label.text() == "Download cancelled."
    assert _status(dialog, "TerraMind_v1_base.pt")[0] == "not downloaded"


def test_weights_dialog_shows_status_and_size_uncut_at_its_default_size(qgis_app, weights_folder):
    dialog = WeightsDialog("tiny")
    dialog.show()
    table = dialog.table
    for column in (0, 1, 3):  # file name, status and size are never cut ("not …")
        widest = max(
            table.fontMetrics().horizontalAdvance(table.item(r, column).text())
            for r in range(table.rowCount())
        )
        assert table.columnWidth(column) >= widest, (column, table.columnWidth(column), widest)
    sizes = {table.item(r, 0).text(): table.item(r, 3).text() for r in range(table.rowCount())}
    assert sizes["TerraMind_v1_tiny.pt"] == "212 MB" and sizes["TerraMind_Tokenizer_LULC.pt"] == "740 MB"
    dialog.close()
