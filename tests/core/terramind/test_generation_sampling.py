"""Token sampling: argmax at temperature 0, top-k / top-p filters, seeded generators (docs/model.md §6.4)."""

from __future__ import annotations

import math

import torch

from terramind_qgis.core.terramind.sampling import filter_logits, sample_tokens


def test_temperature_zero_is_argmax_without_filtering():
    logits = torch.randn(2, 5, 11, generator=torch.Generator().manual_seed(1))
    assert torch.equal(sample_tokens(logits, 0.0, top_k=1, top_p=0.1), logits.argmax(-1))


def test_top_p_keeps_the_token_that_crosses_the_threshold():
    probs = torch.tensor([[0.5, 0.3, 0.15, 0.05]])
    out = filter_logits(probs.log(), top_p=0.7)
    assert torch.isfinite(out).tolist() == [[True, True, False, False]]  # 0.5 < 0.7, 0.8 crosses -> kept
    out = filter_logits(probs.log(), top_p=0.4)
    assert torch.isfinite(out).tolist() == [[True, False, False, False]]  # top-1 always kept


def test_top_k_keeps_k_largest():
    logits = torch.tensor([[0.1, 2.0, -1.0, 1.5]])
    assert torch.isfinite(filter_logits(logits, top_k=2)).tolist() == [[False, True, False, True]]


def test_sampling_is_reproducible_with_a_seeded_generator_and_respects_filters():
    logits = torch.randn(1, 400, 50, generator=torch.Generator().manual_seed(2))
    a = sample_tokens(logits, 1.0, top_k=3, generator=torch.Generator().manual_seed(7))
    b = sample_tokens(logits, 1.0, top_k=3, generator=torch.Generator().manual_seed(7))
    c = sample_tokens(logits, 1.0, top_k=3, generator=torch.Generator().manual_seed(8))
    assert torch.equal(a, b) and not torch.equal(a, c)
    top3 = logits.topk(3, dim=-1).indices
    assert (top3 == a.unsqueeze(-1)).any(-1).all()


def test_high_temperature_spreads_choices():
    logits = torch.tensor([[[math.log(0.9), math.log(0.1)]]]).expand(1, 2000, 2)
    picks = sample_tokens(logits, 50.0, generator=torch.Generator().manual_seed(0))
    assert 0.4 < picks.float().mean().item() < 0.6  # T -> inf flattens 0.9/0.1 towards 0.5/0.5
