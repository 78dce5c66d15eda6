"""Backbone parity with the reference (fixtures a-d, tests/fixtures/terramind/README.md).

Every run is rebuilt from the fixture alone: registry name and build kwargs, seeded weights from the
weight units, inputs and call; outputs are compared with rtol=0 and the run's recorded atol.
"""

from __future__ import annotations

import pytest
import torch
from helpers.fixtures import assemble_state_dict, backbone_runs, expected_layers, load_fixture, run_inputs

from terramind_qgis.core import BACKBONE_REGISTRY
from terramind_qgis.core.terramind.embeddings import build_2d_sincos_posemb


def _build_loaded(run):
    """Reference recipe: build, load the checkpoint-shaped seeded weights (strict), then select bands."""
    meta = run["model"]
    model = BACKBONE_REGISTRY.build(meta["name"], **meta["build_kwargs"])
    model.load_state_dict(assemble_state_dict(meta, keys=model.state_dict().keys()), strict=True)
    if meta.get("bands"):
        model.select_bands(meta["bands"])
    return model


def _assert_close(actual, expected, atol, what):
    if isinstance(expected, dict):
        assert list(actual) == list(expected), what
        for k in expected:
            _assert_close(actual[k], expected[k], atol, f"{what}[{k}]")
        return
    torch.testing.assert_close(actual, expected, rtol=0.0, atol=atol, msg=lambda m: f"{what}: {m}")


@pytest.mark.parametrize(("case", "index"), backbone_runs())
def test_backbone_matches_reference_layer_outputs(case, index):
    fx = load_fixture(case)
    run = fx["runs"][index]
    model = _build_loaded(run)
    with torch.inference_mode():
        layers = model(run_inputs(fx, run), all_layers=True)
    assert len(layers) == run["expected"]["num_layers"]
    for i, expected in expected_layers(run).items():
        _assert_close(layers[i], expected, run["tolerance"]["atol"], f"{case}/{run['name']} layer {i}")


@pytest.mark.parametrize(("case", "index"), backbone_runs())
def test_backbone_state_dict_keys_and_shapes_equal_reference(case, index):
    run = load_fixture(case)["runs"][index]
    meta = run["model"]
    model = _build_loaded(run)
    sd = model.state_dict()
    assert list(sd) == list(meta["state_dict_keys"])
    assert [list(v.shape) for v in sd.values()] == [list(s) for s in meta["state_dict_shapes"]]


@pytest.mark.parametrize(("case", "index"), backbone_runs())
def test_backbone_last_layer_default_output_equals_layer_list_tail(case, index):
    fx = load_fixture(case)
    run = fx["runs"][index]
    model = _build_loaded(run)
    out = model.predict(run_inputs(fx, run))
    last = run["expected"]["num_layers"] - 1
    _assert_close(out, expected_layers(run)[last], run["tolerance"]["atol"], f"{case}/{run['name']} last")


@pytest.mark.parametrize("case", ["a_tiny_s2l2a_s1grd_merges", "b_base_s2l2a_mean"])
def test_sincos_pos_emb_matches_reference_construction(case):
    for key, expected in load_fixture(case)["reference_sincos_pos_emb"].items():
        dim = expected.shape[-1]
        torch.testing.assert_close(build_2d_sincos_posemb(14, 14, dim), expected, rtol=0.0, atol=1e-6)
        model = BACKBONE_REGISTRY.build(
            f"terramind_v1_{'tiny' if dim == 192 else 'base'}", modalities=["S2L2A"]
        )
        torch.testing.assert_close(model.state_dict()[key], expected, rtol=0.0, atol=1e-6)
