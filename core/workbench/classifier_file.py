"""The reusable classifier file (``.tmclf``): a zip holding ``header.json`` and ``.npy`` arrays, no pickle.

The header records the format, the method and its parameters, the feature count, the classes, the
embedding model and grid the classifier was trained on, its cross-validation scores, and a SHA-256
checksum over the header and every array. Arrays are read with ``allow_pickle=False``; the estimator is
re-created from them (scaler statistics; k-NN training vectors; logistic-regression coefficients;
random-forest tree node tables), so loading a file never runs code from it.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import numpy as np

from ..errors import InputError
from ..i18n import tr

FORMAT = "terramind-classifier"
VERSION = 1
EXTENSION = ".tmclf"


def checksum(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 over the header (without its checksum) and every array's name, dtype, shape and bytes."""
    h = hashlib.sha256()
    h.update(json.dumps({k: v for k, v in header.items() if k != "checksum"}, sort_keys=True).encode())
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}|{a.dtype.str}|{a.dtype.descr}|{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def write_classifier(path: str, header: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write the file; ``header`` gets ``format``, ``version`` and ``checksum``."""
    header = dict(header, format=FORMAT, version=VERSION)
    header["checksum"] = checksum(header, arrays)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("header.json", json.dumps(header, indent=2))
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
            zf.writestr(f"{name}.npy", buf.getvalue())


def read_classifier(path: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """``(header, arrays)`` of a classifier file.

    Raises:
        InputError: not a classifier file, a newer version, or damaged (checksum mismatch).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            header = json.loads(zf.read("header.json"))
            arrays = {
                n[: -len(".npy")]: np.lib.format.read_array(io.BytesIO(zf.read(n)), allow_pickle=False)
                for n in zf.namelist()
                if n.endswith(".npy")
            }
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(
            tr(
                "MODEL: {0!r} is not a TerraMind classifier file ({1}). "
                "Choose a file written by 'Classify embeddings' "
                "(OUTPUT_MODEL)."
            ).format(path, exc)
        ) from exc
    if header.get("format") != FORMAT:
        raise InputError(
            tr("MODEL: {0!r} is not a TerraMind classifier file (format {1!r}).").format(
                path, header.get("format")
            )
        )
    if int(header.get("version", 0)) > VERSION:
        raise InputError(
            tr("MODEL: {0!r} was written by a newer plugin (format version {1}); update the plugin.").format(
                path, header["version"]
            )
        )
    if header.get("checksum") != checksum(header, arrays):
        raise InputError(
            tr(
                "MODEL: {0!r} is damaged or was edited (checksum mismatch); train the classifier again."
            ).format(path)
        )
    return header, arrays


def export_estimator(method: str, model) -> dict[str, np.ndarray]:
    """The arrays that re-create a fitted estimator of ``classify.make_estimator``."""
    arrays: dict[str, np.ndarray] = {}
    if method in ("knn", "logistic"):
        scaler, model = model.named_steps["scale"], model.named_steps["model"]
        arrays.update(scaler_mean=scaler.mean_, scaler_scale=scaler.scale_)
    if method == "knn":
        arrays.update(fit_vectors=model._fit_X.astype(np.float32), fit_labels=model._y.astype(np.int64))
    elif method == "logistic":
        arrays.update(coef=model.coef_, intercept=model.intercept_)
    else:
        arrays["tree_depths"] = np.array([t.tree_.max_depth for t in model.estimators_], np.int64)
        for i, tree in enumerate(model.estimators_):
            state = tree.tree_.__getstate__()
            arrays[f"tree{i:04d}_nodes"] = _repack(state["nodes"], _packed(state["nodes"].dtype))
            arrays[f"tree{i:04d}_values"] = state["values"]
    return arrays


def rebuild_estimator(
    method: str, params: dict[str, Any], n_features: int, n_classes: int, arrays: dict[str, np.ndarray]
):
    """Re-create the fitted estimator from ``export_estimator``'s arrays (predicts class indices)."""
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from .classify import make_estimator

    model = make_estimator(method, params)
    classes = np.arange(n_classes)
    if method in ("knn", "logistic"):
        scaler = StandardScaler()
        scaler.mean_, scaler.scale_ = arrays["scaler_mean"], arrays["scaler_scale"]
        scaler.var_ = scaler.scale_**2
        scaler.n_features_in_, scaler.n_samples_seen_ = n_features, 1
        estimator = model.named_steps["model"]
        if method == "knn":
            estimator.fit(arrays["fit_vectors"].astype(np.float64), arrays["fit_labels"])
        else:
            estimator.coef_, estimator.intercept_ = arrays["coef"], arrays["intercept"]
            estimator.classes_, estimator.n_features_in_ = classes, n_features
            estimator.n_iter_ = np.array([0])
        return Pipeline([("scale", scaler), ("model", estimator)])
    _rebuild_forest(model, n_features, classes, arrays)
    return model


def _rebuild_forest(forest, n_features: int, classes: np.ndarray, arrays: dict[str, np.ndarray]) -> None:
    from sklearn.tree import DecisionTreeClassifier
    from sklearn.tree._tree import Tree

    trees = []
    names = sorted(n for n in arrays if n.endswith("_nodes"))
    for name, depth in zip(names, arrays["tree_depths"]):
        nodes, values = arrays[name], arrays[name.replace("_nodes", "_values")]
        tree = DecisionTreeClassifier()
        tree.n_features_in_, tree.n_outputs_ = n_features, 1
        tree.classes_, tree.n_classes_ = classes.astype(np.float64), len(classes)
        tree.max_features_ = forest.max_features
        state = Tree(n_features, np.array([len(classes)], dtype=np.intp), 1)
        nodes = _repack(nodes, state.__getstate__()["nodes"].dtype)
        state.__setstate__(
            {"max_depth": int(depth), "node_count": len(nodes), "nodes": nodes, "values": values}
        )
        tree.tree_ = state
        trees.append(tree)
    forest.estimators_, forest.estimator_ = trees, DecisionTreeClassifier()
    forest.n_features_in_, forest.n_outputs_ = n_features, 1
    forest.classes_, forest.n_classes_ = classes, len(classes)


def _packed(dtype: np.dtype) -> np.dtype:
    """The named fields of a structured dtype without padding (padding bytes are undefined memory)."""
    return np.dtype([(name, dtype.fields[name][0]) for name in dtype.names])


def _repack(nodes: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Copy a node table field by field into ``dtype`` (zero-filled: padding, fields a version lacks)."""
    out = np.zeros(len(nodes), dtype)
    for name in dtype.names:
        if name in nodes.dtype.names:
            out[name] = nodes[name]
    return out
