"""LULC (VQVAE) and S1GRD (DiVAE) tokenizers against reference fixture g (docs/model.md §7).

Seeded weights come from the fixture's weight units; decoding uses the stored initial noise.
"""

from __future__ import annotations

import pytest
import torch
from helpers.fixtures import assemble_state_dict, load_fixture

from terramind_qgis.core import FULL_MODEL_REGISTRY
from terramind_qgis.core.errors import InputError
from terramind_qgis.core.terramind.tokenizers import build_tokenizer_module

CASE = "g_tokenizers_lulc_s1grd"
pytestmark = pytest.mark.slow


def _load(run) -> torch.nn.Module:
    meta = run["model"]
    model = FULL_MODEL_REGISTRY.build(meta["name"], **meta["build_kwargs"])
    # assign=True shares the cached seeded tensors instead of copying ~1 GB per tokenizer
    model.load_state_dict(assemble_state_dict(meta), strict=True, assign=True)
    return model.eval()


@pytest.fixture(scope="module")
def lulc():
    return _load(load_fixture(CASE)["runs"][0])


@pytest.fixture(scope="module")
def s1grd():
    return _load(load_fixture(CASE)["runs"][1])


@pytest.mark.parametrize("index", [0, 1])
def test_tokenizer_state_dict_keys_and_shapes_equal_reference(index):
    meta = load_fixture(CASE)["runs"][index]["model"]
    with torch.device("meta"):  # shapes only, no memory
        model = build_tokenizer_module(meta["name"].rsplit("_", 1)[-1].upper())
    shapes = {k: list(v.shape) for k, v in model.state_dict().items()}
    assert shapes == {k: list(s) for k, s in zip(meta["state_dict_keys"], meta["state_dict_shapes"])}


def _check_encode(model, run):
    enc = run["expected"]["encode"]
    with torch.inference_mode():
        out = model.encode(enc["input"])
    torch.testing.assert_close(
        out.latent, enc["latent"], rtol=0, atol=run["tolerance"]["encode_latent"]["atol"]
    )
    # the smallest distance to an FSQ rounding boundary (1e-4 / 2e-3) is far above the latent error
    assert out.tokens.dtype == torch.int32
    assert torch.equal(out.tokens, enc["tokens"])
    assert torch.equal(out.codes, enc["quant"])


def test_lulc_tokenizer_encodes_class_map_like_reference(lulc):
    _check_encode(lulc, load_fixture(CASE)["runs"][0])


def test_lulc_tokenizer_decodes_tokens_to_reference_logits(lulc):
    run = load_fixture(CASE)["runs"][0]
    dec = run["expected"]["decode"]
    with torch.inference_mode():
        out = lulc.decode_tokens(dec["tokens"])
    assert out.shape == (1, 10, 128, 128)
    torch.testing.assert_close(out, dec["output"], rtol=0, atol=run["tolerance"]["decode"]["atol"])


def test_s1grd_tokenizer_encodes_image_like_reference(s1grd):
    _check_encode(s1grd, load_fixture(CASE)["runs"][1])


def test_s1grd_diffusion_decoding_from_fixture_noise_matches_reference(s1grd):
    run = load_fixture(CASE)["runs"][1]
    dec = run["expected"]["decode"]
    noise = dec["diffusion"]["initial_noise"]
    atol = run["tolerance"]["decode"]["atol"]
    steps = []
    with torch.inference_mode():
        first = s1grd.decoder(noise, 999, s1grd.quantize.codes_from_tokens(dec["tokens"]))
        out = s1grd.decode_tokens(
            dec["tokens"], timesteps=10, noise=noise, callback=lambda i, n: steps.append((i, n))
        )
    torch.testing.assert_close(first, dec["diffusion"]["first_unet_output"], rtol=0, atol=atol)
    torch.testing.assert_close(out, dec["output"], rtol=0, atol=atol)
    assert steps == [(i, 10) for i in range(1, 11)]
    assert out.abs().max() <= 1.0  # clipped x0 of the last DDIM step


def test_s1grd_decoding_is_reproducible_with_a_seeded_generator(s1grd):
    tokens = torch.randint(0, 15360, (2, 2, 2), generator=torch.Generator().manual_seed(0))
    with torch.inference_mode():
        a = s1grd.decode_tokens(tokens, timesteps=1, generator=torch.Generator().manual_seed(3))
        b = s1grd.decode_tokens(tokens, timesteps=1, generator=torch.Generator().manual_seed(3))
        c = s1grd.decode_tokens(tokens, timesteps=1, generator=torch.Generator().manual_seed(4))
    assert a.shape == (2, 2, 32, 32)
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_diffusion_decoding_rejects_tiles_that_are_not_multiples_of_32(s1grd):
    with pytest.raises(InputError, match="multiple of 32"):
        s1grd.decode_tokens(torch.zeros(1, 3, 3, dtype=torch.long), timesteps=1)  # 48 px
    with pytest.raises(InputError, match="square"):
        s1grd.decode_tokens(torch.zeros(1, 2, 4, dtype=torch.long), timesteps=1)


def test_tokenizer_rejects_out_of_range_ids_and_classes(lulc):
    with pytest.raises(InputError, match="0..4374"):
        lulc.decode_tokens(torch.full((1, 2, 2), 4375))
    with pytest.raises(InputError, match="0..9"):
        lulc.encode(torch.full((1, 32, 32), 10))
