"""Classification against scikit-learn run directly on the same training pixels of a real tile.

Training features are regions cut from the tile's real LULC map; cross-validation is grouped by feature.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import rasterio
from helpers.paths import example
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

from terramind_qgis.core.errors import InputError
from terramind_qgis.core.products import LULC
from terramind_qgis.core.workbench import classify
from terramind_qgis.core.workbench.classify_raster import classify_map
from terramind_qgis.core.workbench.geometry_pixels import Features

from .conftest import SAMPLE, write_float_copy


def _training(training_polygons, names: bool = False) -> Features:
    values = [LULC.class_names[c] if names else c for c, _g, _m in training_polygons]
    return Features("LULC regions", [g for _c, g, _m in training_polygons], values)


def _reference(s2, training_polygons, method: str, folds: int, seed: int):
    """Direct scikit-learn: training pixels from the region masks, grouped stratified CV, final fit."""
    classes = sorted({c for c, _g, _m in training_polygons})
    x = np.concatenate([s2[m] for _c, _g, m in training_polygons])
    y = np.concatenate([np.full(m.sum(), classes.index(c)) for c, _g, m in training_polygons])
    groups = np.concatenate([np.full(m.sum(), i) for i, (_c, _g, m) in enumerate(training_polygons)])
    params = classify.method_params(method, len(y), folds, seed)
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    oof = cross_val_predict(classify.make_estimator(method, params), x, y, groups=groups, cv=cv)
    model = classify.make_estimator(method, params).fit(x, y)
    proba = model.predict_proba(s2.reshape(-1, s2.shape[-1]))
    return classes, y, oof, proba


@pytest.mark.parametrize("method", classify.METHODS)
def test_matches_direct_scikit_learn(method, s2_path, s2, training_polygons, tmp_path):
    paths = {
        k: str(tmp_path / f"{k}{ext}")
        for k, ext in (("classes", ".tif"), ("confidence", ".tif"), ("report", ".json"), ("model", ".tmclf"))
    }
    result = classify_map(
        s2_path,
        "S2",
        paths["classes"],
        _training(training_polygons),
        method,
        folds=3,
        seed=2,
        confidence=paths["confidence"],
        report=paths["report"],
        model_out=paths["model"],
    )
    classes, y, oof, proba = _reference(s2, training_polygons, method, 3, 2)
    with rasterio.open(paths["classes"]) as dst:
        got = dst.read(1)
        assert dst.nodata == 0
    with rasterio.open(paths["confidence"]) as dst:
        conf = dst.read(1)
    expected = np.array(classes)[proba.argmax(axis=1)].reshape(s2.shape[:2])
    assert (got == expected).mean() > 0.999  # ties in k-NN votes may break differently on a few pixels
    np.testing.assert_allclose(conf, proba.max(axis=1).reshape(s2.shape[:2]), atol=1e-6)

    report = json.loads(open(paths["report"]).read())
    assert report["overall_accuracy"] == pytest.approx(accuracy_score(y, oof))
    p, r, f1, support = precision_recall_fscore_support(y, oof, zero_division=0)
    assert [c["value"] for c in report["classes"]] == classes
    np.testing.assert_allclose([c["precision"] for c in report["classes"]], p)
    np.testing.assert_allclose([c["recall"] for c in report["classes"]], r)
    np.testing.assert_allclose([c["f1"] for c in report["classes"]], f1)
    assert [c["pixels"] for c in report["classes"]] == support.tolist()
    assert report["confusion_matrix"] == confusion_matrix(y, oof).tolist()
    assert set(result.outputs) == {"classification", "confidence", "report", "report_html", "model"}
    html = open(result.outputs["report_html"]).read()
    assert "Overall accuracy" in html and "Confusion matrix" in html

    # The saved classifier re-creates the same model: applying it gives the same files.
    again = {k: str(tmp_path / f"again_{k}.tif") for k in ("classes", "confidence")}
    classify_map(s2_path, "S2", again["classes"], confidence=again["confidence"], model_in=paths["model"])
    with rasterio.open(again["classes"]) as a, rasterio.open(again["confidence"]) as c:
        np.testing.assert_array_equal(a.read(1), got)
        np.testing.assert_allclose(c.read(1), conf, atol=1e-7)


def test_text_classes_are_numbered_in_sorted_order(s2_path, training_polygons, tmp_path):
    out = tmp_path / "c.tif"
    result = classify_map(s2_path, "S2", str(out), _training(training_polygons, names=True), "logistic", 3)
    names = sorted({LULC.class_names[c] for c, _g, _m in training_polygons})
    with rasterio.open(out) as dst:
        assert set(np.unique(dst.read(1))) <= set(range(1, len(names) + 1))
    qml = open(result.styles["classification"]).read()
    for value, name in enumerate(names, start=1):
        assert f'value="{value}"' in qml and f'label="{name}"' in qml


def test_model_file_header(s2_path, training_polygons, tmp_path):
    from terramind_qgis.core.workbench.classifier_file import read_classifier

    model = tmp_path / "m.tmclf"
    classify_map(
        s2_path,
        "S2",
        str(tmp_path / "c.tif"),
        _training(training_polygons),
        "random_forest",
        3,
        model_out=str(model),
    )
    header, arrays = read_classifier(str(model))
    assert header["feature_count"] == 12 and header["method"] == "random_forest"
    assert [c["value"] for c in header["classes"]] == [1, 2, 4, 5, 9]
    assert header["grid"]["width"] == 224 and len(header["checksum"]) == 64
    assert model.stat().st_size < 5 * 2**20
    import zipfile

    with zipfile.ZipFile(model) as zf:
        assert not any(n.endswith((".pkl", ".pickle")) for n in zf.namelist())


def test_saved_model_refuses_other_embeddings(s2_path, training_polygons, tmp_path):
    model = tmp_path / "m.tmclf"
    classify_map(
        s2_path,
        "S2",
        str(tmp_path / "c.tif"),
        _training(training_polygons),
        "logistic",
        3,
        model_out=str(model),
    )
    out = tmp_path / "x.tif"
    with pytest.raises(InputError, match="12 features; 'L1C' has 13 bands"):
        classify_map(str(example("S2L1C", SAMPLE)), "L1C", str(out), model_in=str(model))
    tagged = write_float_copy(s2_path, str(tmp_path / "tagged.tif"))
    with rasterio.open(tagged, "r+") as dst:
        dst.update_tags(TERRAMIND_MODEL="terramind_v1_base")
    with pytest.raises(
        InputError, match="embeddings of an unknown model; 'tagged' holds embeddings of terramind_v1_base"
    ):
        classify_map(tagged, "tagged", str(out), model_in=str(model))
    damaged = tmp_path / "damaged.tmclf"
    import zipfile

    with zipfile.ZipFile(model) as src, zipfile.ZipFile(damaged, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "header.json":
                data = data.replace(b'"logistic"', b'"knn"')
            dst.writestr(name, data)
    with pytest.raises(InputError, match="checksum mismatch"):
        classify_map(s2_path, "S2", str(out), model_in=str(damaged))
    assert not out.exists() and not list(tmp_path.glob("*.part*"))


def test_bad_training_leaves_no_file(s2_path, s2, training_polygons, tmp_path):
    out = tmp_path / "c.tif"
    one_class = [t for t in training_polygons if t[0] == 2]
    with pytest.raises(InputError, match="only 1 class \\('2'\\) with valid pixels"):
        classify_map(s2_path, "S2", str(out), _training(one_class), "knn", 3)
    water = [t for t in training_polygons if t[0] == 1][:2] + [t for t in training_polygons if t[0] == 2]
    with pytest.raises(InputError, match="class '1' has 2 training feature.*fewer than FOLDS=5"):
        classify_map(s2_path, "S2", str(out), _training(water), "knn", 5)
    with rasterio.open(s2_path) as src:
        far = {"type": "Point", "coordinates": src.transform * (-900, -900)}
    with pytest.raises(InputError, match="TRAINING: none of the 1 feature"):
        classify_map(s2_path, "S2", str(out), Features("far", [far], [1]), "knn", 3)
    with pytest.raises(InputError, match="outside 1..65535"):
        classify_map(s2_path, "S2", str(out), Features("zero", [far, far], [0, 1]), "knn", 3)
    with pytest.raises(InputError, match="FOLDS must be at least 2"):
        classify_map(s2_path, "S2", str(out), _training(training_polygons), "knn", 1)
    assert os.listdir(tmp_path) == []
