"""Processing algorithm ``terramind:embedding_change``."""

from __future__ import annotations

from typing import Any, Callable

from qgis.core import QgsProcessingContext, QgsProcessingParameterRasterDestination

from ..core.i18n import QT_TR_NOOP, tr
from ..core.jobs import JobResult
from ..core.workbench.change import change_map
from .workbench_base import WorkbenchAlgorithm


class EmbeddingChangeAlgorithm(WorkbenchAlgorithm):
    """Cosine distance between the embeddings of two dates, on date A's grid."""

    INPUT_A, INPUT_B, OUTPUT, OUTPUT_REASON = "INPUT_A", "INPUT_B", "OUTPUT", "OUTPUT_REASON"
    algorithm_id = "embedding_change"
    title = QT_TR_NOOP("Change between two dates (embedding distance)")
    raster_outputs = {OUTPUT: "change", OUTPUT_REASON: "change_reason"}

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self._add_embeddings(self.INPUT_A, tr("Embeddings of date A"))
        self._add_embeddings(self.INPUT_B, tr("Embeddings of date B (warped onto A's grid)"))
        self._add(
            QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Change (cosine distance)")),
            tr("float32: 1 - cosine similarity, in [0, 2] (a fixed scale, so scenes and tiles compare)."),
        )
        self._add(
            QgsProcessingParameterRasterDestination(self.OUTPUT_REASON, tr("Why no value"), None, True),
            tr("uint8: 0 valid, 1 nodata in A, 2 nodata in B, 3 outside the overlap."),
        )

    def _help(self) -> str:
        return tr(
            "Maps how much the embedding of each place changed between two dates. Both rasters must come "
            "from the same model; B is resampled (bilinear) onto A's grid when the grids differ."
        )

    def execute(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        progress: Callable[[float, str], None],
        is_cancelled: Callable[[], bool],
    ) -> JobResult:
        a_path, a_label, _crs = self.embeddings(parameters, self.INPUT_A, context)
        b_path, b_label, _crs = self.embeddings(parameters, self.INPUT_B, context)
        return change_map(
            a_path,
            a_label,
            b_path,
            b_label,
            self.raster_path(parameters, self.OUTPUT, context),
            reason=self.raster_path(parameters, self.OUTPUT_REASON, context),
            progress=progress,
            is_cancelled=is_cancelled,
        )
