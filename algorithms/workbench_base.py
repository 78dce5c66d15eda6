"""Shared base of the embedding-workbench algorithms: layers -> plain core arguments, feedback, styling.

The vector-to-pixel step starts here: features of a point or polygon layer are reprojected with QGIS into the
embedding raster's CRS and handed to ``core.workbench`` as GeoJSON geometries (``Features``). The core
functions run in Processing's background thread (the no-threading flag is never set) with feedback-driven
progress and cancel, and write every output through one run of ``core.run_files``.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterRasterLayer,
)

from ..bridge.adapters.layers import layer_file_path
from ..bridge.runtime.deps import check_dependencies
from ..core.errors import InputError
from ..core.i18n import tr
from ..core.jobs import JobResult
from ..core.workbench.geometry_pixels import Features
from .base import PluginAlgorithm, progress_to
from .styling import style_on_load

#: What the workbench needs in QGIS's own Python (it runs no model, so no torch).
WORKBENCH_PACKAGES = ("numpy", "rasterio", "sklearn")


class WorkbenchAlgorithm(PluginAlgorithm):
    """Base of the workbench algorithms: subclasses set ``algorithm_id``, ``title``, ``raster_outputs``
    (parameter name -> product kind) and implement ``initAlgorithm``, ``_help`` and ``run``."""

    title = ""
    task = None  # no model job (``core.products.Task``): the tools read embeddings, not imagery
    raster_outputs: dict[str, str] = {}
    file_outputs: dict[str, str] = {}  # parameter name -> output kind of the JobResult

    def displayName(self) -> str:
        return tr(self.title)

    def group(self) -> str:
        return tr("Embedding workbench")

    def groupId(self) -> str:
        return "workbench"

    def _common_help(self) -> str:
        return tr(
            "Works on any multi-band embedding raster: the embeddings of 'Patch embeddings with PCA map', or "
            "another model's embedding GeoTIFF (one band per feature; nodata is respected). The raster is "
            "read in windows, so memory stays bounded; outputs are on the embedding raster's grid."
        )

    def _missing_package(self, exc: ImportError) -> str:
        text = tr("The embedding workbench cannot run: {0}. Install scikit-learn (Set Up Runtime).")
        return text.format(exc)

    def canExecute(self):
        report = check_dependencies(WORKBENCH_PACKAGES)
        return (True, "") if report.ok else (False, report.message())

    # ----- parameters --------------------------------------------------------------------------------
    def _add(self, param: QgsProcessingParameterDefinition, help_text: str, advanced: bool = False) -> None:
        param.setHelp(help_text)
        if advanced:
            param.setFlags(param.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(param)

    def _add_embeddings(self, name: str, title: str) -> None:
        self._add(
            QgsProcessingParameterRasterLayer(name, title),
            tr("Multi-band embedding raster (one band per feature)."),
        )

    def _add_features(self, name: str, title: str, help_text: str, optional: bool = False) -> None:
        types = [QgsProcessing.SourceType.TypeVectorPoint, QgsProcessing.SourceType.TypeVectorPolygon]
        self._add(QgsProcessingParameterFeatureSource(name, title, types, optional=optional), help_text)

    # ----- parameter values -> core arguments ---------------------------------------------------------
    def embeddings(self, parameters: dict, name: str, context: QgsProcessingContext):
        """``(path, label, crs)`` of an embedding raster parameter."""
        layer = self.parameterAsRasterLayer(parameters, name, context)
        if layer is None:
            raise InputError(tr("{0}: choose an embedding raster.").format(name))
        return layer_file_path(layer), layer.name(), layer.crs()

    def features(
        self,
        parameters: dict,
        name: str,
        context: QgsProcessingContext,
        crs: QgsCoordinateReferenceSystem,
        field: str | None = None,
    ) -> Features | None:
        """The features of a vector parameter in ``crs`` (``None`` when the optional parameter is unset)."""
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            return None
        transform = QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())
        index = source.fields().lookupField(field) if field else -1
        if field and index < 0:
            raise InputError(tr("{0}: the layer has no field '{1}'.").format(name, field))
        geometries, values = [], []
        for feature in source.getFeatures(QgsFeatureRequest()):
            geometry = feature.geometry()
            if geometry.isNull() or geometry.isEmpty():
                continue
            geometry.transform(transform)
            geometries.append(json.loads(geometry.asJson()))
            if field:
                value = feature.attribute(index)
                values.append(None if value is None or _is_null(value) else value)
        label = source.sourceName() or name
        return Features(label, geometries, values)

    def raster_path(self, parameters: dict, name: str, context: QgsProcessingContext) -> str | None:
        """The GeoTIFF path of a raster destination (``None`` when the optional output is skipped)."""
        path = self.parameterAsOutputLayer(parameters, name, context)
        if not path:
            return None
        if not path.lower().endswith((".tif", ".tiff")):
            raise InputError(tr("Output '{0}' must be a GeoTIFF (.tif), got '{1}'.").format(name, path))
        return path

    def file_path(self, parameters: dict, name: str, context: QgsProcessingContext) -> str | None:
        return self.parameterAsFileOutput(parameters, name, context) or None

    # ----- run -----------------------------------------------------------------------------------------
    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        result = self.run_reported(
            lambda cancelled: self.execute(parameters, context, progress_to(feedback), cancelled), feedback
        )
        if result is None:
            return {}
        for warning in result.warnings:
            feedback.pushWarning(warning)
        outputs = {}
        for name, kind in {**self.raster_outputs, **self.file_outputs}.items():
            path = result.outputs.get(kind)
            if path:
                if name in self.raster_outputs:
                    style_on_load(context, path, kind, result.styles.get(kind))
                outputs[name] = path
        return outputs

    def execute(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        progress: Callable[[float, str], None],
        is_cancelled: Callable[[], bool],
    ) -> JobResult:
        raise NotImplementedError


def _is_null(value: Any) -> bool:
    """A NULL attribute (a null ``QVariant`` under PyQt5)."""
    return hasattr(value, "isNull") and value.isNull()
