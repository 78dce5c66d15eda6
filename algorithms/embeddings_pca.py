"""Processing algorithm: TerraMind patch embeddings and their PCA colour map."""

from __future__ import annotations

import dataclasses
from typing import Any

from qgis.core import QgsProcessingContext, QgsProcessingParameterEnum

from ..core.i18n import tr
from ..core.jobs import STRIDES, JobSpec, Task, model_passes
from .base import TerraMindAlgorithm


class PatchEmbeddingsAlgorithm(TerraMindAlgorithm):
    """``terramind:patch_embeddings``: encoder embeddings every 16, 8 or 4 pixels, plus a 3-band PCA map."""

    OUTPUT_EMBEDDINGS = "OUTPUT_EMBEDDINGS"
    OUTPUT_PCA = "OUTPUT_PCA"
    STRIDE = "STRIDE"
    algorithm_id = "patch_embeddings"
    task = Task.EMBEDDINGS
    outputs = (
        (OUTPUT_PCA, "pca"),
        (OUTPUT_EMBEDDINGS, "embeddings"),
    )

    def _add_task_parameters(self) -> None:
        options = [tr("{0} px ({1} model pass(es) per tile)").format(s, model_passes(s)) for s in STRIDES]
        self._add(
            QgsProcessingParameterEnum(self.STRIDE, tr("Embedding stride"), options, defaultValue=0),
            tr(
                "Pixels between embedding vectors: 16 = one vector per 16 x 16 patch; 8 or 4 run the model "
                "on shifted windows ((16 / stride)^2 passes) and average the token features per output "
                "pixel, written at stride x the input pixel size."
            ),
        )

    def build_spec(self, parameters: dict[str, Any], context: QgsProcessingContext) -> JobSpec:
        spec = super().build_spec(parameters, context)
        stride = STRIDES[self.parameterAsEnum(parameters, self.STRIDE, context)]
        return dataclasses.replace(spec, embedding_stride=stride)

    def _help(self) -> str:
        return tr(
            "Computes TerraMind encoder embeddings, one vector per 16 x 16 pixel patch (160 m for 10 m "
            "input), or every 8 or 4 pixels with the stride option, and writes them as a multi-band GeoTIFF. "
            "A PCA fitted once over the whole area maps them to a 3-band false-colour image in which similar "
            "surfaces get similar colours. The embeddings feed the Embedding workbench algorithms."
        )
