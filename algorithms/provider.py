"""``TerraMindProvider``: the "TerraMind" group of the Processing toolbox."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core.i18n import tr
from .base import ICON_PATH
from .embedding_change import EmbeddingChangeAlgorithm
from .embedding_classify import EmbeddingClassifyAlgorithm
from .embedding_clusters import EmbeddingClustersAlgorithm
from .embedding_similarity import EmbeddingSimilarityAlgorithm
from .embeddings_pca import PatchEmbeddingsAlgorithm
from .generate_lulc import GenerateLulcAlgorithm
from .generate_modality import GenerateModalityAlgorithm
from .generate_s1grd import GenerateS1GrdAlgorithm
from .segment import SegmentAlgorithm

ALGORITHMS = (
    GenerateLulcAlgorithm,
    GenerateS1GrdAlgorithm,
    GenerateModalityAlgorithm,
    PatchEmbeddingsAlgorithm,
    EmbeddingSimilarityAlgorithm,
    EmbeddingClustersAlgorithm,
    EmbeddingClassifyAlgorithm,
    EmbeddingChangeAlgorithm,
    SegmentAlgorithm,
)


class TerraMindProvider(QgsProcessingProvider):
    """Provider id ``terramind``; algorithms stay listed without torch and explain what is missing."""

    def id(self) -> str:
        return "terramind"

    def name(self) -> str:
        return "TerraMind"

    def longName(self) -> str:
        return tr("TerraMind 1.0 foundation model")

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def loadAlgorithms(self) -> None:
        for algorithm in ALGORITHMS:
            self.addAlgorithm(algorithm())

    def supportedOutputRasterLayerExtensions(self) -> list:
        return ["tif"]
