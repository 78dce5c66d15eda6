"""Processing algorithm ``terramind:embedding_clusters``."""

from __future__ import annotations

from typing import Any, Callable

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)

from ..core.i18n import QT_TR_NOOP, tr
from ..core.jobs import JobResult
from ..core.workbench.clusters import cluster_map
from .workbench_base import WorkbenchAlgorithm


class EmbeddingClustersAlgorithm(WorkbenchAlgorithm):
    """k-means classes of an embedding raster; K chosen automatically when CLUSTERS is 0."""

    INPUT, CLUSTERS, SEED, OUTPUT, OUTPUT_REPORT = "INPUT", "CLUSTERS", "SEED", "OUTPUT", "OUTPUT_REPORT"
    algorithm_id = "embedding_clusters"
    title = QT_TR_NOOP("Cluster embeddings (unsupervised classes)")
    raster_outputs = {OUTPUT: "clusters"}
    file_outputs = {OUTPUT_REPORT: "report"}

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self._add_embeddings(self.INPUT, tr("Embedding raster"))
        integer = QgsProcessingParameterNumber.Type.Integer
        self._add(
            QgsProcessingParameterNumber(
                self.CLUSTERS, tr("Number of clusters (0 = automatic)"), integer, 0, False, 0, 255
            ),
            tr(
                "K of k-means; 0 tries K = 2..12 and keeps the one with the best silhouette score (see the "
                "report)."
            ),
        )
        self._add(
            QgsProcessingParameterNumber(self.SEED, tr("Seed"), integer, 0, False, -(2**31), 2**31 - 1),
            tr("The same seed gives the same result."),
        )
        self._add(
            QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Clusters")),
            tr("Paletted class raster: clusters 1..K by decreasing size, 0 = nodata."),
        )
        self._add(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_REPORT, tr("Cluster report"), tr("JSON files (*.json)"), optional=True
            ),
            tr("JSON: K, inertia, cluster sizes in pixels, and the automatic choice's scores."),
        )

    def _help(self) -> str:
        return tr(
            "Groups pixels with similar embeddings into K unsupervised classes with k-means, fitted on a "
            "random sample of pixels and applied to every pixel."
        )

    def execute(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        progress: Callable[[float, str], None],
        is_cancelled: Callable[[], bool],
    ) -> JobResult:
        path, label, _crs = self.embeddings(parameters, self.INPUT, context)
        return cluster_map(
            path,
            label,
            self.raster_path(parameters, self.OUTPUT, context),
            clusters=self.parameterAsInt(parameters, self.CLUSTERS, context),
            seed=self.parameterAsInt(parameters, self.SEED, context),
            report=self.file_path(parameters, self.OUTPUT_REPORT, context),
            progress=progress,
            is_cancelled=is_cancelled,
        )
