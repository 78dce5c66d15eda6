"""Patched UNet of the diffusion decoders (docs/model.md §7.3): key layout and attention."""

from __future__ import annotations

import math

import pytest
import torch
from helpers.fixtures import load_fixture

from terramind_qgis.core.terramind.unet import AttentionBlock, GroupNorm32, PatchedUNet, timestep_embedding


def test_unet_state_dict_equals_reference_decoder_keys_and_shapes():
    meta = load_fixture("g_tokenizers_lulc_s1grd")["runs"][1]["model"]
    pairs = zip(meta["state_dict_keys"], meta["state_dict_shapes"])
    expected = {k[len("decoder.") :]: tuple(s) for k, s in pairs if k.startswith("decoder.")}
    with torch.device("meta"):
        unet = PatchedUNet(2)
    assert [(k, tuple(v.shape)) for k, v in unet.state_dict().items()] == list(expected.items())


@pytest.mark.parametrize(("channels", "in_conv"), [(12, 197), (2, 37), (1, 21)])
def test_unet_input_conv_takes_patchified_image_then_codes(channels, in_conv):
    with torch.device("meta"):
        unet = PatchedUNet(channels)
    assert tuple(unet.input_blocks[0][0].weight.shape) == (256, in_conv, 3, 3)  # docs/model.md §7.3: 16C + 5
    assert tuple(unet.out[2].weight.shape) == (16 * channels, 256, 3, 3)


def test_timestep_embedding_puts_cosines_first():
    emb = timestep_embedding(torch.tensor([0, 999]), 256)
    assert torch.equal(emb[0, :128], torch.ones(128)) and torch.equal(emb[0, 128:], torch.zeros(128))
    freqs = torch.exp(-math.log(10000) * torch.arange(128, dtype=torch.float32) / 128)
    torch.testing.assert_close(emb[1, :128], torch.cos(999 * freqs))


def test_attention_block_sdpa_equals_legacy_qkv_attention():
    torch.manual_seed(0)
    block = AttentionBlock(64)
    x = torch.randn(2, 64, 7, 7)
    flat = x.reshape(2, 64, 49)
    qkv = block.qkv(block.norm(flat))
    q, k, v = qkv.split(64, dim=1)  # legacy order, one head
    scale = 1 / math.sqrt(math.sqrt(64))
    w = torch.softmax(torch.einsum("bct,bcs->bts", q * scale, k * scale), dim=-1)
    legacy = flat + block.proj_out(torch.einsum("bts,bcs->bct", w, v))
    torch.testing.assert_close(block(x), legacy.reshape(2, 64, 7, 7), rtol=0, atol=1e-5)


def test_group_norm_of_bfloat16_on_the_cpu_equals_the_float32_norm_rounded_once():
    torch.manual_seed(0)
    norm = GroupNorm32(256)
    torch.nn.init.normal_(norm.weight)
    torch.nn.init.normal_(norm.bias)
    x = (3 * torch.randn(2, 256, 28, 28) + 1).bfloat16()
    expected = torch.nn.functional.group_norm(x.float(), 32, norm.weight, norm.bias, norm.eps)
    with torch.inference_mode():
        got = norm(x)
    assert got.dtype == torch.bfloat16
    # within one bfloat16 rounding (8 significant bits) of the float32 result
    assert ((got.float() - expected).abs() <= expected.abs() * 2**-8 + 1e-6).all()
