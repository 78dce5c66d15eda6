"""TerraMindViT beyond the fixtures: held-back seeds and sizes, input handling and clear errors."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from helpers.checkpoints import official_checkpoint_layout
from helpers.fixtures import seeded_state_dict

from terramind_qgis.core import BACKBONE_REGISTRY, InputError
from terramind_qgis.core.terramind.encoder import TerraMindViT, build_backbone
from terramind_qgis.core.terramind.modalities import RAW_MODALITIES
from terramind_qgis.core.terramind.registry import Registry, config_for
from terramind_qgis.core.terramind.weights import filter_checkpoint


def _seeded_tiny(modalities, seed, merge_method="mean", size="tiny"):
    model = build_backbone(size, modalities=modalities, merge_method=merge_method)
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    model.load_state_dict(seeded_state_dict(shapes, seed))
    return model


def _naive_forward(sd: dict, cfg, inputs: dict, keys: dict) -> torch.Tensor:
    """Straight transcription of docs/model.md §3.3, §5.1-5.4 (explicit softmax, unfold patches)."""
    D, P, h = cfg.dim, 16, cfg.num_heads
    seq = []
    for name, x in inputs.items():
        pre = f"encoder_embeddings.{keys[name]}."
        B, C, H, W = x.shape
        cols = F.unfold(x, kernel_size=P, stride=P)  # (B, C*P*P, N), feature index c*P*P + ph*P + pw
        cols = cols.reshape(B, C, P * P, -1).permute(0, 3, 2, 1).reshape(B, -1, P * P * C)  # channel fastest
        tokens = cols @ sd[pre + "proj.weight"].T
        table = sd[pre + "pos_emb"].reshape(1, 14, 14, D).permute(0, 3, 1, 2)
        pos = F.interpolate(table, size=(H // P, W // P), mode="bicubic", align_corners=False)
        seq.append(tokens + pos.flatten(2).transpose(1, 2) + sd[pre + "mod_emb"])
    x = torch.cat(seq, dim=1)

    def norm(t, pre):
        mu, var = t.mean(-1, keepdim=True), t.var(-1, unbiased=False, keepdim=True)
        return (t - mu) / torch.sqrt(var + 1e-6) * sd[pre + ".weight"] + sd[pre + ".bias"]

    def lin(t, pre):
        out = t @ sd[pre + ".weight"].T
        return out + sd[pre + ".bias"] if pre + ".bias" in sd else out

    for i in range(cfg.depth):
        b = f"encoder.{i}."
        B, N, _ = x.shape
        q, k, v = lin(norm(x, b + "norm1"), b + "attn.qkv").reshape(B, N, 3, h, D // h).permute(2, 0, 3, 1, 4)
        attn = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D // h), dim=-1)
        x = x + lin((attn @ v).transpose(1, 2).reshape(B, N, D), b + "attn.proj")
        y = norm(x, b + "norm2")
        if cfg.gated:
            y = lin(F.silu(lin(y, b + "mlp.fc1")) * lin(y, b + "mlp.fc3"), b + "mlp.fc2")
        else:
            y = lin(F.gelu(lin(y, b + "mlp.fc1")), b + "mlp.fc2")
        x = x + y
    x = norm(x, "encoder_norm")
    return torch.stack(torch.split(x, x.shape[1] // len(inputs), dim=1), dim=1).mean(1)


@pytest.mark.parametrize(
    ("size", "seed", "hw"), [("tiny", 1, (64, 96)), ("tiny", 7, (224, 224)), ("small", 3, (48, 32))]
)
def test_backbone_matches_naive_transcription_for_held_back_seeds_and_sizes(size, seed, hw):
    torch.manual_seed(seed)
    inputs = {"S1GRD": torch.randn(2, 2, *hw), "DEM": torch.randn(2, 1, *hw)}
    model = _seeded_tiny(list(inputs), seed, size=size)
    with torch.inference_mode():
        expected = _naive_forward(model.state_dict(), config_for(size), inputs,
                                  {n: model.mod_name_mapping[n] for n in inputs})  # fmt: skip
        torch.testing.assert_close(model(inputs), expected, rtol=0.0, atol=2e-5)


def test_merge_none_token_blocks_follow_input_order():
    model = _seeded_tiny(["S2L2A", "S1RTC"], seed=2, merge_method=None)
    s2, s1 = torch.randn(1, 12, 32, 48), torch.randn(1, 2, 32, 48)
    fwd = model.predict({"S2L2A": s2, "S1RTC": s1})
    rev = model.predict({"S1RTC": s1, "S2L2A": s2})
    n = 2 * 3
    torch.testing.assert_close(rev, torch.cat([fwd[:, n:], fwd[:, :n]], dim=1), rtol=0.0, atol=1e-5)


def test_plain_tensor_is_first_modality_and_batch_items_are_independent():
    model = _seeded_tiny(["S1GRD", "DEM"], seed=4)
    x = torch.randn(3, 2, 32, 32)
    full = model.predict(x)
    assert full.shape == (3, 4, 192)
    torch.testing.assert_close(model.predict({"S1GRD": x[1:2]}), full[1:2], rtol=0.0, atol=1e-5)


def test_all_layers_returns_depth_entries_and_dict_merge_keys():
    model = _seeded_tiny(["S2L1C", "RGB"], seed=5, merge_method="dict")
    out = model.predict(
        {"RGB": torch.randn(1, 3, 32, 32), "S2L1C": torch.randn(1, 13, 32, 32)}, all_layers=True
    )
    assert len(out) == 12 and list(out[0]) == ["RGB", "S2L1C"]
    assert out[-1]["RGB"].shape == (1, 4, 192)


def test_concat_with_missing_modality_appends_missing_token_features():
    model = _seeded_tiny(["S2L2A", "S1GRD", "DEM"], seed=6, merge_method="concat")
    out = model.predict({"DEM": torch.randn(2, 1, 32, 32)})
    assert out.shape == (2, 4, 3 * 192) and model.out_channels[-1] == 3 * 192
    torch.testing.assert_close(out[..., 192:], model.missing_mod_token.detach().repeat(2, 4, 2))


def test_alias_names_reach_the_configured_embedding():
    model = _seeded_tiny(["S2L2A"], seed=0)
    x = torch.randn(1, 12, 32, 32)
    torch.testing.assert_close(model.predict({"s2l2a": x}), model.predict({"S2L2A": x}))


@pytest.mark.parametrize("size", ["tiny", "small", "base", "large"])
def test_every_size_has_the_official_checkpoint_keys_and_shapes(size):
    with torch.device("meta"):
        model = TerraMindViT(config_for(size), list(RAW_MODALITIES))
    shapes, _ = official_checkpoint_layout(size)
    ckpt = {k: torch.empty(s, device="meta") for k, s in shapes.items()}
    kept, report = filter_checkpoint(ckpt, model.state_dict())
    assert report.missing == () and report.mismatched == ()
    assert (
        len(kept)
        == len(model.state_dict())
        == 3 * 6 + 2 + config_for(size).depth * (12 if size in ("tiny", "small") else 9)
    )


@pytest.mark.parametrize(("dtype", "atol"), [("bfloat16", 0.15), ("float16", 0.02)])  # 8 / 11 mantissa bits
def test_half_precision_output_is_close_to_float32(dtype, atol):
    model = _seeded_tiny(["S2L2A"], seed=8)
    x = torch.randn(1, 12, 64, 64)
    ref = model.predict(x)
    half = build_backbone("tiny", modalities=["S2L2A"], dtype=dtype)
    half.load_state_dict(model.state_dict())
    out = half.predict(x)  # float32 input is cast to the weights' dtype
    assert out.dtype == getattr(torch, dtype)
    torch.testing.assert_close(out.float(), ref, rtol=0.0, atol=atol)


def test_registry_lists_every_size_and_rejects_unknown_names():
    assert {f"terramind_v1_{s}" for s in ("tiny", "small", "base", "large")} <= set(BACKBONE_REGISTRY.names())
    assert "terramind_v1_tiny" in BACKBONE_REGISTRY
    with pytest.raises(InputError, match="terramind_v1_huge.*terramind_v1_base"):
        BACKBONE_REGISTRY.build("terramind_v1_huge")
    model = BACKBONE_REGISTRY.build("terramind_v1_small", modalities=["S1RTC"], merge_method="max")
    assert isinstance(model, TerraMindViT) and not model.training and model.config.dim == 384


def test_registry_register_decorator_refuses_a_second_builder_under_one_name():
    registry = Registry("test")
    registry.register("a")(lambda: 1)
    with pytest.raises(ValueError, match="already registered"):
        registry.register("a")(lambda: 2)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_matches_cpu():
    model = _seeded_tiny(["S2L2A"], seed=9)
    x = torch.randn(2, 12, 224, 224)
    ref = model.predict(x)
    out = build_backbone("tiny", modalities=["S2L2A"], device="cuda")
    out.load_state_dict(model.state_dict())
    torch.testing.assert_close(out.predict(x.cuda()).cpu(), ref, rtol=0.0, atol=1e-4)


# -- errors -------------------------------------------------------------------------------------------


def test_unknown_modality_lists_valid_ones():
    with pytest.raises(InputError, match="Unknown modality 'Landsat'.*S2L2A.*S1GRD.*DEM"):
        build_backbone("tiny", modalities=["Landsat"])


def test_unknown_band_lists_valid_bands():
    with pytest.raises(InputError, match="THERMAL.*COASTAL_AEROSOL, BLUE"):
        build_backbone("tiny", modalities=["S2L2A"], bands={"S2L2A": ["RED", "THERMAL"]})


def test_bands_for_unconfigured_modality_is_rejected():
    with pytest.raises(InputError, match="not a configured modality"):
        build_backbone("tiny", modalities=["S2L2A"], bands={"S1GRD": ["VV"]})


def test_unknown_merge_method_and_dtype_are_rejected():
    with pytest.raises(InputError, match="merge_method"):
        build_backbone("tiny", merge_method="sum")
    with pytest.raises(InputError, match="dtype"):
        build_backbone("tiny", dtype="int8")


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (torch.randn(1, 12, 224, 230), "multiples of 16"),
        (torch.randn(1, 12, 100, 224), "multiples of 16"),
        (torch.randn(1, 10, 224, 224), "10 channels.*expects 12.*COASTAL_AEROSOL"),
        (torch.randn(12, 224, 224), r"\(B, C, H, W\)"),
    ],
)
def test_bad_input_shapes_raise_input_error(x, message):
    model = build_backbone("tiny", modalities=["S2L2A"])
    with pytest.raises(InputError, match=message):
        model.predict({"S2L2A": x})


def test_nan_input_raises_input_error_naming_modality():
    model = build_backbone("tiny", modalities=["S2L2A", "S1GRD"])
    s1 = torch.randn(1, 2, 32, 32)
    s1[0, 1, 3, 4] = float("nan")
    with pytest.raises(InputError, match="S1GRD input contains NaN"):
        model.predict({"S2L2A": torch.randn(1, 12, 32, 32), "S1GRD": s1})
    s1[0, 1, 3, 4] = -float("inf")
    with pytest.raises(InputError, match="S1GRD input contains NaN or infinite"):
        model.predict({"S2L2A": torch.randn(1, 12, 32, 32), "S1GRD": s1})


def test_finite_input_whose_sum_overflows_is_accepted():
    model = build_backbone("tiny", modalities=["S1GRD"])
    x = torch.full((1, 2, 32, 32), 3e37)  # finite values; their float32 sum is inf
    assert not torch.isfinite(x.sum())
    assert model.predict({"S1GRD": x}).shape[:2] == (1, 4)


def test_unconfigured_input_and_empty_input_raise():
    model = build_backbone("tiny", modalities=["S2L2A"])
    with pytest.raises(InputError, match="configured: S2L2A"):
        model.predict({"DEM": torch.randn(1, 1, 32, 32)})
    with pytest.raises(InputError, match="No input"):
        model.predict({})


def test_mean_merge_of_different_grids_raises():
    model = build_backbone("tiny", modalities=["S2L2A", "DEM"])
    with pytest.raises(InputError, match="same pixel grid"):
        model.predict({"S2L2A": torch.randn(1, 12, 32, 32), "DEM": torch.randn(1, 1, 64, 32)})


def test_band_subset_checks_channel_count_against_selected_bands():
    model = build_backbone("tiny", modalities=["S2L2A"], bands={"S2L2A": ["RED", "GREEN", "BLUE"]})
    assert model.state_dict()["encoder_embeddings.untok_sen2l2a@224.proj.weight"].shape == (192, 768)
    assert model.predict(torch.randn(1, 3, 32, 32)).shape == (1, 4, 192)
    with pytest.raises(InputError, match="expects 3 \\(RED, GREEN, BLUE\\)"):
        model.predict(torch.randn(1, 12, 32, 32))
