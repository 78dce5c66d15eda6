"""Processing algorithm: generate any modality TerraMind can produce."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingContext, QgsProcessingParameterEnum

from ..core.i18n import tr
from ..core.jobs import GENERATED_MODALITIES, Task
from .base import TerraMindAlgorithm

OUTPUT_MODALITY = "OUTPUT_MODALITY"


class GenerateModalityAlgorithm(TerraMindAlgorithm):
    """``terramind:generate_modality``: one generated modality chosen from a list."""

    OUTPUT = "OUTPUT"
    algorithm_id = "generate_modality"
    task = Task.GENERATE
    outputs = ((OUTPUT, "generated"),)

    def _add_task_parameters(self) -> None:
        param = QgsProcessingParameterEnum(
            OUTPUT_MODALITY, tr("Modality to generate"), list(GENERATED_MODALITIES), defaultValue=0
        )
        param.setHelp(tr("LULC classes, S1GRD/S1RTC (dB), S2L2A (DN), DEM (metres) or NDVI."))
        self.addParameter(param)

    def _output_modality(self, parameters: dict[str, Any], context: QgsProcessingContext) -> str:
        return GENERATED_MODALITIES[self.parameterAsEnum(parameters, OUTPUT_MODALITY, context)]

    def _output_kinds(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> list[tuple[str, str]]:
        return [(self.OUTPUT, self._output_modality(parameters, context).lower())]

    def _help(self) -> str:
        return tr(
            "Generates the chosen modality from the inputs: LULC (classes), Sentinel-1 GRD or RTC (VV, VH in "
            "dB), Sentinel-2 L2A (12 bands, DN), DEM (metres) or NDVI. Outputs are synthetic data."
        )
