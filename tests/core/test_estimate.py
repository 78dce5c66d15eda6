"""Pre-flight estimate: tile count, disk use and the cost model's scaling."""

from __future__ import annotations

import pytest
from helpers.paths import BIGEARTHNET, SEN1FLOODS

from terramind_qgis.core.device import MatmulRates, measure_matmul_rates
from terramind_qgis.core.errors import InputError
from terramind_qgis.core.estimate import (
    EFFICIENCY,
    UNET_STEP_GFLOP,
    estimate_job,
    seconds_per_tile,
)
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task

S2 = str(SEN1FLOODS / "Spain_7370579_S2Hand.tif")


def _spec(task=Task.LULC, **kw):
    kw.setdefault("device", "cpu")
    return JobSpec(task=task, inputs=(InputRaster(S2, "S2L1C"),), outputs={}, **kw)


def test_estimate_counts_tiles_and_output_bytes_of_the_real_scene():
    est = estimate_job(_spec())  # 512 px, 224 tiles, overlap 32: origins 0, 192, 288 per axis
    assert est.tiles == 9 and est.disk_bytes == 512 * 512  # uint8 classes
    emb = estimate_job(_spec(Task.EMBEDDINGS, model_size="base", embedding_dtype="float16"))
    assert emb.disk_bytes == 32 * 32 * (768 * 2 + 3)  # 16 px patches, D = 768 half floats + PCA RGB
    ben = str(BIGEARTHNET / "S2B_MSIL2A_20170924T93020_69_24_S2L2A_12band.tif")
    small = estimate_job(JobSpec(Task.LULC, (InputRaster(ben, "S2L2A"),), {}, device="cpu"))
    assert small.tiles == 1 and small.seconds < est.seconds


def test_cost_model_scales_with_steps_size_tile_and_device():
    one, ten = (
        seconds_per_tile(_spec(Task.S1GRD, timesteps=1)),
        seconds_per_tile(_spec(Task.S1GRD, timesteps=10)),
    )
    assert ten - one == pytest.approx(
        9 * UNET_STEP_GFLOP / (100.0 * EFFICIENCY["float32"]["unet"])
    )  # typical CPU: 100 GFLOP/s
    assert seconds_per_tile(_spec(Task.EMBEDDINGS, model_size="large")) > seconds_per_tile(
        _spec(Task.EMBEDDINGS)
    )
    assert seconds_per_tile(_spec(tile_size=448)) == pytest.approx(4 * seconds_per_tile(_spec()))
    assert seconds_per_tile(_spec(device="cuda")) < seconds_per_tile(_spec())


def test_estimate_reports_bad_inputs_like_run_job():
    with pytest.raises(InputError, match="does not exist"):
        estimate_job(JobSpec(Task.LULC, (InputRaster("/nope.tif", "S2L2A"),), {}))


def test_calibrated_rate_drives_the_estimate():
    rates = measure_matmul_rates("cpu", seconds=0.1)
    gflops = rates.gflops["float32"]
    assert 0.1 < gflops < 1e5  # a real measurement of this CPU, float32
    spec = _spec(Task.S1GRD, precision="float32")
    double = MatmulRates({"float32": 2 * gflops})
    assert seconds_per_tile(spec, rates) == pytest.approx(2 * seconds_per_tile(spec, double))
    slow = estimate_job(spec, MatmulRates({"float32": gflops / 10}))
    fast = estimate_job(spec, rates)
    assert slow.tiles == fast.tiles and slow.seconds > 5 * fast.seconds


def test_the_estimate_counts_at_the_precision_the_job_runs_in():
    rates = MatmulRates({"float32": 200.0, "bfloat16": 800.0}, auto="bfloat16")
    auto, fp32 = _spec(Task.S1GRD), _spec(Task.S1GRD, precision="float32")
    unet = UNET_STEP_GFLOP * 9
    steps = seconds_per_tile(_spec(Task.S1GRD, timesteps=10), rates) - seconds_per_tile(
        _spec(Task.S1GRD, timesteps=1), rates
    )
    assert steps == pytest.approx(unet / (800.0 * EFFICIENCY["bfloat16"]["unet"]))
    assert seconds_per_tile(auto, rates) < seconds_per_tile(fp32, rates)
    # Fine-tuned task models stay float32 under "auto"; a precision that was not measured counts as float32.
    segment = _spec(Task.SEGMENT, task_model="TerraMind-base-Flood")
    assert seconds_per_tile(segment, rates) == seconds_per_tile(
        _spec(Task.SEGMENT, task_model="TerraMind-base-Flood", precision="float32"), rates
    )
    only_fp32 = MatmulRates({"float32": 200.0})
    assert seconds_per_tile(auto, only_fp32) == seconds_per_tile(fp32, only_fp32)


def test_finer_embedding_strides_count_their_shifted_passes():
    coarse, fine = (
        estimate_job(_spec(Task.EMBEDDINGS)),
        estimate_job(_spec(Task.EMBEDDINGS, embedding_stride=8)),
    )
    assert (coarse.passes, fine.passes) == (1, 4) and fine.tiles == coarse.tiles
    assert seconds_per_tile(_spec(Task.EMBEDDINGS, embedding_stride=4)) == pytest.approx(
        16 * seconds_per_tile(_spec(Task.EMBEDDINGS))
    )
    assert fine.disk_bytes == 64 * 64 * (192 * 4 + 3)  # 8 px cells of the 512 px scene, tiny D = 192


def test_a_backbone_job_is_built_from_the_encoder_tensors_only(tmp_path_factory):
    """Embeddings take the encoder blocks' tensors from the memory-mapped checkpoint; generation reads
    whole files (the backbone and its tokenizer)."""
    import torch
    from helpers.session_weights import seeded_weights_dir

    from terramind_qgis.core.checkpoints import (
        APPROX_BYTES,
        backbone_checkpoint_name,
        tokenizer_checkpoint_name,
    )
    from terramind_qgis.core.estimate import checkpoint_bytes

    path = seeded_weights_dir(tmp_path_factory) / "TerraMind_v1_tiny.pt"
    state = torch.load(path, weights_only=True, mmap=True)
    blocks = sum(t.numel() * t.element_size() for k, t in state.items() if k.startswith("encoder."))
    assert 0.95 < checkpoint_bytes(_spec(Task.EMBEDDINGS)) / blocks < 1.05
    assert checkpoint_bytes(_spec(Task.LULC)) == (
        APPROX_BYTES[backbone_checkpoint_name("tiny")] + APPROX_BYTES[tokenizer_checkpoint_name("LULC")]
    )
