"""JobSpec round-trips through JSON and rejects what it cannot use."""

from __future__ import annotations

import json

import pytest

from terramind_qgis.core.errors import InputError
from terramind_qgis.core.jobs import Area, InputRaster, JobSpec, Task, output_kinds, validate_spec


def _spec() -> JobSpec:
    return JobSpec(
        task=Task.EMBEDDINGS,
        inputs=(InputRaster("/d/s2.tif", "S2L2A", bands=(1, 2, 3)), InputRaster("/d/s1.tif", "S1RTC")),
        outputs={"embeddings": "/o/emb.tif", "pca": "/o/pca.tif"},
        area=Area((1.0, 2.0, 3.0, 4.0), "EPSG:32633"),
        seed=7,
    )


def test_jobspec_round_trips_through_json():
    spec = _spec()
    assert JobSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    assert JobSpec.from_json(spec.to_json()) == spec


def test_jobspec_rejects_unknown_field():
    d = _spec().to_dict()
    d["colour"] = "red"
    with pytest.raises(InputError, match="colour"):
        JobSpec.from_dict(d)


def test_jobspec_rejects_unknown_task():
    d = _spec().to_dict()
    d["task"] = "detect"
    with pytest.raises(InputError, match="task"):
        JobSpec.from_dict(d)


def _lulc(**kw) -> JobSpec:
    base = dict(task=Task.LULC, inputs=(InputRaster("/d/s2.tif", "S2L2A"),), outputs={"lulc": "/o/lulc.tif"})
    base.update(kw)
    return JobSpec(**base)


def test_validate_spec_accepts_defaults():
    validate_spec(_lulc())
    validate_spec(_spec())


@pytest.mark.parametrize(
    "changes,message",
    [
        (dict(inputs=()), "no input raster"),
        (dict(inputs=(InputRaster("/d/a.tif", "S2L2A"), InputRaster("/d/b.tif", "S2L2A"))), "Two inputs"),
        (dict(inputs=(InputRaster("/d/a.tif", "LANDSAT"),)), "unknown modality"),
        (dict(outputs={}), "output file for the lulc"),
        (dict(outputs={"lulc": "/o/x.tif", "pca": "/o/p.tif"}), "do not belong"),
        (dict(outputs={"lulc": "/o/x.png"}), "GeoTIFF"),
        (dict(outputs={"lulc": "/d/s2.tif"}), "is the input file"),
        (dict(tile_size=200), "multiple of 32"),
        (dict(overlap=200), "overlap"),
        (dict(batch_size=0), "batch size"),
        (dict(model_size="huge"), "model size"),
        (dict(device="tpu"), "device"),
        (dict(timesteps=0), "timesteps"),
        (dict(timesteps=10**9), "timesteps must be between 1 and 1000, got 1000000000"),
        (dict(temperature=float("nan")), "temperature <= 100"),
        (dict(top_k=10**9), "top_k <= 100000"),
        (dict(batch_size=100_000), "batch size must be between 1 and 256"),
        (dict(tile_size=65536), "tile size must be between 32 and 4096"),
        (dict(task=Task.GENERATE, outputs={"ndvi": "/o/n.tif"}), "modality to generate"),
    ],
)
def test_validate_spec_rejects_bad_options(changes, message):
    with pytest.raises(InputError, match=message):
        validate_spec(_lulc(**changes))


def test_validate_spec_embeddings_need_patch_aligned_overlap():
    with pytest.raises(InputError, match="multiple of 16"):
        validate_spec(
            JobSpec(Task.EMBEDDINGS, (InputRaster("/d/s2.tif", "S2L2A"),), {"pca": "/o/p.tif"}, overlap=24)
        )
    assert output_kinds(_spec()) == ("embeddings", "pca")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("batch_size", "4", "'batch_size' must be an integer, got \"4\""),
        ("batch_size", True, "'batch_size' must be an integer, got true"),
        ("offline", "yes", "'offline' must be true or false"),
        ("temperature", [1], "'temperature' must be an integer or a number"),
        ("weights_dir", 3, "'weights_dir' must be a string or null"),
        ("outputs", ["a.tif"], "'outputs' must be"),
        ("inputs", {"path": "x"}, "'inputs' must be a list"),
        ("inputs", [{"path": 1, "modality": "S2L2A"}], "'inputs\\[0\\].path' must be a string"),
        (
            "inputs",
            [{"path": "a.tif", "modality": "S2L2A", "bands": "1,2"}],
            "'inputs\\[0\\].bands' must be a list",
        ),
        ("area", {"bounds": [0, 0, 1], "crs": "EPSG:4326"}, "'area.bounds' must be"),
        ("task", 3, "'task' must be one of"),
    ],
)
def test_wrong_json_types_name_the_field(field, value, message):
    d = _lulc().to_dict()
    d[field] = value
    with pytest.raises(InputError, match=message):
        JobSpec.from_dict(json.loads(json.dumps(d)))
