"""``embedding_classify``: a supervised classifier on an embedding raster from labelled features.

Training pixels come from the features of a point or polygon layer (see ``geometry_pixels``), at most
``MAX_PIXELS_PER_CLASS`` per class (a seeded random subset). Accuracy is estimated by stratified k-fold
cross-validation grouped by training feature, so the pixels of one polygon are never on both sides of a
split (neighbouring pixels are near-copies; mixing them would overstate accuracy). The final model is then
fitted on every training pixel and applied to the raster window by window.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from ..i18n import QT_TR_NOOP, tr
from .classifier_file import read_classifier, rebuild_estimator
from .embedding_raster import EmbeddingRaster
from .geometry_pixels import Features, pixels_of_features, read_pixel_vectors

log = logging.getLogger(__name__)

#: Public method ids, in the order of the ``METHOD`` enum.
METHODS = ("knn", "logistic", "random_forest")
METHOD_TITLES = {
    "knn": QT_TR_NOOP("k-nearest neighbours"),
    "logistic": QT_TR_NOOP("logistic regression"),
    "random_forest": QT_TR_NOOP("random forest"),
}
MAX_PIXELS_PER_CLASS = 5000
PREDICT_CHUNK = 1024


@dataclass(frozen=True)
class ClassTable:
    """Class values written to the raster (1..65535; 0 = nodata) and their names, in the same order."""

    values: tuple[int, ...]
    names: tuple[str, ...]


@dataclass
class TrainingSet:
    """Training pixels: (N, D) vectors, (N,) class indices into ``classes``, (N,) training-feature ids."""

    vectors: np.ndarray
    labels: np.ndarray
    groups: np.ndarray
    classes: ClassTable
    pixels_available: np.ndarray  # pixels under each class's features (before the cap and nodata)
    features_per_class: np.ndarray


def make_estimator(method: str, params: dict[str, Any]):
    """A fresh scikit-learn estimator: scaled k-NN or logistic regression, or a random forest."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if method == "knn":
        return Pipeline([("scale", StandardScaler()), ("model", KNeighborsClassifier(**params))])
    if method == "logistic":
        return Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(**params))])
    if method == "random_forest":
        return RandomForestClassifier(**params)
    raise InputError(tr("METHOD must be one of {0}, got {1!r}.").format(", ".join(METHODS), method))


def method_params(method: str, n_samples: int, folds: int, seed: int) -> dict[str, Any]:
    """Hyper-parameters: 5 neighbours (fewer on tiny sets), 1000 solver iterations, 100 seeded trees."""
    if method == "knn":
        return {"n_neighbors": max(1, min(5, n_samples - -(-n_samples // max(folds, 1))))}
    if method == "logistic":
        return {"max_iter": 1000}
    return {"n_estimators": 100, "random_state": seed}


def class_table(values: Sequence[Any]) -> tuple[ClassTable, np.ndarray]:
    """Classes of a training field and each feature's class index (-1: no value).

    Integers are the class values themselves; any other values are names, numbered 1..N in sorted order.

    Raises:
        InputError: an integer class outside 1..65535 (0 marks nodata).
    """
    present = [v for v in values if v is not None and v != ""]
    integers = bool(present) and all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in present
    )
    if integers:
        distinct = sorted({int(v) for v in present})
        bad = [v for v in distinct if not 1 <= v <= 65535]
        if bad:
            raise InputError(
                tr(
                    "FIELD holds class value(s) {0} outside 1..65535 (0 marks "
                    "nodata in the output). Renumber the classes or use a text "
                    "field of class names."
                ).format(bad[:5])
            )
        table = ClassTable(tuple(distinct), tuple(str(v) for v in distinct))
        keys = [int(v) if v is not None and v != "" else None for v in values]
    else:
        distinct = sorted({str(v) for v in present})
        table = ClassTable(tuple(range(1, len(distinct) + 1)), tuple(distinct))
        keys = [str(v) if v is not None and v != "" else None for v in values]
    lookup = {k: i for i, k in enumerate(table.values if integers else table.names)}
    return table, np.array([lookup[k] if k is not None else -1 for k in keys], np.int64)


def training_set(
    raster: EmbeddingRaster, training: Features, folds: int, seed: int
) -> tuple[TrainingSet, list[str]]:
    """Read the training pixels and check they can train and cross-validate a classifier.

    Returns:
        The training set and warnings (features without a class, classes without pixels).

    Raises:
        InputError: no feature inside the raster, fewer than two classes, or a class with fewer
            training features than ``folds``.
    """
    table, feature_class = class_table(training.values)
    warnings = []
    if (feature_class < 0).any():
        warnings.append(
            tr("{0} feature(s) of '{1}' have no class value and were skipped.").format(
                int((feature_class < 0).sum()), training.label
            )
        )
    rows, cols, owner = pixels_of_features(raster.grid, training.geometries)
    labelled = feature_class[owner] >= 0 if len(owner) else np.zeros(0, bool)
    rows, cols, owner = rows[labelled], cols[labelled], owner[labelled]
    if not len(rows):
        raise InputError(
            tr(
                "TRAINING: none of the {0} feature(s) of '{1}' with a class "
                "lies inside the embedding raster '{2}'. Draw training "
                "features over the raster."
            ).format(len(training.geometries), training.label, raster.label)
        )
    labels = feature_class[owner]
    n = len(table.values)
    available = np.bincount(labels, minlength=n)
    keep = _cap_per_class(labels, MAX_PIXELS_PER_CLASS, seed)
    vectors, valid = read_pixel_vectors(raster, rows[keep], cols[keep])
    keep = keep[valid]
    vectors, labels, groups = vectors[valid], labels[keep], owner[keep]
    used = np.bincount(labels, minlength=n)
    present = np.nonzero(used)[0]
    missing = [table.names[i] for i in range(n) if used[i] == 0]
    if missing:
        warnings.append(
            tr("Class(es) {0} have no valid pixel inside '{1}' and were left out.").format(
                ", ".join(missing), raster.label
            )
        )
    if len(present) < 2:
        only = f" ('{table.names[present[0]]}')" if len(present) else ""
        raise InputError(
            tr(
                "TRAINING: '{0}' has only {1} class{2} with valid pixels "
                "inside '{3}'; a classifier needs at least two classes. Add "
                "features of another class."
            ).format(training.label, len(present), only, raster.label)
        )
    remap = -np.ones(n, np.int64)
    remap[present] = np.arange(len(present))
    labels = remap[labels]
    table = ClassTable(tuple(table.values[i] for i in present), tuple(table.names[i] for i in present))
    per_class = np.array([len(np.unique(groups[labels == c])) for c in range(len(present))])
    for c in np.nonzero(per_class < folds)[0]:
        raise InputError(
            tr(
                "TRAINING: class '{0}' has {1} training feature(s) with "
                "valid pixels, fewer than FOLDS={2}. Cross-validation is "
                "grouped by feature (all pixels of a feature stay on one "
                "side), so each class needs at least FOLDS features: draw "
                "more '{3}' features or lower FOLDS (at least 2)."
            ).format(table.names[c], per_class[c], folds, table.names[c])
        )
    return TrainingSet(vectors, labels, groups, table, available[present], per_class), warnings


def _cap_per_class(labels: np.ndarray, cap: int, seed: int) -> np.ndarray:
    """Sorted indices keeping at most ``cap`` random entries of each label."""
    rng = np.random.default_rng(seed)
    keep = []
    for c in np.unique(labels):
        idx = np.nonzero(labels == c)[0]
        keep.append(np.sort(rng.choice(idx, cap, replace=False)) if len(idx) > cap else idx)
    return np.sort(np.concatenate(keep))


def cross_validate(
    method: str, params: dict[str, Any], ts: TrainingSet, folds: int, seed: int
) -> dict[str, Any]:
    """Grouped, stratified k-fold scores from out-of-fold predictions (scikit-learn metrics)."""
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    predicted = cross_val_predict(
        make_estimator(method, params), ts.vectors.astype(np.float64), ts.labels, groups=ts.groups, cv=cv
    )
    labels = np.arange(len(ts.classes.values))
    precision, recall, f1, support = precision_recall_fscore_support(
        ts.labels, predicted, labels=labels, zero_division=0
    )
    classes = [
        {
            "value": int(v),
            "name": name,
            "precision": float(precision[i]),
            "recall": float(recall[i]),
            "f1": float(f1[i]),
            "pixels": int(support[i]),
            "pixels_available": int(ts.pixels_available[i]),
            "features": int(ts.features_per_class[i]),
        }
        for i, (v, name) in enumerate(zip(ts.classes.values, ts.classes.names))
    ]
    return {
        "method": method,
        "folds": folds,
        "validation": tr("stratified k-fold grouped by training feature (out-of-fold predictions)"),
        "overall_accuracy": float(accuracy_score(ts.labels, predicted)),
        "classes": classes,
        "confusion_matrix": confusion_matrix(ts.labels, predicted, labels=labels).tolist(),
        "confusion_matrix_axes": tr(
            "rows: reference class, columns: predicted class, in the order of 'classes'"
        ),
    }


def predict(model, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(class index, probability of that class)`` of (N, D) vectors, in chunks (bounded memory)."""
    index = np.zeros(len(vectors), np.int64)
    confidence = np.zeros(len(vectors), np.float32)
    for start in range(0, len(vectors), PREDICT_CHUNK):
        proba = model.predict_proba(vectors[start : start + PREDICT_CHUNK].astype(np.float64))
        index[start : start + PREDICT_CHUNK] = proba.argmax(axis=1)
        confidence[start : start + PREDICT_CHUNK] = proba.max(axis=1)
    return index, confidence


@dataclass
class TrainedClassifier:
    """A fitted estimator with what the classifier file's header records."""

    method: str
    params: dict[str, Any]
    classes: ClassTable
    model: Any
    header: dict[str, Any]


def train(
    raster: EmbeddingRaster, training: Features, method: str, folds: int, seed: int, check_cancel
) -> tuple[TrainedClassifier, list[str]]:
    """Cross-validate, then fit on every training pixel."""
    if method not in METHODS:
        raise InputError(tr("METHOD must be one of {0}, got {1!r}.").format(", ".join(METHODS), method))
    if folds < 2:
        raise InputError(tr("FOLDS must be at least 2, got {0}.").format(folds))
    ts, warnings = training_set(raster, training, folds, seed)
    params = method_params(method, len(ts.labels), folds, seed)
    check_cancel()
    metrics = cross_validate(method, params, ts, folds, seed)
    check_cancel()
    model = make_estimator(method, params).fit(ts.vectors.astype(np.float64), ts.labels)
    header = {
        "method": method,
        "params": params,
        "feature_count": raster.features,
        "classes": [{"value": int(v), "name": n} for v, n in zip(ts.classes.values, ts.classes.names)],
        "embedding_model": raster.model,
        "grid": _grid_record(raster),
        "source": raster.label,
        "training_layer": training.label,
        "training_pixels": int(len(ts.labels)),
        "seed": seed,
        "cross_validation": metrics,
    }
    return TrainedClassifier(method, params, ts.classes, model, header), warnings


def load(path: str, raster: EmbeddingRaster) -> TrainedClassifier:
    """Read a classifier file and check it fits the raster.

    Raises:
        InputError: a damaged file, another feature count, or another embedding model.
    """
    header, arrays = read_classifier(path)
    if int(header["feature_count"]) != raster.features:
        raise InputError(
            tr(
                "MODEL was trained on embeddings with {0} features; '{1}' "
                "has {2} bands. Apply it to embeddings of the same model "
                "({3})."
            ).format(
                header["feature_count"], raster.label, raster.features, header["embedding_model"] or "unknown"
            )
        )
    if header.get("embedding_model", "") != raster.model:
        raise InputError(
            tr(
                "MODEL was trained on embeddings of {0}; '{1}' holds "
                "embeddings of {2}. Vectors of different models are not "
                "comparable: compute the embeddings with the classifier's "
                "model, or train again."
            ).format(
                header["embedding_model"] or tr("an unknown model"),
                raster.label,
                raster.model or tr("an unknown model"),
            )
        )
    classes = ClassTable(
        tuple(c["value"] for c in header["classes"]), tuple(c["name"] for c in header["classes"])
    )
    model = rebuild_estimator(
        header["method"], header["params"], raster.features, len(classes.values), arrays
    )
    return TrainedClassifier(header["method"], header["params"], classes, model, header)


def _grid_record(raster: EmbeddingRaster) -> dict[str, Any]:
    g = raster.grid
    return {"crs": g.crs.to_wkt(), "transform": list(g.transform)[:6], "width": g.width, "height": g.height}
