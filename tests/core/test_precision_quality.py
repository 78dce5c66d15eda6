"""bfloat16 against float32 on the real TerraMesh scenes, through the job's predictor (seeded tiny weights).

Automatic precision is bfloat16 on CPUs that compute it natively (``core.device.choose_precision``); these
checks force bfloat16, so they run on any CPU (emulated, slower, where it is not native). The limits
and the values measured on the development machine are in the README (Performance, bfloat16) and
docs/precision.md. Seeded random weights give flatter logits than the trained model, so class agreement
here is a lower bound of what trained weights give.
"""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers.paths import SAMPLE_IDS, example
from helpers.session_weights import seeded_weights_dir

from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.predictor import build_predictor

pytestmark = pytest.mark.slow

#: Limits, documented in the README next to the measured values.
MIN_LULC_AGREEMENT = 0.98  # share of pixels with the float32 class, per scene (measured 0.9915-0.9953)
LULC_FLIP_MARGIN = 0.1  # a pixel may change class only where float32's top-2 logit gap is below this
# (measured: largest gap of a changed pixel 0.032, largest change of a logit 0.038)
MAX_S1_MEAN_ABS_DB = 0.1  # mean |bfloat16 - float32| of generated VV/VH, dB (measured 0.050)
MAX_S1_P99_ABS_DB = 0.5  # 99th percentile of the same, dB (measured 0.22)
MIN_EMBEDDING_COSINE = 0.9995  # every patch vector (measured min 0.999987)


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return str(seeded_weights_dir(tmp_path_factory))


def _scenes(samples=SAMPLE_IDS) -> np.ndarray:
    """The TerraMesh S2L2A scenes as a (B, 12, 224, 224) float32 batch of raw DN."""
    tiles = []
    for sample in samples:
        with rasterio.open(example("S2L2A", sample)) as src:
            tiles.append(src.read().astype(np.float32))
    return np.stack(tiles)


def _both(weights: str, task: Task, batch: np.ndarray) -> dict[str, np.ndarray]:
    """The predictor's output in float32 and in bfloat16 for the same tiles."""
    out = {}
    origins = [(0, 224 * i) for i in range(len(batch))]
    for precision in ("float32", "bfloat16"):
        spec = JobSpec(
            task=task,
            inputs=(InputRaster(str(example("S2L2A")), "S2L2A"),),
            outputs={},
            weights_dir=weights,
            offline=True,
            device="cpu",
            precision=precision,
        )
        predictor = build_predictor(spec, ["S2L2A"])
        assert predictor.provenance["TERRAMIND_PRECISION"] == precision
        out[precision] = predictor({"S2L2A": batch}, origins)
    return out


def test_lulc_classes_agree_and_change_only_at_near_ties(weights):
    out = _both(weights, Task.LULC, _scenes())
    ref, low = out["float32"], out["bfloat16"]
    top2 = np.sort(ref, axis=1)[:, -2:]
    margin = top2[:, 1] - top2[:, 0]  # (B, H, W) float32 gap between the best two classes
    changed = ref.argmax(1) != low.argmax(1)
    agreement = 1 - changed.mean(axis=(1, 2))
    print(
        "LULC class agreement per scene:",
        np.round(agreement, 4),
        "largest gap of a changed pixel:",
        margin[changed].max() if changed.any() else 0.0,
    )
    assert agreement.min() >= MIN_LULC_AGREEMENT
    assert not (changed & (margin >= LULC_FLIP_MARGIN)).any()


def test_generated_s1_differs_by_hundredths_of_a_decibel(weights):
    batch = _scenes(("282D_485L_3_3", "433D_629L_3_1"))  # coast with sea, farmland with a town
    out = _both(weights, Task.S1GRD, batch)
    err = np.abs(out["bfloat16"] - out["float32"])
    print(f"S1 |dB error|: mean {err.mean():.4f}, p99 {np.percentile(err, 99):.4f}, max {err.max():.4f}")
    assert err.mean() <= MAX_S1_MEAN_ABS_DB
    assert np.percentile(err, 99) <= MAX_S1_P99_ABS_DB


def test_embeddings_point_the_same_way(weights):
    out = _both(weights, Task.EMBEDDINGS, _scenes())
    ref, low = out["float32"], out["bfloat16"]  # (B, D, 14, 14)
    cos = (ref * low).sum(1) / (np.linalg.norm(ref, axis=1) * np.linalg.norm(low, axis=1))
    print(f"embedding cosine: min {cos.min():.6f}, mean {cos.mean():.6f}")
    assert cos.min() >= MIN_EMBEDDING_COSINE
