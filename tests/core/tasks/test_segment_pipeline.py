"""``Task.SEGMENT`` through ``run_job`` on real rasters: the flood fixture's four TerraMesh dates end to end,
multi-date scenes tiled and blended, area tables, refusals, cancel."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import rasterio
import torch
from helpers.paths import SAMPLE_IDS, example
from helpers.task_fixtures import load_task_fixture, task_state_dict
from helpers.task_models import write_array_raster, write_checkpoint, write_config, write_dated_scene

from terramind_qgis.core import InputError, JobCancelled, build_task_model, run_job
from terramind_qgis.core.jobs import DatedInputs, InputRaster, JobSpec, Task

LIKE = str(example("S2L2A", SAMPLE_IDS[0]))


def _spec(tmp_path, dates, static=(), outputs=None, **kw):
    outputs = outputs or {"segment": "flood.tif", "probabilities": "p.tif", "areas": "areas.csv"}
    return JobSpec(
        task=Task.SEGMENT,
        inputs=tuple(InputRaster(p, m) for m, p in static),
        dates=tuple(
            DatedInputs(f"date {i + 1}", tuple(InputRaster(p, m) for m, p in d.items()))
            for i, d in enumerate(dates)
        ),
        outputs={k: str(tmp_path / v) for k, v in outputs.items()},
        tile_size=256,
        overlap=48,
        device="cpu",
        **kw,
    )


@pytest.fixture(scope="module")
def flood_files(tmp_path_factory):
    """The fixture's raw inputs as 12 rasters, its config and its seeded weights as a Lightning checkpoint."""
    fx = load_task_fixture("ta_tiny_impactmesh_flood")
    folder = tmp_path_factory.mktemp("flood")
    dates = []
    for t in range(4):
        dates.append(
            {
                m: write_array_raster(folder / f"{m}_{t}.tif", raw[0, :, t].numpy(), LIKE)
                for m, raw in fx["raw_inputs"].items()
            }
        )
    st = fx["standardization"]
    mods = list(fx["raw_inputs"])
    config = write_config(
        folder / "flood.yaml",
        fx["model_args"],
        {m: st["means"][m] for m in mods},
        {m: st["stds"][m] for m in mods},
    )
    sd = task_state_dict(fx["state_dict_shapes"], fx["weights"]["seed"], fx["weights"]["tied_groups"])
    ckpt = write_checkpoint(folder / "flood.ckpt", sd)
    return fx, dates, config, ckpt


def test_flood_fixture_end_to_end_matches_terratorch(flood_files, tmp_path):
    """One 256 px window: the pipeline's classes and probabilities are TerraTorch's logits."""
    fx, dates, config, ckpt = flood_files
    spec = _spec(tmp_path, dates, task_config=str(config), task_checkpoint=str(ckpt))
    result = run_job(spec)
    with rasterio.open(result.outputs["segment"]) as src, rasterio.open(LIKE) as like:
        classes = src.read(1)
        assert (src.crs, src.transform, src.width, src.height) == (like.crs, like.transform, 256, 256)
        tags = src.tags()
        assert src.colormap(1)[1][:3] != src.colormap(1)[0][:3]
        assert len(src.tags(1)["AREAS"].splitlines()) == 3
    expected = fx["expected"]
    agreement = (classes == expected["classes"][0].numpy()).mean()
    assert agreement >= fx["tolerance"]["class_agreement_min"]
    with rasterio.open(result.outputs["probabilities"]) as src:
        probs = src.read()
    torch.testing.assert_close(
        torch.from_numpy(probs), torch.softmax(expected["logits"][0].double(), 0).float(), rtol=0, atol=1e-4
    )
    assert json.loads(tags["TERRAMIND_DATES"])[3]["files"][0] == dates[3]["S2L2A"]
    assert tags["TERRAMIND_MODEL"] == "flood" and len(tags["TERRAMIND_CHECKPOINT_SHA256"]) == 64
    assert json.loads(tags["TERRAMIND_CLASSES"]) == ["class 0", "class 1", "class 2"]
    rows = list(csv.DictReader(open(result.outputs["areas"])))
    counts = np.bincount(classes.ravel(), minlength=3)
    assert [int(r["pixels"]) for r in rows] == counts.tolist()
    assert sum(float(r["percent_of_valid_area"]) for r in rows) == pytest.approx(100, abs=1e-3)
    assert float(rows[0]["hectares"]) == pytest.approx(counts[0] * 100 / 1e4, rel=1e-6)  # 10 m pixels


def test_model_for_four_dates_refuses_three(flood_files, tmp_path):
    _, dates, config, ckpt = flood_files
    spec = _spec(tmp_path, dates[:3], task_config=str(config), task_checkpoint=str(ckpt))
    with pytest.raises(InputError, match="built for 4 dates; the job has 3"):
        run_job(spec)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


SCENE_ARGS = {
    "backbone": "terramind_v1_tiny",
    "backbone_pretrained": False,
    "backbone_modalities": ["S2L2A", "S1RTC", "DEM"],
    "backbone_use_temporal": True,
    "backbone_temporal_pooling": "mean",
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


@pytest.fixture(scope="module")
def scene_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scene")
    torch.manual_seed(3)
    model = build_task_model(SCENE_ARGS)
    config = write_config(folder / "ft.yaml", SCENE_ARGS, class_names=["dry", "wet"])  # no statistics
    ckpt = write_checkpoint(folder / "ft.pt", model.state_dict(), layout="plain")
    return model, config, ckpt


def test_scene_tiles_are_blended_and_dem_serves_every_date(scene_model, tmp_path):
    """A 224 px scene in 256 px windows: the DEM given once, pretraining statistics named in the tags."""
    _, config, ckpt = scene_model
    dates = write_dated_scene(tmp_path, ["S2L2A", "S1RTC"], dates=2)
    dem = [("DEM", str(example("DEM", SAMPLE_IDS[0])))]
    spec = _spec(
        tmp_path,
        dates,
        dem,
        outputs={"segment": "wet.tif"},
        task_config=str(config),
        task_checkpoint=str(ckpt),
    )
    result = run_job(spec)
    with rasterio.open(result.outputs["segment"]) as src:
        classes, tags = src.read(1), src.tags()
        assert (src.width, src.height) == (224, 224)
    assert set(np.unique(classes)) <= {0, 1}
    assert json.loads(tags["TERRAMIND_CLASSES"]) == ["dry", "wet"]
    assert set(json.loads(tags["TERRAMIND_STANDARDIZATION"])) == {"S2L2A", "S1RTC", "DEM"}
    assert set(result.outputs) == {"segment"}
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name]


def test_cancel_leaves_no_partial_file(scene_model, tmp_path):
    _, config, ckpt = scene_model
    dates = write_dated_scene(tmp_path, ["S2L2A", "S1RTC"], dates=2)
    spec = _spec(
        tmp_path,
        dates,
        [("DEM", str(example("DEM", SAMPLE_IDS[0])))],
        task_config=str(config),
        task_checkpoint=str(ckpt),
    )
    with pytest.raises(JobCancelled):
        run_job(spec, is_cancelled=lambda: True)
    outputs = {"flood.tif", "p.tif", "areas.csv", "flood.qml"}
    assert not outputs & {p.name for p in tmp_path.iterdir()}
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name]


def test_dates_with_different_modalities_and_missing_inputs_are_refused(scene_model, tmp_path):
    _, config, ckpt = scene_model
    dates = write_dated_scene(tmp_path, ["S2L2A", "S1RTC"], dates=2)
    files = {"task_config": str(config), "task_checkpoint": str(ckpt)}
    uneven = [dates[0], {"S2L2A": dates[1]["S2L2A"]}]
    with pytest.raises(InputError, match="give every date the same modalities"):
        run_job(_spec(tmp_path, uneven, **files))
    with pytest.raises(InputError, match="needs a DEM input"):
        run_job(_spec(tmp_path, dates, **files))
    with pytest.raises(InputError, match="either the model"):
        run_job(_spec(tmp_path, dates, task_model="TerraMind-base-Flood", **files))


def test_estimate_counts_the_backbone_once_per_date(scene_model, tmp_path):
    from terramind_qgis.core.device import MatmulRates
    from terramind_qgis.core.estimate import estimate_job

    rates = MatmulRates({"float32": 100.0})
    _, config, ckpt = scene_model
    dates = write_dated_scene(tmp_path, ["S2L2A", "S1RTC"], dates=2)
    dem = [("DEM", str(example("DEM", SAMPLE_IDS[0])))]
    files = {"task_config": str(config), "task_checkpoint": str(ckpt)}
    two = _spec(tmp_path, dates, dem, **files)
    one = _spec(tmp_path, dates[:1], dem, **files)
    e2, e1 = estimate_job(two, rates), estimate_job(one, rates)
    assert e2.tiles == e1.tiles == 1  # a 224 px scene: one window
    assert e2.seconds > e1.seconds and e2.disk_bytes == 224 * 224 * (1 + 8)
