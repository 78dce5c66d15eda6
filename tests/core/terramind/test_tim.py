"""Thinking-in-Modalities backbone against reference fixture f (docs/model.md §8)."""

from __future__ import annotations

import pytest
import torch
from helpers.fixtures import assemble_state_dict, expected_layers, load_fixture, run_inputs

from terramind_qgis.core import BACKBONE_REGISTRY
from terramind_qgis.core.errors import InputError
from terramind_qgis.core.terramind.registry import config_for
from terramind_qgis.core.terramind.tim import TerraMindTiM

CASE = "f_tiny_tim_s2l2a_lulc"


@pytest.fixture(scope="module")
def run():
    return load_fixture(CASE)["runs"][0]


@pytest.fixture(scope="module")
def model(run):
    meta = run["model"]
    tim = BACKBONE_REGISTRY.build(meta["name"], **meta["build_kwargs"])
    # assign=True shares the cached seeded tensors (the unused LULC tokenizer alone is 0.7 GB)
    tim.load_state_dict(assemble_state_dict(meta), strict=True, assign=True)
    return tim.eval()


def test_tim_state_dict_keys_shapes_and_shared_embeddings_equal_reference(model, run):
    meta = run["model"]
    sd = model.state_dict()
    assert set(sd) == set(meta["state_dict_keys"])
    assert all(
        list(sd[k].shape) == list(s) for k, s in zip(meta["state_dict_keys"], meta["state_dict_shapes"])
    )
    with torch.device("meta"):  # a fresh model shows the ties (assign=True above replaces Parameters)
        fresh = TerraMindTiM(config_for("tiny"), ["S2L2A"], ["LULC"])
    gen = fresh.sampler.model
    for key in ("untok_sen2l2a@224", "tok_lulc@224"):  # the very same modules in both copies (README)
        assert gen.encoder_embeddings[key] is fresh.encoder_embeddings[key]
    assert gen.decoder_embeddings["tok_lulc@224"].mod_emb is fresh.encoder_embeddings["tok_lulc@224"].mod_emb
    assert gen.encoder is not fresh.encoder
    assert not any(p.requires_grad for p in gen.decoder.parameters())


def test_tim_generates_reference_tokens_and_layer_outputs(model, run):
    fx = load_fixture(CASE)
    inputs = run_inputs(fx, run)
    exp = run["expected"]
    with torch.inference_mode():
        tokens = model.generate_tim_tokens(model._inputs(inputs, {}))
        layers = model(inputs, all_layers=True)
    ref = exp["tim"]["LULC"]
    differ = tokens["tok_lulc@224"].reshape(1, -1) != ref["tokens"]
    assert (ref["logits_summary"]["margin_top1_top2"][differ] < run["tolerance"]["atol"]).all()
    assert len(layers) == exp["num_layers"]
    for i, expected in expected_layers(run).items():
        torch.testing.assert_close(
            layers[i], expected, rtol=0, atol=run["tolerance"]["atol"], msg=f"layer {i}"
        )


@pytest.mark.parametrize(
    ("merge", "shape"), [("dict", None), (None, (1, 392, 192)), ("concat", (1, 196, 384))]
)
def test_tim_merges_include_tim_tokens_except_dict(model, merge, shape):
    x = load_fixture(CASE)["inputs"]["S2L2A"]
    model.merge_method = merge
    try:
        with torch.inference_mode():
            out = model({"S2L2A": x})
    finally:
        model.merge_method = "mean"
    if merge == "dict":  # the reference returns the real inputs only
        assert list(out) == ["S2L2A"] and out["S2L2A"].shape == (1, 196, 192)
    else:  # S2L2A tokens, then the generated LULC tokens
        assert out.shape == shape


def test_tim_rejects_band_subsets_and_sequence_modalities():
    with pytest.raises(InputError, match="Band subsets"):
        BACKBONE_REGISTRY.build("terramind_v1_tiny_tim", modalities=["S2L2A"], bands={"S2L2A": ["RED"]})
    with pytest.raises(InputError, match="tim_modalities"):
        BACKBONE_REGISTRY.build("terramind_v1_tiny_tim", modalities=["S2L2A"], tim_modalities=["coords"])
