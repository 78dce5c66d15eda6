"""The model wrappers: per-tile diffusion noise, embedding maps, task -> model, missing weights."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from terramind_qgis.core.errors import WeightsError
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.predictor import (
    EmbeddingPredictor,
    GenerationPredictor,
    build_predictor,
    generated_modality,
    tile_noise,
)
from terramind_qgis.core.terramind.standardize import standardize


class RecordingGenerator(torch.nn.Module):
    """Stands in for TerraMindGeneration: returns its starting noise (or zeros) as the output."""

    def __init__(self, modality, channels):
        super().__init__()
        self.modality, self.channels, self.kwargs = modality, channels, None

    def forward(self, d, **kwargs):
        self.kwargs = kwargs
        x = next(iter(d.values()))
        noise = (kwargs.get("noise") or {}).get(self.modality)
        out = noise if noise is not None else torch.zeros(x.shape[0], self.channels, *x.shape[2:])
        return {self.modality: out}


def _spec(task=Task.S1GRD, **kw):
    return JobSpec(task=task, inputs=(InputRaster("/x.tif", "S2L2A"),), outputs={}, seed=3, timesteps=2, **kw)


def test_diffusion_noise_depends_on_the_tile_not_on_its_place_in_the_batch():
    cpu = torch.device("cpu")
    pred = GenerationPredictor(RecordingGenerator("S1GRD", 2), "S1GRD", _spec(), cpu, torch.float32, {})
    x = np.zeros((3, 12, 64, 64), np.float32)
    together = pred({"S2L2A": x}, [(0, 0), (0, 32), (32, 0)])
    alone = pred({"S2L2A": x[:1]}, [(0, 32)])
    np.testing.assert_array_equal(together[1], alone[0])
    assert not np.array_equal(together[0], together[1])
    np.testing.assert_array_equal(alone[0], tile_noise(3, 0, 32, (2, 64, 64)).numpy())
    kw = pred.model.kwargs
    assert (kw["timesteps"], kw["seed"], kw["temperature"], kw["top_p"]) == (2, 3, 0.0, 0.8)


def test_lulc_needs_no_noise():
    cpu = torch.device("cpu")
    pred = GenerationPredictor(
        RecordingGenerator("LULC", 10), "LULC", _spec(Task.LULC), cpu, torch.float32, {}
    )
    out = pred({"S2L2A": np.zeros((2, 12, 32, 32), np.float32)}, [(0, 0), (0, 16)])
    assert out.shape == (2, 10, 32, 32) and pred.model.kwargs["noise"] is None


class RecordingBackbone(torch.nn.Module):
    """Stands in for TerraMindViT: token n of image b has features (b, n, mean of the S2 input)."""

    def forward(self, d):
        x = d["S2L2A"]
        b, _, h, w = x.shape
        n = (h // 16) * (w // 16)
        tokens = torch.zeros(b, n, 3)
        tokens[:, :, 0] = torch.arange(b)[:, None]
        tokens[:, :, 1] = torch.arange(n)[None]
        tokens[:, :, 2] = x.mean(dim=(1, 2, 3))[:, None]
        return tokens


def test_embedding_map_is_row_major_on_the_patch_grid_and_inputs_are_standardised():
    pred = EmbeddingPredictor(RecordingBackbone(), 3, torch.device("cpu"), torch.float32, {})
    x = np.full((2, 12, 48, 64), 1500.0, np.float32)
    out = pred({"S2L2A": x}, [(0, 0), (0, 16)])
    assert out.shape == (2, 3, 3, 4)  # (B, D, H/16, W/16)
    np.testing.assert_array_equal(out[1, 0], 1)
    np.testing.assert_array_equal(out[0, 1], np.arange(12).reshape(3, 4))  # token i*4 + j at patch (i, j)
    expected = float(standardize(torch.from_numpy(x[:1]), "S2L2A").mean())
    assert out[0, 2, 0, 0] == pytest.approx(expected, rel=1e-5)


def test_task_to_generated_modality():
    assert generated_modality(_spec(Task.LULC)) == "LULC"
    assert generated_modality(_spec(Task.S1GRD)) == "S1GRD"
    assert generated_modality(_spec(Task.GENERATE, output_modality="DEM")) == "DEM"
    assert generated_modality(_spec(Task.EMBEDDINGS)) is None


def test_missing_weights_offline_raise_weights_error(tmp_path):
    spec = JobSpec(
        Task.EMBEDDINGS,
        (InputRaster("/x.tif", "S2L2A"),),
        {},
        weights_dir=str(tmp_path),
        offline=True,
        cache_dir=str(tmp_path / "hub"),
        device="cpu",
    )
    with pytest.raises(WeightsError, match="TerraMind_v1_tiny"):
        build_predictor(spec, ["S2L2A"])


def test_diffusion_steps_are_forwarded_to_on_step():
    pred = GenerationPredictor(
        RecordingGenerator("S1GRD", 2), "S1GRD", _spec(), torch.device("cpu"), torch.float32, {}
    )
    seen = []
    pred({"S2L2A": np.zeros((1, 12, 32, 32), np.float32)}, [(0, 0)], on_step=lambda s, n: seen.append((s, n)))
    pred.model.kwargs["progress"]("S1GRD", 4, 10)  # what TerraMindGeneration calls after each DDIM step
    assert seen == [(4, 10)]
