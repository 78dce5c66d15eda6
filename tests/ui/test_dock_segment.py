"""The dock's "Map with a fine-tuned model" task: model picker, one row of layers per date, the DEM once;
the run adds a styled class layer (the area table stays on disk)."""

from __future__ import annotations

import os

import pytest
import torch
from helpers.paths import SAMPLE_IDS, example
from helpers.task_models import write_checkpoint, write_config, write_dated_scene
from pytest_qgis.utils import wait_until
from qgis.core import Qgis, QgsPalettedRasterRenderer, QgsProject, QgsRasterLayer

from terramind_qgis.core import build_task_model
from terramind_qgis.core.jobs import Task, validate_spec
from terramind_qgis.ui.widgets.dated_inputs import CUSTOM

ARGS = {
    "backbone": "terramind_v1_tiny",
    "backbone_modalities": ["S2L2A", "S1RTC", "DEM"],
    "backbone_use_temporal": True,
    "backbone_temporal_pooling": "concat",
    "backbone_temporal_n_timestamps": 2,
    "necks": [
        {"name": "SelectIndices", "indices": [2, 5, 8, 11]},
        {"name": "ReshapeTokensToImage", "remove_cls_token": False},
        {"name": "LearnedInterpolateToPyramidal"},
    ],
    "decoder": "UNetDecoder",
    "decoder_channels": [32, 16, 8, 8],
    "num_classes": 2,
}


@pytest.fixture()
def segment_dock(dock, tmp_path):
    torch.manual_seed(9)
    config = write_config(tmp_path / "ft.yaml", ARGS, class_names=["land", "water"])
    ckpt = write_checkpoint(tmp_path / "ft.ckpt", build_task_model(ARGS).state_dict())
    dates = write_dated_scene(tmp_path, ["S2L2A", "S1RTC"], dates=2)
    dock.task_combo.setCurrentIndex(dock.task_combo.findData(Task.SEGMENT.value))
    dock.dated.set_model(CUSTOM)
    dock.dated.config_widget.setFilePath(str(config))
    dock.dated.checkpoint_widget.setFilePath(str(ckpt))
    dock.dated.date_count.setValue(2)
    for i, files in enumerate(dates):
        for role, path in files.items():
            layer = QgsRasterLayer(path, f"{role} {i + 1}", "gdal")
            QgsProject.instance().addMapLayer(layer)
            dock.dated.set_layer(i, role, layer)
    dem = QgsRasterLayer(str(example("DEM", SAMPLE_IDS[0])), "dem", "gdal")
    QgsProject.instance().addMapLayer(dem)
    dock.dated.dem_combo.setLayer(dem)
    dock.devices.set_device("cpu")
    dock.output.set_folder(str(tmp_path / "out"))
    os.makedirs(tmp_path / "out")
    return dock, dates


def test_segment_task_shows_the_dated_rows_and_builds_a_dated_spec(segment_dock, tmp_path):
    dock, dates = segment_dock
    assert dock.dated_box.isVisibleTo(dock) and not dock.inputs_box.isVisibleTo(dock)
    assert not dock.size_combo.isVisibleTo(dock)
    spec = dock.build_spec(str(tmp_path), "run")
    validate_spec(spec)
    assert [[r.path for r in d.inputs] for d in spec.dates] == [[d["S2L2A"], d["S1RTC"]] for d in dates]
    assert [r.modality for r in spec.inputs] == ["DEM"]
    assert (spec.tile_size, spec.overlap) == (256, 48)
    assert set(spec.outputs) == {"segment", "probabilities", "areas"} and spec.outputs["areas"].endswith(
        ".csv"
    )
    dock.dated.set_model("TerraMind-base-Fire")
    assert dock.dated.date_count.value() == 4 and not dock.dated.config_widget.isVisibleTo(dock)


def test_segment_dock_run_adds_the_class_layer(segment_dock, qgis_iface, tmp_path):
    dock, _ = segment_dock
    assert dock.check_and_estimate(), dock.summary_label.text()
    dock.run_button.click()
    assert wait_until(lambda: dock.task is None, timeout_milliseconds=180000)
    assert qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Critical) == []
    layers = QgsProject.instance().mapLayersByName("Classes (fine-tuned model)")
    assert len(layers) == 1 and isinstance(layers[0].renderer(), QgsPalettedRasterRenderer)
    assert [c.label for c in layers[0].renderer().classes()] == ["land", "water"]
    assert any(name.endswith("_areas.csv") for name in os.listdir(tmp_path / "out"))


def test_incomplete_date_row_is_named(segment_dock):
    dock, _ = segment_dock
    dock.dated.set_layer(1, "S1RTC", None)
    assert not dock.check_and_estimate()
    assert "Date 2 has no S1RTC layer" in dock.summary_label.text()


def test_preflight_names_the_catalogued_files_that_are_missing(segment_dock, tmp_path):
    from terramind_qgis.ui import preflight

    dock, _ = segment_dock
    dock.dated.set_model("TerraMind-base-Flood")
    dock.dated.date_count.setValue(2)  # the row count does not matter here
    spec = dock.build_spec(str(tmp_path), "run")
    spec = type(spec)(
        **{**spec.__dict__, "weights_dir": str(tmp_path), "cache_dir": str(tmp_path), "offline": True}
    )
    assert preflight.missing_checkpoints(spec) == [
        "TerraMind_v1_base_ImpactMesh_flood.pt",
        "terramind_v1_base_impactmesh_flood.yaml",
    ]
    errors, _ = preflight.check_weights(spec)
    assert errors and "TerraMind_v1_base_ImpactMesh_flood.pt" in errors[0]
