"""JobSpec round-trips through JSON and rejects what it cannot use."""

from __future__ import annotations

import json

import pytest

from terramind_qgis.core.errors import InputError
from terramind_qgis.core.jobs import Area, InputRaster, JobSpec, Task


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
    d["task"] = "segment"
    with pytest.raises(InputError, match="task"):
        JobSpec.from_dict(d)
