"""The job spec of ``Task.SEGMENT``: dated input sets, model choice, outputs (no file access)."""

from __future__ import annotations

import pytest

from terramind_qgis.core import InputError
from terramind_qgis.core.jobs import DatedInputs, InputRaster, JobSpec, Task, input_entries, validate_spec


def _spec(**kw):
    base = dict(
        task=Task.SEGMENT,
        inputs=(InputRaster("/d/dem.tif", "DEM"),),
        dates=tuple(
            DatedInputs(
                f"2024-0{i}-01",
                (InputRaster(f"/d/s2_{i}.tif", "S2L2A"), InputRaster(f"/d/s1_{i}.tif", "S1RTC")),
            )
            for i in range(1, 5)
        ),
        outputs={"segment": "/o/flood.tif", "areas": "/o/flood.csv"},
        task_model="TerraMind-base-Flood",
        tile_size=256,
        overlap=48,
    )
    base.update(kw)
    return JobSpec(**base)


def test_dated_spec_round_trips_through_json():
    spec = _spec()
    assert JobSpec.from_json(spec.to_json()) == spec
    validate_spec(spec)


def test_input_keys_name_modality_and_date_first_date_first():
    keys = [k for k, _ in input_entries(_spec())]
    assert keys[:3] == ["S2L2A@0", "S1RTC@0", "S2L2A@1"] and keys[-1] == "DEM"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"task_model": None}, "Choose a fine-tuned model"),
        ({"task_config": "/m/c.yaml", "task_checkpoint": "/m/c.ckpt"}, "either the model"),
        ({"dates": ()}, "at least one date"),
        ({"outputs": {"segment": "/o/flood.tif", "areas": "/o/flood.tif.txt"}}, "ending in .csv"),
        ({"outputs": {"areas": "/o/a.csv"}}, "output file for the segment"),
        ({"inputs": (InputRaster("/d/s2_x.tif", "S2L2A"),)}, "given per date and once"),
        ({"outputs": {"segment": "/d/dem.tif"}}, "is the input file"),
    ],
)
def test_invalid_segment_specs_are_refused(change, message):
    with pytest.raises(InputError, match=message):
        validate_spec(_spec(**change))


def test_output_may_not_replace_the_model_files():
    spec = _spec(task_model=None, task_config="/m/ft.yaml", task_checkpoint="/m/weights.tif")
    with pytest.raises(InputError, match="is the input file '/m/weights.tif'"):
        validate_spec(JobSpec(**{**spec.__dict__, "outputs": {"segment": "/m/weights.tif"}}))


def test_dates_are_only_for_segment():
    spec = JobSpec(task=Task.LULC, inputs=(), outputs={"lulc": "/o/l.tif"}, dates=_spec().dates)
    with pytest.raises(InputError, match="Dated input sets"):
        validate_spec(spec)
