"""Streaming PCA fitted once over the whole area of interest, then projection to an RGB map.

The covariance is accumulated in float64 from every valid embedding vector as rows of the embedding
grid are finished, so the three components (and the colour stretch) are the same for every tile. The
products go through torch (MKL on every core of the job) rather than numpy, whose BLAS may be a slow,
single-threaded build (Debian's OpenBLAS runs its generic SSE3 kernels on CPUs it does not know).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class StreamingCovariance:
    """Running count, sum and sum of outer products of D-dimensional vectors (float64)."""

    def __init__(self, dim: int):
        self.count = 0
        self.sum = np.zeros(dim, dtype=np.float64)
        self.outer = np.zeros((dim, dim), dtype=np.float64)

    def update(self, vectors: np.ndarray) -> None:
        """Add (N, D) vectors."""
        import torch

        if len(vectors) == 0:
            return
        v = torch.from_numpy(vectors).double()
        self.count += len(v)
        self.sum += v.sum(dim=0).numpy()
        self.outer += (v.T @ v).numpy()

    def fit(self, components: int = 3) -> PcaProjection:
        """Principal axes of everything added so far.

        Raises:
            ValueError: fewer than two vectors were added.
        """
        if self.count < 2:
            raise ValueError("PCA needs at least two valid embedding vectors")
        mean = self.sum / self.count
        cov = (self.outer - self.count * np.outer(mean, mean)) / (self.count - 1)
        eigval, eigvec = np.linalg.eigh(cov)
        order = np.argsort(eigval)[::-1][:components]
        axes = eigvec[:, order].T  # (k, D)
        signs = np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])  # deterministic sign
        axes = axes * signs[:, None]
        std = np.sqrt(np.clip(eigval[order], 0.0, None))
        return PcaProjection(mean=mean, axes=axes, std=std)


@dataclass(frozen=True)
class PcaProjection:
    """A fitted PCA: ``mean`` (D,), ``axes`` (k, D) unit vectors, ``std`` (k,) standard deviation per axis."""

    mean: np.ndarray
    axes: np.ndarray
    std: np.ndarray

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """(N, D) vectors -> (N, k) principal-component scores (float32)."""
        return ((vectors.astype(np.float64) - self.mean) @ self.axes.T).astype(np.float32)

    def to_rgb(self, vectors: np.ndarray, sigmas: float = 2.5) -> np.ndarray:
        """(N, D) vectors -> (N, k) uint8 in 1..255 (0 is nodata); +-``sigmas`` std map to the ends."""
        scores = self.project(vectors) / (2 * sigmas * np.where(self.std > 0, self.std, 1.0)).astype(
            np.float32
        )
        return np.clip(np.rint((scores + 0.5) * 254 + 1), 1, 255).astype(np.uint8)
