"""Processing algorithm: TerraMind patch embeddings and their PCA colour map."""

from __future__ import annotations

from ..core.jobs import Task
from .base import TerraMindAlgorithm


class PatchEmbeddingsAlgorithm(TerraMindAlgorithm):
    """``terramind:patch_embeddings``: encoder embeddings per 16x16 patch, plus a 3-band PCA map."""

    OUTPUT_EMBEDDINGS = "OUTPUT_EMBEDDINGS"
    OUTPUT_PCA = "OUTPUT_PCA"
    algorithm_id = "patch_embeddings"
    task = Task.EMBEDDINGS
    outputs = (
        (OUTPUT_PCA, "pca"),
        (OUTPUT_EMBEDDINGS, "embeddings"),
    )

    def _help(self) -> str:
        return self.tr(
            "Computes TerraMind encoder embeddings, one vector per 16 x 16 pixel patch (160 m for 10 m "
            "input), and writes them as a multi-band GeoTIFF at patch resolution. A PCA fitted once over the "
            "whole area maps them to a 3-band false-colour image in which similar surfaces get similar "
            "colours."
        )
