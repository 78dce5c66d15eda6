"""``terramind:segment`` in Processing: per-date layer lists, DEM once, config + checkpoint or a catalogued
model from the local weights folder; outputs loaded styled; the same numbers as the core run."""

from __future__ import annotations

import csv

import numpy as np
import pytest
import rasterio
import torch
from helpers.paths import SAMPLE_IDS, example
from helpers.task_models import write_checkpoint, write_config, write_dated_scene
from qgis.core import QgsPalettedRasterRenderer, QgsProcessingException, QgsProcessingFeedback, QgsProject

from terramind_qgis.core import build_task_model, run_job
from terramind_qgis.core.checkpoints import CHECKPOINTS
from terramind_qgis.core.jobs import DatedInputs, InputRaster, JobSpec, Task

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
    "head_dropout": 0.1,
    "num_classes": 2,
}
DEM = str(example("DEM", SAMPLE_IDS[0]))


@pytest.fixture(scope="module")
def fine_tune(tmp_path_factory):
    """A seeded 2-date fine-tune under the official Flood file names, and a 2-date scene."""
    folder = tmp_path_factory.mktemp("ft")
    torch.manual_seed(5)
    model = build_task_model(ARGS)
    config = write_config(folder / CHECKPOINTS["terramind_v1_base_impactmesh_flood_config"][1], ARGS)
    ckpt = write_checkpoint(folder / CHECKPOINTS["terramind_v1_base_impactmesh_flood"][1], model.state_dict())
    dates = write_dated_scene(folder, ["S2L2A", "S1RTC"], dates=2)
    return folder, config, ckpt, dates


def _params(dates, out, **kw):
    return {
        "INPUT_S2L2A": [d["S2L2A"] for d in dates],
        "INPUT_S1RTC": [d["S1RTC"] for d in dates],
        "INPUT_DEM": DEM,
        "DEVICE": 1,  # cpu
        "OUTPUT": str(out / "classes.tif"),
        "OUTPUT_AREAS": str(out / "classes.csv"),
        **kw,
    }


def test_segment_with_config_and_checkpoint_loads_a_styled_class_layer(
    provider, fine_tune, tmp_path, qgis_new_project
):
    import processing

    _, config, ckpt, dates = fine_tune
    params = _params(dates, tmp_path, MODEL="", CONFIG=str(config), CHECKPOINT=str(ckpt))
    result = processing.runAndLoadResults("terramind:segment", params)
    out = result["OUTPUT"]
    (layer,) = [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.source() == out]
    assert isinstance(layer.renderer(), QgsPalettedRasterRenderer)
    assert [c.label for c in layer.renderer().classes()] == ["class 0", "class 1"]  # the config names none
    rows = list(csv.DictReader(open(result["OUTPUT_AREAS"])))
    assert [r["class"] for r in rows] == ["0", "1"]
    # the same job through the core gives the same classes (dates in the order given)
    spec = JobSpec(
        task=Task.SEGMENT,
        inputs=(InputRaster(DEM, "DEM"),),
        dates=tuple(
            DatedInputs(f"d{i}", (InputRaster(d["S2L2A"], "S2L2A"), InputRaster(d["S1RTC"], "S1RTC")))
            for i, d in enumerate(dates)
        ),
        outputs={"segment": str(tmp_path / "core.tif")},
        task_config=str(config),
        task_checkpoint=str(ckpt),
        tile_size=256,
        overlap=48,
        device="cpu",
    )
    core = run_job(spec).outputs["segment"]
    with rasterio.open(out) as a, rasterio.open(core) as b:
        np.testing.assert_array_equal(a.read(), b.read())


def test_catalogued_model_runs_from_the_local_weights_folder(provider, fine_tune, tmp_path):
    """MODEL=TerraMind-base-Flood, offline, files under their official names in the weights folder."""
    import processing

    folder, _, _, dates = fine_tune
    params = _params(dates, tmp_path, MODEL="TerraMind-base-Flood", WEIGHTS_DIR=str(folder), OFFLINE=True)
    infos = []
    feedback = QgsProcessingFeedback()
    feedback.pushInfo = lambda text: infos.append(text)
    out = processing.run("terramind:segment", params, feedback=feedback)["OUTPUT"]
    assert [line.split(":")[0] for line in infos if line.startswith("Class")] == [
        "Class 0 No water",
        "Class 1 Water",
    ]
    with rasterio.open(out) as src:
        assert src.tags()["TERRAMIND_MODEL"] == "TerraMind-base-Flood"
        assert src.tags(1)["CLASS_NAMES"] == "No water,Water"


def test_uneven_date_lists_are_refused(provider, fine_tune, tmp_path):
    import processing

    _, config, ckpt, dates = fine_tune
    params = _params(dates, tmp_path, MODEL="", CONFIG=str(config), CHECKPOINT=str(ckpt))
    params["INPUT_S1RTC"] = params["INPUT_S1RTC"][:1]
    with pytest.raises(QgsProcessingException, match="one layer per date"):
        processing.run("terramind:segment", params)


def test_qgis_process_runs_a_four_layer_date_list(qgis_process, fine_tune, tmp_path):
    """Multiple-layer parameters on the command line: one ``INPUT_S2L2A=`` per date, in date order."""
    _, config, ckpt, dates = fine_tune
    args = [f"INPUT_S2L2A={d['S2L2A']}" for d in dates] + [f"INPUT_S1RTC={d['S1RTC']}" for d in dates]
    args += [f"INPUT_DEM={DEM}", "MODEL=", f"CONFIG={config}", f"CHECKPOINT={ckpt}", "DEVICE=1"]
    args += [f"OUTPUT={tmp_path / 'classes.tif'}", f"OUTPUT_AREAS={tmp_path / 'areas.csv'}"]
    proc = qgis_process("terramind:segment", *args)
    log = proc.communicate(timeout=600)[0]
    assert proc.returncode == 0, log[-3000:]
    assert "Class 0 class 0:" in log and (tmp_path / "areas.csv").is_file()
    with rasterio.open(tmp_path / "classes.tif") as src:
        assert src.width == 224 and set(np.unique(src.read(1))) <= {0, 1}
