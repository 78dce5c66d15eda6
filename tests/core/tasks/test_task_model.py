"""General pieces of build_task_model beyond the two parity fixtures: poolings, necks, decoders, heads,
refusals and sizes (shapes and keys; numbers are checked against the per-date backbone where they can be)."""

from __future__ import annotations

import pytest
import torch

from terramind_qgis.core import InputError, build_task_model
from terramind_qgis.core.tasks.temporal import TemporalWrapper
from terramind_qgis.core.terramind.encoder import build_backbone

NECKS = [
    {"name": "SelectIndices", "indices": [2, 5, 8, 11]},
    {"name": "ReshapeTokensToImage", "remove_cls_token": False},
    {"name": "LearnedInterpolateToPyramidal"},
]


def _args(**over):
    args = {
        "backbone": "terramind_v1_tiny",
        "backbone_pretrained": False,
        "backbone_modalities": ["S2L2A", "S1RTC"],
        "necks": NECKS,
        "decoder": "UNetDecoder",
        "decoder_channels": [64, 32, 16, 8],
        "num_classes": 3,
    }
    args.update(over)
    return args


def _inputs(t=None, size=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    lead = (1, 12) if t is None else (1, 12, t)
    lead1 = (1, 2) if t is None else (1, 2, t)
    return {
        "S2L2A": torch.randn(*lead, size, size, generator=g),
        "S1RTC": torch.randn(*lead1, size, size, generator=g),
    }


@pytest.fixture(scope="module")
def backbone():
    torch.manual_seed(0)
    return build_backbone("tiny", modalities=["S2L2A", "S1RTC"])


@pytest.mark.parametrize("pooling", ["mean", "max", "diff", "concat"])
def test_temporal_pooling_equals_pooling_the_per_date_backbone_outputs(backbone, pooling):
    t = 2
    x = _inputs(t=t, size=32)
    wrapper = TemporalWrapper(backbone, pooling, n_timestamps=t)
    with torch.inference_mode():
        pooled = wrapper(x)
        per_date = [backbone({k: v[:, :, i] for k, v in x.items()}, all_layers=True) for i in range(t)]
    for layer, out in enumerate(pooled):
        dates = torch.stack([d[layer] for d in per_date], dim=1)  # (B, T, N, D)
        expected = {
            "mean": dates.mean(1),
            "max": dates.amax(1),
            "diff": dates[:, 0] - dates[:, 1],
            "concat": torch.cat([dates[:, 0], dates[:, 1]], dim=-1),
        }[pooling]
        torch.testing.assert_close(out, expected, rtol=0, atol=1e-5)
    assert wrapper.out_channels == [192 * (t if pooling == "concat" else 1)] * 12


def test_subset_lengths_average_groups_before_pooling(backbone):
    x = _inputs(t=3, size=32)
    wrapper = TemporalWrapper(backbone, "diff", subset_lengths=[1, 2])
    with torch.inference_mode():
        out = wrapper(x)[-1]
        dates = [backbone({k: v[:, :, i] for k, v in x.items()}) for i in range(3)]
    torch.testing.assert_close(out, dates[0] - (dates[1] + dates[2]) / 2, rtol=0, atol=1e-5)
    with pytest.raises(InputError, match="built for 3 dates"):
        wrapper(_inputs(t=4, size=32))


def test_keep_pooling_keeps_dates(backbone):
    wrapper = TemporalWrapper(backbone, "keep")
    with torch.inference_mode():
        out = wrapper(_inputs(t=2, size=32))
    assert out[0].shape == (1, 2, 4, 192)


def test_n_date_model_refuses_other_date_counts():
    model = build_task_model(
        _args(
            backbone_use_temporal=True, backbone_temporal_pooling="concat", backbone_temporal_n_timestamps=2
        )
    )
    assert model.temporal and model.num_dates == 2
    with torch.inference_mode():
        assert model(_inputs(t=2)).shape == (1, 3, 64, 64)
        with pytest.raises(InputError, match="built for 2 dates; the inputs have 3"):
            model(_inputs(t=3))


def test_base_flood_architecture_keys_and_shapes():
    """The published Flood/Fire layout on the base backbone: 4 dates concat, UNet [512, 256, 128, 64]."""
    model = build_task_model(
        _args(
            backbone="terramind_v1_base",
            backbone_modalities=["S2L2A", "S1RTC", "DEM"],
            backbone_use_temporal=True,
            backbone_temporal_pooling="concat",
            backbone_temporal_n_timestamps=4,
            decoder_channels=[512, 256, 128, 64],
            head_dropout=0.1,
            num_classes=2,
        )
    )
    sd = model.state_dict()
    assert sd["neck.2.fpn1.0.weight"].shape == (3072, 1536, 2, 2)
    assert sd["decoder.decoder.blocks.0.conv1.0.weight"].shape == (512, 6144, 3, 3)
    assert sd["decoder.decoder.blocks.3.conv1.0.weight"].shape == (64, 128, 3, 3)
    assert sd["head.head.2.weight"].shape == (2, 64, 1, 1)
    assert "encoder.encoder.encoder.11.mlp.fc3.weight" in sd


def test_fcn_decoder_and_extra_head_layers_shapes():
    model = build_task_model(
        _args(
            necks=[
                {"name": "SelectIndices", "indices": [-1]},
                {"name": "ReshapeTokensToImage", "remove_cls_token": False},
            ],
            decoder="FCNDecoder",
            decoder_channels=32,
            decoder_num_convs=2,
            head_channel_list=[16, 8],
            head_dropout=0.2,
        )
    )
    sd = model.state_dict()
    assert sd["decoder.convs.0.0.weight"].shape == (192, 32, 2, 2)
    assert sd["decoder.convs.1.2.ln.weight"].shape == (32,)
    assert sd["head.head.0.0.0.weight"].shape == (16, 32, 3, 3)
    assert sd["head.head.0.1.0.weight"].shape == (8, 16, 3, 3)
    assert sd["head.head.2.weight"].shape == (3, 8, 1, 1)
    with torch.inference_mode():
        assert model(_inputs(size=64)).shape == (1, 3, 64, 64)


def test_interpolate_to_pyramidal_and_upernet():
    necks = [*NECKS[:2], {"name": "InterpolateToPyramidal"}]
    model = build_task_model(_args(necks=necks, decoder="UperNetDecoder", decoder_channels=32))
    with torch.inference_mode():
        assert model(_inputs(size=64)).shape == (1, 3, 64, 64)


def test_sizes_not_a_multiple_of_32_are_padded_and_cropped_back():
    model = build_task_model(_args())
    with torch.inference_mode():
        out = model(_inputs(size=48))
    assert out.shape == (1, 3, 48, 48)


@pytest.mark.parametrize(
    ("over", "named"),
    [
        ({"backbone": "prithvi_eo_v2_300"}, "backbone='prithvi_eo_v2_300'"),
        ({"decoder": "SMPDecoder"}, "decoder='SMPDecoder'"),
        ({"peft_config": {"method": "LORA"}}, "peft_config"),
        ({"backbone_temporal_pooling": "mean"}, "backbone_temporal_pooling need backbone_use_temporal"),
        ({"backbone_use_temporal": True, "backbone_temporal_pooling": "keep"}, "'keep'"),
        ({"backbone_use_temporal": True, "backbone_temporal_pooling": "concat"}, "n_timestamps"),
        ({"decoder_attention_type": "scse"}, "decoder_attention_type"),
        ({"head_activation": "relu"}, "head_activation"),
        ({"backbone_tim_modalities": ["LULC"]}, "backbone_tim_modalities"),
        ({"backbone_merge_method": "dict"}, "backbone_merge_method='dict'"),
        ({"necks": [{"name": "AddBottleneckLayer"}]}, "AddBottleneckLayer"),
    ],
)
def test_unsupported_options_are_refused_by_name(over, named):
    with pytest.raises(InputError, match=named.replace("(", r"\(").replace("[", r"\[")):
        build_task_model(_args(**over))


def test_missing_modality_is_named():
    model = build_task_model(_args())
    with pytest.raises(InputError, match="Missing input.*S1RTC"):
        model({"S2L2A": torch.zeros(1, 12, 32, 32)})
