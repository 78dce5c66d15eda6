"""Processing algorithm ``terramind:embedding_classify``."""

from __future__ import annotations

from typing import Any, Callable

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)

from ..core.errors import InputError
from ..core.i18n import QT_TR_NOOP, tr
from ..core.jobs import JobResult
from ..core.workbench.classifier_file import EXTENSION
from ..core.workbench.classify import METHOD_TITLES, METHODS
from ..core.workbench.classify_raster import classify_map
from .workbench_base import WorkbenchAlgorithm


class EmbeddingClassifyAlgorithm(WorkbenchAlgorithm):
    """Supervised classification of an embedding raster from labelled points or polygons."""

    INPUT, TRAINING, FIELD, METHOD, FOLDS = "INPUT", "TRAINING", "FIELD", "METHOD", "FOLDS"
    OUTPUT, OUTPUT_CONFIDENCE, OUTPUT_REPORT, OUTPUT_MODEL, MODEL = (
        "OUTPUT",
        "OUTPUT_CONFIDENCE",
        "OUTPUT_REPORT",
        "OUTPUT_MODEL",
        "MODEL",
    )
    algorithm_id = "embedding_classify"
    title = QT_TR_NOOP("Classify embeddings from labelled features")
    raster_outputs = {OUTPUT: "classification", OUTPUT_CONFIDENCE: "confidence"}
    file_outputs = {OUTPUT_REPORT: "report", OUTPUT_MODEL: "model"}

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self._add_embeddings(self.INPUT, tr("Embedding raster"))
        self._add_features(
            self.TRAINING,
            tr("Training features (points or polygons)"),
            tr(
                "Labelled features; a polygon's pixels all train (and are validated) together. Not needed "
                "with MODEL."
            ),
            optional=True,
        )
        self._add(
            QgsProcessingParameterField(self.FIELD, tr("Class field"), None, self.TRAINING, optional=True),
            tr(
                "Integers are used as the class values; other values are class names, numbered 1..N in "
                "sorted order."
            ),
        )
        self._add(
            QgsProcessingParameterEnum(
                self.METHOD, tr("Method"), [tr(METHOD_TITLES[m]) for m in METHODS], defaultValue=2
            ),
            tr(
                "k-nearest neighbours (5, scaled features), logistic regression (scaled) or random forest "
                "(100 trees)."
            ),
        )
        integer = QgsProcessingParameterNumber.Type.Integer
        self._add(
            QgsProcessingParameterNumber(self.FOLDS, tr("Cross-validation folds"), integer, 5, False, 2, 100),
            tr(
                "k-fold cross-validation grouped by training feature: each class needs at least this many "
                "features."
            ),
        )
        self._add(
            QgsProcessingParameterFile(
                self.MODEL,
                tr("Saved classifier (apply instead of training)"),
                extension=EXTENSION[1:],
                optional=True,
            ),
            tr(
                "A classifier file written by OUTPUT_MODEL; the embedding raster must have the same feature "
                "count and come from the same model."
            ),
        )
        self._add(
            QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Classes")),
            tr("Paletted class raster with the class names; 0 = nodata."),
        )
        self._add(
            QgsProcessingParameterRasterDestination(self.OUTPUT_CONFIDENCE, tr("Confidence"), None, True),
            tr("float32: the probability of the chosen class."),
        )
        self._add(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_REPORT, tr("Accuracy report"), tr("JSON files (*.json)"), optional=True
            ),
            tr(
                "JSON (and a readable .html beside it): overall accuracy, per-class precision/recall/F1, "
                "confusion matrix, sample counts per class."
            ),
        )
        self._add(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_MODEL,
                tr("Classifier file"),
                tr("TerraMind classifier (*{0})").format(EXTENSION),
                optional=True,
                createByDefault=False,
            ),
            tr("A small reusable classifier (parameters and a JSON header; no executable code) for MODEL."),
        )

    def checkParameterValues(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> tuple[bool, str]:
        has_model = parameters.get(self.MODEL) not in (None, "")
        if not has_model and (
            parameters.get(self.TRAINING) in (None, "") or parameters.get(self.FIELD) in (None, "")
        ):
            return False, tr("Give training features and their class field, or a saved classifier (MODEL).")
        return super().checkParameterValues(parameters, context)

    def _help(self) -> str:
        return tr(
            "Trains a classifier on the embeddings under labelled points or polygons, reports its accuracy "
            "from cross-validation grouped by feature (pixels of one polygon never sit on both sides), and "
            "classifies every pixel. Or applies a saved classifier."
        )

    def execute(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        progress: Callable[[float, str], None],
        is_cancelled: Callable[[], bool],
    ) -> JobResult:
        path, label, crs = self.embeddings(parameters, self.INPUT, context)
        model_in = self.parameterAsFile(parameters, self.MODEL, context) or None
        training = None
        if not model_in:
            field = self.parameterAsString(parameters, self.FIELD, context)
            if not field:
                raise InputError(tr("FIELD: choose the class field of the training layer."))
            training = self.features(parameters, self.TRAINING, context, crs, field)
        model_out = self.file_path(parameters, self.OUTPUT_MODEL, context)
        if model_out and not model_out.lower().endswith(EXTENSION):
            model_out += EXTENSION
        return classify_map(
            path,
            label,
            self.raster_path(parameters, self.OUTPUT, context),
            training=training,
            method=METHODS[self.parameterAsEnum(parameters, self.METHOD, context)],
            folds=self.parameterAsInt(parameters, self.FOLDS, context),
            confidence=self.raster_path(parameters, self.OUTPUT_CONFIDENCE, context),
            report=self.file_path(parameters, self.OUTPUT_REPORT, context),
            model_out=model_out,
            model_in=model_in,
            progress=progress,
            is_cancelled=is_cancelled,
        )
