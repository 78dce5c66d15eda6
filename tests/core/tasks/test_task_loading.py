"""Loading fine-tunes: TerraTorch YAML configs and checkpoints in the Lightning and plain layouts, read with
``weights_only=True``; pickled metadata becomes inert, bad keys are named."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from helpers.task_models import write_config

from terramind_qgis.core import InputError, WeightsError, build_task_model
from terramind_qgis.core.tasks.checkpoint import read_task_checkpoint
from terramind_qgis.core.tasks.config import read_task_config
from terramind_qgis.core.tasks.loading import load_task_model

CONFIG = """\
model:
  class_path: terratorch.tasks.SemanticSegmentationTask
  init_args:
    model_factory: EncoderDecoderFactory
    class_names: [Others, Water]
    tiled_inference_parameters: {h_crop: 256, h_stride: 208, w_crop: 256, w_stride: 208}
    model_args:
      backbone: terramind_v1_tiny
      backbone_pretrained: true
      backbone_modalities: [S2L2A, S1RTC]
      backbone_use_temporal: true
      backbone_temporal_pooling: concat
      backbone_temporal_n_timestamps: 2
      necks:
        - {name: SelectIndices, indices: [2, 5, 8, 11]}
        - {name: ReshapeTokensToImage, remove_cls_token: false}
        - {name: LearnedInterpolateToPyramidal}
      decoder: UNetDecoder
      decoder_channels: [32, 16, 8, 8]
      head_dropout: 0.1
      num_classes: 2
data:
  class_path: impactmesh.impactmesh_datamodule.ImpactMeshDataModule
  init_args:
    batch_size: 8
    means: {S2L2A: [1460.264, 1499.629, 1663.836, 1651.188, 2056.615, 2747.754, 2990.725, 3074.264,
                    3130.254, 3578.565, 2111.968, 1501.892], S1RTC: [-9.871, -15.993]}
    stds: {S2L2A: [2587.746, 2477.497, 2315.289, 2303.498, 2283.186, 2087.282, 2048.065, 2099.017,
                   2008.163, 3010.72, 1332.457, 1162.548], S1RTC: [4.028, 3.899]}
"""


class HyperParameters:
    """Arbitrary class in a Lightning checkpoint's metadata (stands for jsonargparse namespaces etc.)."""

    def __init__(self) -> None:
        self.loss = "dice"


def _side_effect(path: str) -> None:
    Path(path).write_text("code ran")


class Payload:
    """Unpickling this would call _side_effect: a loader that runs pickled code creates the file."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (_side_effect, (self.marker,))


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    path = tmp_path_factory.mktemp("cfg") / "flood.yaml"
    path.write_text(CONFIG)
    return read_task_config(path)


@pytest.fixture(scope="module")
def trained(config):
    torch.manual_seed(7)
    model = build_task_model(config.model_args, pretrained_backbone=False)
    with torch.no_grad():  # make BatchNorm statistics non-trivial, as after training
        for name, buf in model.named_buffers():
            if name.endswith("running_var"):
                buf.uniform_(0.5, 2.0)
            elif name.endswith("running_mean"):
                buf.normal_(0, 0.1)
    return model


def _inputs():
    g = torch.Generator().manual_seed(1)
    return {
        "S2L2A": torch.randn(1, 12, 2, 64, 64, generator=g),
        "S1RTC": torch.randn(1, 2, 2, 64, 64, generator=g),
    }


def _lightning(model, path, marker):
    state = {f"model.{k}": v for k, v in model.state_dict().items()}
    state["criterion.weight"] = torch.tensor([0.3, 1.3])  # loss buffer of the task, not of the model
    torch.save(
        {
            "epoch": 16,
            "global_step": 3567,
            "pytorch-lightning_version": "2.6.1",
            "state_dict": state,
            "hyper_parameters": {"model_args": {"backbone": "terramind_v1_tiny"}, "ns": HyperParameters()},
            "callbacks": {"ModelCheckpoint": {"payload": Payload(marker)}},
            "optimizer_states": [{"state": {}, "param_groups": [{"lr": 1e-4}]}],
        },
        path,
    )
    return path


def test_config_gives_model_args_statistics_classes_and_tiling(config):
    assert config.model_args["decoder"] == "UNetDecoder"
    assert config.means["S1RTC"] == [-9.871, -15.993] and len(config.stds["S2L2A"]) == 12
    assert config.class_names == ["Others", "Water"]
    assert (config.tile_size, config.stride) == (256, 208)


@pytest.mark.parametrize("layout", ["lightning", "plain"])
def test_checkpoint_in_either_layout_gives_the_trained_outputs(config, trained, tmp_path, layout):
    marker = tmp_path / "marker.txt"
    path = tmp_path / "ft.ckpt"
    if layout == "lightning":
        _lightning(trained, path, marker)
    else:
        torch.save(trained.state_dict(), path)
    ckpt = read_task_checkpoint(path)
    assert ckpt.layout == layout
    model = load_task_model(config, path)
    with torch.inference_mode():
        torch.testing.assert_close(model(_inputs()), trained(_inputs()), rtol=0, atol=0)
    assert not marker.exists(), "pickled code was executed"
    if layout == "lightning":
        assert ckpt.ignored == ("criterion.weight",)
        assert any(name.endswith("HyperParameters") for name in ckpt.stand_ins)
        assert any(name.endswith("_side_effect") for name in ckpt.stand_ins)


def test_keys_that_do_not_fit_are_named(config, trained, tmp_path):
    sd = dict(trained.state_dict())
    del sd["head.head.2.bias"]
    sd["decoder.extra.weight"] = torch.zeros(1)
    sd["neck.2.fpn2.0.bias"] = torch.zeros(5)
    path = tmp_path / "bad.pt"
    torch.save(sd, path)
    with pytest.raises(WeightsError) as err:
        load_task_model(config, path)
    message = str(err.value)
    assert "missing keys: head.head.2.bias" in message
    assert "unexpected keys: decoder.extra.weight" in message
    assert "neck.2.fpn2.0.bias (file (5,), model (192,))" in message


def test_a_pickled_model_object_is_refused(config, trained, tmp_path):
    path = tmp_path / "whole.pt"
    torch.save(trained.head, path)
    with pytest.raises(WeightsError, match="pickled .*SegmentationHead object"):
        read_task_checkpoint(path)


def test_unsupported_and_broken_configs_are_named(tmp_path):
    path = tmp_path / "cls.yaml"
    path.write_text(CONFIG.replace("SemanticSegmentationTask", "ClassificationTask"))
    with pytest.raises(InputError, match="ClassificationTask"):
        read_task_config(path)
    path.write_text("model: [unclosed")
    with pytest.raises(InputError, match="not a readable YAML"):
        read_task_config(path)
    path.write_text(CONFIG[: CONFIG.index("    means:")] + "    means: [1.0, 2.0]\n")
    with pytest.raises(InputError, match="means must be given per modality"):
        read_task_config(path)


def test_band_subset_fine_tune_loads_and_takes_its_bands_from_full_rasters(tmp_path):
    """``backbone_bands``: the patch embedding holds only the chosen bands; the predictor picks them (in the
    config's order) out of the raster's pretrained band order."""
    from terramind_qgis.core.tasks.predictor import plan_model_inputs

    bands = ["RED", "GREEN", "BLUE", "NIR_BROAD"]
    args = {
        "backbone": "terramind_v1_tiny",
        "backbone_modalities": ["S2L2A"],
        "backbone_bands": {"S2L2A": bands},
        "necks": [
            {"name": "SelectIndices", "indices": [-1]},
            {"name": "ReshapeTokensToImage", "remove_cls_token": False},
        ],
        "decoder": "FCNDecoder",
        "decoder_channels": 16,
        "decoder_num_convs": 4,
        "num_classes": 2,
    }
    torch.manual_seed(4)
    trained = build_task_model(args)
    assert trained.state_dict()["encoder.encoder_embeddings.untok_sen2l2a@224.proj.weight"].shape == (
        192,
        4 * 256,
    )
    path = tmp_path / "bands.pt"
    torch.save(trained.state_dict(), path)
    config = read_task_config(write_config(tmp_path / "bands.yaml", args))
    model = load_task_model(config, path)
    x = {"S2L2A": torch.randn(1, 4, 64, 64)}
    with torch.inference_mode():
        torch.testing.assert_close(model(x), trained(x), rtol=0, atol=0)
    (plan,) = plan_model_inputs(model, config, ["S2L2A@0"], 1)
    assert plan.bands == (3, 2, 1, 7) and len(plan.mean) == 4  # TerraMind's statistics of those bands
