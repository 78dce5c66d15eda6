"""FSQ quantiser (docs/model.md §7.2) against the spec's check value and fixture g."""

from __future__ import annotations

import pytest
import torch
from helpers.fixtures import load_fixture

from terramind_qgis.core.terramind.fsq import IMAGE_LEVELS, LULC_LEVELS, FiniteScalarQuantizer


def test_fsq_quantize_matches_spec_check_value():
    # docs/model.md §7.2: latent (0, -10, 10, 0.3, -0.3) -> code (4/7, 0, 1, 0.6, 0.5), index 8132
    # (sigmoid(0) * 7 = 3.5 rounds half to even -> 4)
    fsq = FiniteScalarQuantizer(IMAGE_LEVELS)
    latent = torch.tensor([0.0, -10.0, 10.0, 0.3, -0.3]).reshape(1, 5, 1, 1)
    codes, tokens = fsq.quantize(latent)
    torch.testing.assert_close(codes.flatten(), torch.tensor([4 / 7, 0.0, 1.0, 0.6, 0.5]))
    assert tokens.dtype == torch.int32
    assert tokens.item() == 8132


@pytest.mark.parametrize(("levels", "vocab"), [(IMAGE_LEVELS, 15360), (LULC_LEVELS, 4375)])
def test_fsq_codes_from_tokens_round_trips_every_id(levels, vocab):
    fsq = FiniteScalarQuantizer(levels)
    assert fsq.vocab_size == vocab
    ids = torch.arange(vocab).reshape(1, 1, vocab)
    codes = fsq.codes_from_tokens(ids)  # (1, 5, 1, V)
    assert codes.min() >= 0 and codes.max() <= 1
    latent = torch.logit(codes.double()).float()  # sigmoid(latent) * (L - 1) lands exactly on the level
    assert torch.equal(fsq.quantize(latent).tokens.long(), ids)


@pytest.mark.parametrize(("index", "levels"), [(0, LULC_LEVELS), (1, IMAGE_LEVELS)])
def test_fsq_matches_reference_codes_and_tokens(index, levels):
    run = load_fixture("g_tokenizers_lulc_s1grd")["runs"][index]
    fsq = FiniteScalarQuantizer(levels)
    dec, enc = run["expected"]["decode"], run["expected"]["encode"]
    assert torch.equal(fsq.codes_from_tokens(dec["tokens"]), dec["codes"])
    codes, tokens = fsq.quantize(enc["latent"])
    assert torch.equal(codes, enc["quant"])
    assert torch.equal(tokens, enc["tokens"])
