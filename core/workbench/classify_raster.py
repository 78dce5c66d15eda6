"""Run ``embedding_classify``: train or load a classifier; write classes, confidence, report, model."""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from ..errors import InputError
from ..i18n import tr
from ..jobs import CancelCheck, JobResult, ProgressCallback
from ..products import PRODUCTS
from .classifier_file import export_estimator, write_classifier
from .classify import METHOD_TITLES, TrainedClassifier, load, predict, train
from .embedding_raster import cancel_checker, open_embeddings
from .geometry_pixels import Features
from .outputs import OutputSet, with_classes
from .report_files import html_table, write_html, write_json


def classify_map(
    input_path: str,
    input_label: str,
    output: str,
    training: Features | None = None,
    method: str = "random_forest",
    folds: int = 5,
    seed: int = 0,
    confidence: str | None = None,
    report: str | None = None,
    model_out: str | None = None,
    model_in: str | None = None,
    progress: ProgressCallback = lambda f, m: None,
    is_cancelled: CancelCheck = lambda: False,
) -> JobResult:
    """Classify every pixel of an embedding raster.

    Args:
        training: labelled features (``values``: the class field); not needed with ``model_in``.
        method: one of ``classify.METHODS``.
        folds: cross-validation folds (grouped by training feature).
        output: class raster (class values, 0 = nodata) with colours and names.
        confidence: float32 probability of the chosen class (NaN = nodata).
        report: JSON report; a readable HTML copy is written next to it (``.html``).
        model_out: classifier file to write (``classifier_file``).
        model_in: a saved classifier to apply instead of training.

    Returns:
        Outputs ``classes``, ``confidence``, ``report``, ``report_html``, ``model`` (those asked for).
    """
    check = cancel_checker(is_cancelled)
    with open_embeddings(input_path, input_label) as raster:
        progress(0.0, tr("Training"))
        if model_in:
            classifier, warnings = load(model_in, raster), []
        elif training is None or not training.geometries:
            raise InputError(
                tr("TRAINING: give a point or polygon layer of labelled features, or a saved MODEL.")
            )
        else:
            classifier, warnings = train(raster, training, method, folds, seed, check)
        product = with_classes(
            "classification", list(zip(classifier.classes.values, classifier.classes.names))
        )
        rasters = [p for p in (output, confidence) if p]
        others = [p for p in (report, _html_path(report) if report else None, model_out) if p]
        tags = {"TERRAMIND_WORKBENCH": "classify", "TERRAMIND_SOURCE": input_label}
        with OutputSet(
            raster.grid, rasters, others, [input_path], tr("classification of {0}").format(input_label), tags
        ) as outputs:
            classes_out = outputs.raster(product, output)
            conf_out = outputs.raster(PRODUCTS["confidence"], confidence) if confidence else None
            values = np.array(classifier.classes.values)
            boxes = list(raster.windows(raster.strip_width(classes_out.writer.block_w)))
            for i, box in enumerate(boxes):
                check()
                vectors, valid = raster.read(box)
                index, prob = predict(classifier.model, vectors[valid])
                labels = np.zeros(valid.shape, classes_out.dtype)
                labels[valid] = values[index]
                classes_out.write(box.row, box.col, labels)
                if conf_out is not None:
                    p = np.full(valid.shape, np.nan, np.float32)
                    p[valid] = prob
                    conf_out.write(box.row, box.col, p)
                progress(0.3 + 0.7 * (i + 1) / len(boxes), tr("Classifying"))
            if report:
                _add_reports(outputs, report, classifier)
            if model_out:
                arrays = export_estimator(classifier.method, classifier.model)
                outputs.file("model", model_out, lambda tmp: write_classifier(tmp, classifier.header, arrays))
            return outputs.commit(warnings)


def _html_path(report: str) -> str:
    """The readable copy of a JSON report: ``report.json`` -> ``report.html``."""
    return report[: -len(".json")] + ".html" if report.lower().endswith(".json") else report + ".html"


def _add_reports(outputs: OutputSet, report: str, classifier: TrainedClassifier) -> None:
    data: dict[str, Any] = dict(
        classifier.header.get("cross_validation", {}),
        source=classifier.header.get("source"),
        training_layer=classifier.header.get("training_layer"),
        embedding_model=classifier.header.get("embedding_model"),
        training_pixels=classifier.header.get("training_pixels"),
    )
    outputs.file("report", report, lambda tmp: write_json(tmp, data))
    outputs.file(
        "report_html",
        _html_path(report),
        lambda tmp: write_html(tmp, tr("Classification report"), _html(data)),
    )


def _html(data: dict[str, Any]) -> list:
    classes = data.get("classes", [])
    names = [c["name"] for c in classes]
    method = data.get("method", "")
    method = tr(METHOD_TITLES[method]) if method in METHOD_TITLES else method
    model = data.get("embedding_model") or tr("unknown")
    summary = tr("Method: {0}. Embeddings: {1} (model: {2}). Training layer: {3}, {4} pixels.").format(
        *(html.escape(str(v)) for v in (method, data.get("source"), model, data.get("training_layer"))),
        data.get("training_pixels"),
    )
    validation = tr("Validation: {0}, {1} folds.").format(
        html.escape(str(data.get("validation"))), data.get("folds")
    )
    accuracy = tr("Overall accuracy: {0:.1f} %").format(100 * data.get("overall_accuracy", 0))
    intro = f"<p>{summary}</p><p>{validation}</p><h2>{accuracy}</h2>"
    headers = (
        tr("value"),
        tr("class"),
        tr("precision"),
        tr("recall"),
        tr("F1"),
        tr("pixels used"),
        tr("pixels under features"),
        tr("features"),
    )
    per_class = html_table(
        list(headers),
        [
            [
                c["value"],
                c["name"],
                c["precision"],
                c["recall"],
                c["f1"],
                c["pixels"],
                c["pixels_available"],
                c["features"],
            ]
            for c in classes
        ],
    )
    matrix = html_table(
        [tr("reference \\ predicted")] + names,
        [[name] + row for name, row in zip(names, data.get("confusion_matrix", []))],
    )
    headings = [f"<h2>{text}</h2>" for text in (tr("Per class"), tr("Confusion matrix (pixels)"))]
    return [intro, headings[0], per_class, headings[1], matrix]
