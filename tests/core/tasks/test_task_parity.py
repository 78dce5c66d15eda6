"""Parity of build_task_model with TerraTorch on seeded weights (shared/fixtures/terramind_tasks)."""

from __future__ import annotations

import pytest
import torch
from helpers.task_fixtures import TASK_CASES, load_task_fixture, task_state_dict

from terramind_qgis.core import build_task_model


@pytest.fixture(scope="module", params=TASK_CASES)
def case(request):
    fx = load_task_fixture(request.param)
    model = build_task_model(fx["model_args"])
    return fx, model


def test_state_dict_keys_and_shapes_equal_terratorch(case):
    fx, model = case
    ours = {k: list(v.shape) for k, v in model.state_dict().items()}
    ref = {k: list(fx["state_dict_shapes"][k]) for k in fx["state_dict_keys"]}
    assert sorted(set(ours) - set(ref)) == [] and sorted(set(ref) - set(ours)) == []
    assert {k: s for k, s in ours.items() if ref[k] != s} == {}


def test_logits_match_terratorch_within_fixture_tolerance(case):
    fx, model = case
    weights = fx["weights"]
    model.load_state_dict(task_state_dict(fx["state_dict_shapes"], weights["seed"], weights["tied_groups"]))
    with torch.inference_mode():
        logits = model(fx["inputs"])
    expected = fx["expected"]["logits"]
    assert logits.shape == expected.shape
    torch.testing.assert_close(logits, expected, rtol=0, atol=fx["tolerance"]["logits_atol"])
    agreement = (logits.argmax(1) == fx["expected"]["classes"]).double().mean().item()
    assert agreement >= fx["tolerance"]["class_agreement_min"]


def test_inputs_are_the_standardized_raw_values(case):
    """The fixture's standardization rule, as the pipeline applies it to file values."""
    from terramind_qgis.core.tasks.standardize import standardize_array

    fx, _ = case
    st = fx["standardization"]
    for name, raw in fx["raw_inputs"].items():
        ours = standardize_array(raw.numpy(), st["means"][name], st["stds"][name], axis=1)
        torch.testing.assert_close(torch.from_numpy(ours), fx["inputs"][name], rtol=0, atol=0)
