"""run_job end to end with the real TerraMind implementation and seeded tiny checkpoints (official layout).

The weights are random but fixed, so these tests check the plumbing between the pipeline and the model:
a single-tile job must equal a direct model call on the same pixels, outputs land on the grid in the
right units, and the provenance names the checkpoint. S1GRD runs with one diffusion step on one tile
(the diffusion decoder is slow on CPU).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import rasterio
import torch
from helpers.paths import BIGEARTHNET, SEN1FLOODS, example
from helpers.session_weights import seeded_weights_dir

from terramind_qgis.core import BACKBONE_REGISTRY, FULL_MODEL_REGISTRY
from terramind_qgis.core.checkpoints import WeightsSource
from terramind_qgis.core.jobs import Area, InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import run_job
from terramind_qgis.core.terramind.standardize import standardize

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return str(seeded_weights_dir(tmp_path_factory))


@pytest.fixture(scope="module")
def s1grd_weights(tmp_path_factory, weights):
    """The session's backbone (linked) plus a seeded S1GRD tokenizer, which the shared folder leaves out."""
    from helpers.weights_dir import TOKENIZER_SEED_OFFSETS, write_tokenizer_checkpoint

    folder = tmp_path_factory.mktemp("s1grd_weights")
    (folder / "TerraMind_v1_tiny.pt").symlink_to(f"{weights}/TerraMind_v1_tiny.pt")
    write_tokenizer_checkpoint(
        "S1GRD", folder / "TerraMind_Tokenizer_S1GRD.pt", seed=TOKENIZER_SEED_OFFSETS["S1GRD"]
    )
    return str(folder)


def _spec(tmp_path, weights, task, inputs, outputs, **kw):
    kw.setdefault(
        "precision", "float32"
    )  # compared with float32 model calls; bfloat16: test_precision_quality
    return JobSpec(
        task=task,
        inputs=tuple(InputRaster(str(p), m) for p, m in inputs),
        outputs={k: str(tmp_path / v) for k, v in outputs.items()},
        weights_dir=weights,
        offline=True,
        device="cpu",
        **kw,
    )


def _raw(path):
    with rasterio.open(path) as src:
        return torch.from_numpy(src.read().astype(np.float32))[None]  # (1, C, H, W) raw DN


def test_single_tile_lulc_equals_a_direct_model_call(tmp_path, weights):
    s2 = example("S2L2A", "637U_59R_1_3")  # 224 x 224: exactly one tile, blending is the identity
    result = run_job(_spec(tmp_path, weights, Task.LULC, [(s2, "S2L2A")], {"lulc": "lulc.tif"}))
    with rasterio.open(result.outputs["lulc"]) as src:
        got, tags = src.read(1), src.tags()
        assert src.transform == rasterio.open(s2).transform
    model = FULL_MODEL_REGISTRY.build(
        "terramind_v1_tiny_generate",
        pretrained=True,
        modalities=["S2L2A"],
        output_modalities=["LULC"],
        timesteps=10,
        standardize=True,
        weights_source=WeightsSource(weights_dir=weights, offline=True),
    ).eval()
    with torch.inference_mode():
        logits = model({"S2L2A": _raw(s2)}, timesteps=10, temperature=0.0, top_p=0.8, top_k=0, seed=0)["LULC"]
    np.testing.assert_array_equal(got, logits.argmax(dim=1)[0].numpy().astype(np.uint8))
    ckpt = open(f"{weights}/TerraMind_v1_tiny.pt", "rb").read()
    assert tags["TERRAMIND_CHECKPOINT_SHA256"] == hashlib.sha256(ckpt).hexdigest()
    assert tags["TERRAMIND_MODEL"] == "terramind_v1_tiny_generate"


def test_a_job_runs_on_every_cpu_in_automatic_precision_and_restores_the_threads(tmp_path, weights):
    from terramind_qgis.core.device import choose_precision, usable_cpus

    s2 = example("S2L2A", "637U_59R_1_3")
    spec = _spec(tmp_path, weights, Task.LULC, [(s2, "S2L2A")], {"lulc": "lulc.tif"}, precision="auto")
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # as another plugin might
    try:
        inside = []
        result = run_job(spec, progress=lambda f, m: inside.append(torch.get_num_threads()))
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
    assert set(inside) == {usable_cpus()}
    with rasterio.open(result.outputs["lulc"]) as src:
        tags = src.tags()
    auto = choose_precision("auto", torch.device("cpu"))
    assert tags["TERRAMIND_PRECISION"] == auto.name and tags["TERRAMIND_PRECISION_REASON"] == auto.reason


def test_single_tile_embeddings_equal_the_backbone_on_standardised_inputs(tmp_path, weights):
    s2, s1 = example("S2L2A"), example("S1RTC")
    result = run_job(
        _spec(
            tmp_path,
            weights,
            Task.EMBEDDINGS,
            [(s2, "S2L2A"), (s1, "S1RTC")],
            {"embeddings": "emb.tif", "pca": "pca.tif"},
        )
    )
    with rasterio.open(result.outputs["embeddings"]) as src:
        got = src.read()
        assert src.transform.a == 160 and src.count == 192  # 16 px patches of 10 m; tiny D = 192
    backbone = BACKBONE_REGISTRY.build(
        "terramind_v1_tiny",
        pretrained=True,
        modalities=["S2L2A", "S1RTC"],
        merge_method="mean",
        weights_source=WeightsSource(weights_dir=weights, offline=True),
    ).eval()
    with torch.inference_mode():
        tokens = backbone({"S2L2A": standardize(_raw(s2), "S2L2A"), "S1RTC": standardize(_raw(s1), "S1RTC")})
    expected = tokens[0].T.reshape(192, 14, 14).numpy()  # (N, D) row-major patches -> (D, 14, 14)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    with rasterio.open(result.outputs["pca"]) as src:
        assert src.count == 3 and src.read().min() >= 1


def test_multi_tile_lulc_from_l1c_and_s1_in_an_area_of_interest(tmp_path, weights):
    with rasterio.open(SEN1FLOODS / "Spain_7370579_S2Hand.tif") as src:
        t = src.transform
    area = Area((t.c, t.f + 300 * t.e, t.c + 300 * t.a, t.f), "EPSG:4326")  # 300 x 300 px: 2 x 2 tiles
    inputs = [
        (SEN1FLOODS / "Spain_7370579_S2Hand.tif", "S2L1C"),
        (SEN1FLOODS / "Spain_7370579_S1Hand.tif", "S1GRD"),
    ]
    progress = []
    result = run_job(
        _spec(tmp_path, weights, Task.LULC, inputs, {"lulc": "lulc.tif"}, area=area, batch_size=2),
        progress=lambda f, m: progress.append(m),
    )
    with rasterio.open(result.outputs["lulc"]) as src:
        data = src.read(1)
    assert data.shape == (300, 300) and data.max() <= 9
    assert "Tile 4/4" in progress


def test_s1grd_is_written_in_decibels_on_a_small_scene(tmp_path, s1grd_weights):
    s2 = BIGEARTHNET / "S2B_MSIL2A_20170924T93020_69_24_S2L2A_12band.tif"  # 120 x 120: padded into one tile
    result = run_job(
        _spec(tmp_path, s1grd_weights, Task.S1GRD, [(s2, "S2L2A")], {"s1grd": "s1.tif"}, timesteps=1)
    )
    with rasterio.open(result.outputs["s1grd"]) as src:
        data = src.read()
        assert (
            src.descriptions == ("VV (dB)", "VH (dB)")
            and src.dtypes[0] == "float32"
            and src.shape == (120, 120)
        )
    # The diffusion decoder clips to [-1, 1] in standardised units (model.md §6.5): VV in [-17.8, -7.4] dB,
    # VH in [-26.2, -14.4] dB (means -12.599 / -20.293, stds 5.195 / 5.890, model.md §4.1).
    assert -17.8 <= data[0].min() and data[0].max() <= -7.4
    assert -26.2 <= data[1].min() and data[1].max() <= -14.4
    assert result.styles["s1grd"].endswith("s1.qml")


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_bfloat16_matches_cpu_float32(tmp_path, weights):
    s2 = example("S2L2A", "637U_59R_1_3")
    inputs = [(s2, "S2L2A")]
    out = {}
    for device, precision in (("cpu", "float32"), ("cuda", "bfloat16")):
        spec = _spec(
            tmp_path, weights, Task.EMBEDDINGS, inputs, {"embeddings": f"{device}.tif"}, precision=precision
        )
        spec = JobSpec.from_dict(dict(spec.to_dict(), device=device))
        with rasterio.open(run_job(spec).outputs["embeddings"]) as src:
            out[device] = src.read()
    cos = (out["cpu"] * out["cuda"]).sum(0) / (
        np.linalg.norm(out["cpu"], axis=0) * np.linalg.norm(out["cuda"], axis=0)
    )
    assert cos.min() > 0.98  # bfloat16 keeps about 3 significant digits; directions agree


def test_stride_8_embeddings_average_shifted_backbone_runs(tmp_path, weights):
    s2 = example("S2L2A", "637U_59R_1_3")  # 224 x 224: one tile
    spec = _spec(
        tmp_path, weights, Task.EMBEDDINGS, [(s2, "S2L2A")], {"embeddings": "e8.tif"}, embedding_stride=8
    )
    result = run_job(spec)
    with rasterio.open(result.outputs["embeddings"]) as src:
        got, tags = src.read(), src.tags()
        assert src.transform.a == 80 and src.shape == (28, 28)  # 8 px of 10 m
    assert tags["TERRAMIND_EMBEDDING_STRIDE"] == "8"
    backbone = BACKBONE_REGISTRY.build(
        "terramind_v1_tiny",
        pretrained=True,
        modalities=["S2L2A"],
        merge_method="mean",
        weights_source=WeightsSource(weights_dir=weights, offline=True),
    ).eval()
    raw = _raw(s2)[0].numpy()
    padded = np.pad(raw, ((0, 0), (0, 16), (0, 16)), mode="reflect")
    runs = {}
    with torch.inference_mode():
        for dy in (0, 8):
            for dx in (0, 8):
                x = torch.from_numpy(np.ascontiguousarray(padded[None, :, dy : dy + 224, dx : dx + 224]))
                runs[dy, dx] = backbone({"S2L2A": standardize(x, "S2L2A")})[0].T.reshape(192, 14, 14).numpy()
    # Output pixel (i, j) of 8 px at rows 8i: for i, j >= 1 every shift covers it.
    i, j = 5, 9
    cover = [runs[dy, dx][:, (8 * i - dy) // 16, (8 * j - dx) // 16] for dy in (0, 8) for dx in (0, 8)]
    np.testing.assert_allclose(got[:, i, j], np.mean(cover, axis=0), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(got[:, 0, 0], runs[0, 0][:, 0, 0], rtol=1e-4, atol=1e-4)
