"""Small deterministic stand-ins for the TerraMind predictor (same contract as ``core.predictor.Predictor``).

They let the pipeline's tiling, blending, IO and PCA be tested without model weights. Each is a pure
function of its input tile, so results can be compared across tilings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable

import numpy as np

from terramind_qgis.core.jobs import JobSpec

SCALE = {
    "S2L2A": (1500.0, 1000.0),
    "S2L1C": (1500.0, 1000.0),
    "RGB": (100.0, 50.0),
    "S1GRD": (-15.0, 5.0),
    "S1RTC": (-15.0, 5.0),
    "DEM": (500.0, 500.0),
}  # fixed (offset, scale) per modality


class LocalFake:
    """A local (3x3 box-filtered) fixed linear map of all input bands: translation-equivariant.

    Args:
        out_channels: C_out.
        out_scale: 1 for pixel outputs, 16 to average-pool to patches (embedding-like).
        context: weight of the tile-wide mean added to every pixel (0 = purely local); a non-zero value makes
            the output depend on the tile's extent, like a transformer's global attention.
    """

    def __init__(self, out_channels: int = 10, out_scale: int = 1, context: float = 0.0):
        self.out_channels, self.out_scale, self.context = out_channels, out_scale, context
        self.provenance = {"TERRAMIND_MODEL": "fake-local", "TERRAMIND_CHECKPOINT_SHA256": "0" * 64}
        self.calls = []  # batch sizes seen

    def __call__(
        self,
        batch: dict[str, np.ndarray],
        origins: Sequence[tuple[int, int]] = (),
        on_step: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        x = np.concatenate(
            [(v - SCALE[m][0]) / SCALE[m][1] for m, v in batch.items()], axis=1
        )  # (B, C, T, T)
        b, c, t, _ = x.shape
        self.calls.append(b)
        p = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="edge")
        smooth = sum(p[:, :, i : i + t, j : j + t] for i in range(3) for j in range(3)) / 9.0
        rng = np.random.default_rng(0)
        mix = rng.standard_normal((self.out_channels, c)) / np.sqrt(c)
        out = np.einsum("oc,bchw->bohw", mix, smooth)
        out += self.context * out.mean(axis=(2, 3), keepdims=True)
        if self.out_scale > 1:
            s = self.out_scale
            out = out.reshape(b, self.out_channels, t // s, s, t // s, s).mean(axis=(3, 5))
        return out.astype(np.float32)


class OomFake(LocalFake):
    """Raises a CUDA-like out-of-memory error for batches larger than ``max_batch``."""

    def __init__(self, max_batch: int, **kwargs):
        super().__init__(**kwargs)
        self.max_batch = max_batch

    def __call__(
        self,
        batch: dict[str, np.ndarray],
        origins: Sequence[tuple[int, int]] = (),
        on_step: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        import torch

        n = len(next(iter(batch.values())))
        if n > self.max_batch:
            self.calls.append(-n)
            raise torch.OutOfMemoryError(f"CUDA out of memory. Tried to allocate for a batch of {n}")
        return super().__call__(batch, origins)


class CpuOomFake(LocalFake):
    """Runs out of CPU memory for batches larger than ``max_batch``: it asks torch's CPU allocator for an
    impossible tensor, so the error is the genuine ``DefaultCPUAllocator: can't allocate memory``."""

    def __init__(self, max_batch: int, **kwargs):
        super().__init__(**kwargs)
        self.max_batch = max_batch

    def __call__(
        self,
        batch: dict[str, np.ndarray],
        origins: Sequence[tuple[int, int]] = (),
        on_step: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        import torch

        n = len(next(iter(batch.values())))
        if n > self.max_batch:
            self.calls.append(-n)
            torch.empty((n, 2**58), dtype=torch.uint8)  # n * 256 PiB
        return super().__call__(batch, origins)


class StepFake(LocalFake):
    """Reports ``steps`` diffusion-like steps through ``on_step`` on every batch."""

    def __init__(self, steps: int, **kwargs):
        super().__init__(**kwargs)
        self.steps = steps

    def __call__(self, batch, origins=(), on_step=None) -> np.ndarray:
        for i in range(1, self.steps + 1):
            if on_step is not None:
                on_step(i, self.steps)
        return super().__call__(batch, origins)


def factory(predictor):
    """A ``PredictorFactory`` returning ``predictor`` (records the modalities it was asked for)."""

    def build(spec: JobSpec, modalities: Sequence[str], progress: object | None = None):
        predictor.modalities = list(modalities)
        return predictor

    return build
