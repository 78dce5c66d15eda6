"""Processing algorithm ``terramind:embedding_similarity``."""

from __future__ import annotations

from typing import Any, Callable

from qgis.core import QgsProcessingContext, QgsProcessingParameterRasterDestination

from ..core.i18n import QT_TR_NOOP, tr
from ..core.jobs import JobResult
from ..core.workbench.similarity import similarity_map
from .workbench_base import WorkbenchAlgorithm


class EmbeddingSimilarityAlgorithm(WorkbenchAlgorithm):
    """Cosine similarity of every pixel's embedding to the mean embedding of seed points or polygons."""

    INPUT, SEEDS, NEGATIVES, OUTPUT = "INPUT", "SEEDS", "NEGATIVES", "OUTPUT"
    algorithm_id = "embedding_similarity"
    title = QT_TR_NOOP("Find similar places (embedding similarity)")
    raster_outputs = {OUTPUT: "similarity"}

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self._add_embeddings(self.INPUT, tr("Embedding raster"))
        self._add_features(
            self.SEEDS,
            tr("Seeds (points or polygons)"),
            tr("A point takes the pixel under it, a polygon every pixel inside."),
        )
        self._add_features(
            self.NEGATIVES,
            tr("Negatives (points or polygons)"),
            tr("Optional: places unlike what you look for; their similarity is subtracted."),
            optional=True,
        )
        self._add(
            QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Similarity")),
            tr(
                "float32: cosine similarity in [-1, 1] to the mean of the seeds' vectors (with negatives: "
                "minus the similarity to the negatives' mean); nodata where the input is nodata."
            ),
        )

    def _help(self) -> str:
        return tr(
            "Click-free 'find more like this': the mean embedding of the seeds is compared with every "
            "pixel's embedding by cosine similarity. Bright pixels look like the seeds to the model."
        )

    def execute(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        progress: Callable[[float, str], None],
        is_cancelled: Callable[[], bool],
    ) -> JobResult:
        path, label, crs = self.embeddings(parameters, self.INPUT, context)
        return similarity_map(
            path,
            label,
            self.features(parameters, self.SEEDS, context, crs),
            self.raster_path(parameters, self.OUTPUT, context),
            negatives=self.features(parameters, self.NEGATIVES, context, crs),
            progress=progress,
            is_cancelled=is_cancelled,
        )
