"""Transformer layers: SDPA attention against the reference's explicit softmax, norms, MLP widths, keys."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from terramind_qgis.core.terramind.layers import Attention, Block, CrossAttention, DecoderBlock, LayerNorm


def _explicit_attention(q, k, v, scale, mask):
    """The reference's path: logits * scale, masked_fill(-finfo.max) where mask is True, softmax."""
    attn = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        attn = attn.masked_fill(mask.unsqueeze(1), -torch.finfo(attn.dtype).max)
    return attn.softmax(dim=-1) @ v


def test_self_attention_matches_explicit_softmax_with_mask_and_blocked_row():
    torch.manual_seed(0)
    attn = Attention(192, 3)
    x = torch.randn(2, 7, 192)
    mask = torch.rand(2, 7, 7) > 0.6
    mask[0, 2] = True  # fully blocked row: uniform weights in the reference, not NaN
    B, N, D = x.shape
    q, k, v = attn.qkv(x).reshape(B, N, 3, 3, 64).permute(2, 0, 3, 1, 4)
    expected = attn.proj(_explicit_attention(q, k, v, 64**-0.5, mask).transpose(1, 2).reshape(B, N, D))
    torch.testing.assert_close(attn(x, mask), expected, rtol=0.0, atol=1e-6)
    assert torch.isfinite(attn(x, mask)).all()


def test_cross_attention_matches_explicit_softmax_with_mask():
    torch.manual_seed(1)
    xa = CrossAttention(128, 2, qkv_bias=False, proj_bias=False)
    x, ctx = torch.randn(3, 5, 128), torch.randn(3, 9, 128)
    mask = torch.rand(3, 1, 9) > 0.5  # (B, 1, M): same context mask for every query
    q = xa.q(x).reshape(3, 5, 2, 64).transpose(1, 2)
    k, v = xa.kv(ctx).reshape(3, 9, 2, 2, 64).permute(2, 0, 3, 1, 4)
    expected = xa.proj(_explicit_attention(q, k, v, 0.125, mask).transpose(1, 2).reshape(3, 5, 128))
    torch.testing.assert_close(xa(x, ctx, mask), expected, rtol=0.0, atol=1e-6)


def test_bias_free_layernorm_keeps_zero_bias_buffer_in_state_dict():
    ln = LayerNorm(8)
    assert list(ln.state_dict()) == ["weight", "bias"]
    assert [n for n, _ in ln.named_parameters()] == ["weight"]
    assert ln.eps == 1e-6 and torch.equal(ln.bias, torch.zeros(8))
    x = torch.randn(4, 8)
    torch.testing.assert_close(ln(x), nn.functional.layer_norm(x, (8,), eps=1e-6))


@pytest.mark.parametrize(("dim", "hidden"), [(768, 2048), (1024, 2730)])  # docs/model.md §1.2 SwiGLU widths
def test_gated_block_mlp_width_and_keys(dim, hidden):
    block = Block(dim, dim // 64, qkv_bias=False, proj_bias=False, mlp_bias=False, gated=True)
    shapes = {k: tuple(v.shape) for k, v in block.state_dict().items()}
    assert shapes["mlp.fc1.weight"] == (hidden, dim) and shapes["mlp.fc3.weight"] == (hidden, dim)
    assert shapes["mlp.fc2.weight"] == (dim, hidden)
    assert not any(k.endswith(".bias") and not k.startswith("norm") for k in shapes)


def test_block_accepts_tokenizer_style_layernorm_with_bias():
    block = Block(64, 1, norm_layer=lambda d: nn.LayerNorm(d, eps=1e-6))
    assert "norm1.bias" in dict(block.named_parameters())
    assert block(torch.randn(2, 3, 64)).shape == (2, 3, 64)


def test_decoder_block_key_order_matches_reference():
    keys = [k.rsplit(".", 1)[0] for k in DecoderBlock(64, 1).state_dict()]
    order = list(dict.fromkeys(keys))
    assert order == [
        *("norm1", "self_attn.qkv", "self_attn.proj", "cross_attn.q", "cross_attn.kv", "cross_attn.proj"),
        *("query_norm", "context_norm", "norm2", "mlp.fc1", "mlp.fc2"),
    ]
