"""Processing algorithm: map a scene with a fine-tuned TerraMind model (IBM's Flood/Fire or any TerraTorch
fine-tune), one layer per date."""

from __future__ import annotations

import os
from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ..bridge.adapters.layers import class_areas, input_from_layer
from ..core.errors import InputError
from ..core.i18n import tr
from ..core.jobs import DatedInputs, Task
from ..core.products import PRODUCTS
from .base import EXTENT, INPUT_PREFIX, TerraMindAlgorithm

MODEL = "MODEL"
CONFIG = "CONFIG"
CHECKPOINT = "CHECKPOINT"
DATED = ("S2L2A", "S1RTC")  # one layer per date each, in date order
DEM = INPUT_PREFIX + "DEM"


class SegmentAlgorithm(TerraMindAlgorithm):
    """``terramind:segment``: a class map (+ probabilities, + area table) from a fine-tuned model."""

    OUTPUT = "OUTPUT"
    OUTPUT_PROBABILITIES = "OUTPUT_PROBABILITIES"
    OUTPUT_AREAS = "OUTPUT_AREAS"
    algorithm_id = "segment"
    task = Task.SEGMENT
    outputs = ((OUTPUT, "segment"), (OUTPUT_PROBABILITIES, "probabilities"), (OUTPUT_AREAS, "areas"))

    def group(self) -> str:
        return tr("Fine-tuned models")

    def groupId(self) -> str:
        return "fine_tuned"

    def _help(self) -> str:
        return tr(
            "Maps a scene with a fine-tuned TerraMind model: TerraMind-base-Flood (water) or "
            "TerraMind-base-Fire (burn scars), IBM and ESA's models trained on ImpactMesh with four dates of "
            "Sentinel-2 L2A and Sentinel-1 RTC plus a DEM, or any TerraTorch fine-tune given as its config "
            "YAML and checkpoint (leave MODEL empty). Give the Sentinel-2 L2A and Sentinel-1 RTC layers of "
            "each date in date order (as many dates as the model needs) and the DEM once. Writes a paletted "
            "class raster with class names, optionally the per-class probabilities, and a CSV table of each "
            "class's area (pixels, hectares, percent of the valid area), also shown in the log."
        )

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self._add(
            QgsProcessingParameterString(MODEL, tr("Model"), "TerraMind-base-Flood", optional=True),
            tr(
                "TerraMind-base-Flood or TerraMind-base-Fire (downloaded on "
                "first use); empty when a CONFIG and "
                "CHECKPOINT are given."
            ),
        )
        self._add(
            QgsProcessingParameterFile(
                CONFIG, tr("TerraTorch config (YAML)"), extension="yaml", optional=True
            ),
            tr("The fine-tune's TerraTorch config; with CHECKPOINT, instead of MODEL."),
        )
        self._add(
            QgsProcessingParameterFile(CHECKPOINT, tr("Checkpoint (.ckpt or .pt)"), optional=True),
            tr(
                "The fine-tune's Lightning checkpoint or state_dict; read with weights_only (no code is run)."
            ),
        )
        for modality in DATED:
            self._add(
                QgsProcessingParameterMultipleLayers(
                    INPUT_PREFIX + modality,
                    tr("{0}, one layer per date (date order)").format(modality),
                    QgsProcessing.SourceType.TypeRaster,
                    optional=True,
                ),
                tr(
                    "This modality's layer of each date, oldest first; the first "
                    "Sentinel-2 layer is the grid."
                ),
            )
        self._add(
            QgsProcessingParameterRasterLayer(DEM, tr("DEM (serves every date)"), optional=True),
            tr("Elevation in metres, given once."),
        )
        self._add_inputs_area()
        self._add_model_parameters()
        self._add_run_parameters()
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr(PRODUCTS["segment"].title)))
        self.addParameter(
            QgsProcessingParameterRasterDestination(
                self.OUTPUT_PROBABILITIES, tr(PRODUCTS["probabilities"].title), None, True, False
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_AREAS,
                tr("Area per class (CSV)"),
                tr("CSV files (*.csv)"),
                None,
                True,
                False,
            )
        )

    def _add_inputs_area(self) -> None:
        from qgis.core import QgsProcessingParameterExtent

        self._add(
            QgsProcessingParameterExtent(EXTENT, tr("Area (extent)"), optional=True),
            tr("Process only this area; empty: the whole extent of the first date's Sentinel-2 layer."),
        )

    def checkParameterValues(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> tuple[bool, str]:
        if not any(parameters.get(INPUT_PREFIX + m) for m in DATED):
            return False, tr("Give the Sentinel-2 L2A and Sentinel-1 RTC layers of each date.")
        model = self.parameterAsString(parameters, MODEL, context).strip()
        config = self.parameterAsFile(parameters, CONFIG, context)
        checkpoint = self.parameterAsFile(parameters, CHECKPOINT, context)
        if not model and not (config and checkpoint) or bool(config) != bool(checkpoint):
            return False, tr("Choose a MODEL, or give both a CONFIG and a CHECKPOINT.")
        return super(TerraMindAlgorithm, self).checkParameterValues(parameters, context)

    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        """Run, then write the per-class area table (a tag of the class raster) to the log."""
        outputs = super().processAlgorithm(parameters, context, feedback)
        for line in class_areas(outputs.get(self.OUTPUT, "")):
            feedback.pushInfo(line)
        return outputs

    def _input_fields(self, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, Any]:
        """Dates from the per-date layers, the DEM once, and the model or config + checkpoint."""
        layers = {m: self.parameterAsLayerList(parameters, INPUT_PREFIX + m, context) or [] for m in DATED}
        counts = {m: len(v) for m, v in layers.items() if v}
        if not counts:
            raise InputError(tr("Give the Sentinel-2 L2A and Sentinel-1 RTC layers of each date."))
        if len(set(counts.values())) > 1:
            raise InputError(
                tr("Give one layer per date for each modality, in date order; got {0}.").format(
                    ", ".join(f"{n} {m}" for m, n in counts.items())
                )
            )
        dates = tuple(
            DatedInputs(
                tr("date {0}").format(i + 1),
                tuple(input_from_layer(v[i], m) for m, v in layers.items() if v),
            )
            for i in range(next(iter(counts.values())))
        )
        dem = self.parameterAsRasterLayer(parameters, DEM, context)
        fields: dict[str, Any] = {
            "inputs": (input_from_layer(dem, "DEM"),) if dem is not None else (),
            "dates": dates,
        }
        config = self.parameterAsFile(parameters, CONFIG, context)
        checkpoint = self.parameterAsFile(parameters, CHECKPOINT, context)
        if config or checkpoint:
            if not (config and checkpoint):
                raise InputError(tr("Give both the CONFIG file and its CHECKPOINT."))
            fields.update(task_config=os.path.abspath(config), task_checkpoint=os.path.abspath(checkpoint))
        else:
            fields["task_model"] = self.parameterAsString(parameters, MODEL, context).strip() or None
        return fields

    def _output_paths(self, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, str]:
        paths = {}
        for name, kind in self.outputs:
            if kind == "areas":
                path = self.parameterAsFileOutput(parameters, name, context)
                suffix, problem = ".csv", tr("Output '{0}' must be a CSV file (.csv), got '{1}'.")
            else:
                path = self.parameterAsOutputLayer(parameters, name, context)
                suffix, problem = (".tif", ".tiff"), tr("Output '{0}' must be a GeoTIFF (.tif), got '{1}'.")
            if not path:
                continue
            if not path.lower().endswith(suffix):
                raise InputError(problem.format(name, path))
            paths[kind] = os.path.abspath(path)
        return paths
