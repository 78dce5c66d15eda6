"""The in-memory explorer against the streaming tools and a direct scikit-learn fit, on a real tile."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio

from terramind_qgis.core.errors import InputError
from terramind_qgis.core.workbench import explorer as explorer_module
from terramind_qgis.core.workbench.classify import make_estimator
from terramind_qgis.core.workbench.explorer import UNKNOWN, Explorer
from terramind_qgis.core.workbench.geometry_pixels import Features
from terramind_qgis.core.workbench.similarity import similarity_map

from .conftest import write_float_copy


@pytest.fixture(scope="module")
def explorer(s2_path):
    return Explorer.load(s2_path, "S2")


def test_similarity_equals_the_algorithm(explorer, s2_path, tmp_path):
    pixels = [(40, 70), (41, 70), (150, 12)]
    seeds = Features("clicks", [{"type": "Point", "coordinates": explorer.centre(r, c)} for r, c in pixels])
    similarity_map(s2_path, "S2", seeds, str(tmp_path / "sim.tif"))
    with rasterio.open(tmp_path / "sim.tif") as src:
        expected = src.read(1)
    np.testing.assert_allclose(explorer.similarity(pixels), expected, atol=2e-6)
    assert explorer.pixel_at(*explorer.centre(40, 70)) == (40, 70)


def test_refit_equals_a_direct_fit_and_least_certain_is_the_minimum(explorer, s2, lulc_polygons):
    _regions, lulc, _t = lulc_polygons
    rng = np.random.default_rng(0)
    clicks = []
    for cls, name in ((1, "water"), (2, "trees"), (4, "crops")):
        rows, cols = np.nonzero(lulc == cls)
        for i in rng.choice(len(rows), 4, replace=False):
            clicks.append((int(rows[i]), int(cols[i]), name))
    for r, c, name in clicks:
        explorer.set_label(r, c, name)
    explorer.set_label(0, 0, UNKNOWN)  # not trained on
    classes, confidence = explorer.refit()
    names = sorted({n for _r, _c, n in clicks})
    assert explorer.classes() == names
    x = np.array([s2[r, c] for r, c, _n in clicks])
    y = np.array([names.index(n) for _r, _c, n in clicks])
    proba = make_estimator("logistic", {"max_iter": 1000}).fit(x, y).predict_proba(s2.reshape(-1, 12))
    np.testing.assert_array_equal(classes, (proba.argmax(axis=1) + 1).reshape(224, 224))
    np.testing.assert_allclose(confidence, proba.max(axis=1).reshape(224, 224), rtol=1e-5)
    r, c = explorer.least_certain(confidence)
    masked = confidence.copy()
    for p in explorer.labels:
        masked[p] = np.inf
    assert confidence[r, c] == masked.min() and (r, c) not in explorer.labels
    training = explorer.training_features()
    assert len(training.geometries) == len(clicks) and UNKNOWN not in training.values


def test_one_class_does_not_fit(s2_path):
    ex = Explorer.load(s2_path, "S2")
    ex.set_label(3, 3, "a")
    ex.set_label(4, 4, "a")
    assert ex.refit() is None


def test_too_large_or_empty_rasters_are_refused(s2_path, tmp_path, monkeypatch):
    monkeypatch.setattr(explorer_module, "MAX_BYTES", 1000)
    with pytest.raises(InputError, match="'S2' needs .* GiB in memory to explore"):
        Explorer.load(s2_path, "S2")
    monkeypatch.undo()
    empty = write_float_copy(s2_path, str(tmp_path / "empty.tif"), nan_box=(0, 224, 0, 224))
    with pytest.raises(InputError, match="'empty' has no valid pixel"):
        Explorer.load(empty, "empty")


def test_preview_is_written_through_a_unique_temp_file(explorer, tmp_path):
    """A user's file that looks like a temp name is never touched; only the preview and its style remain."""
    from terramind_qgis.core.products import PRODUCTS

    users = tmp_path / "sim.tif.tmp.tif"
    users.write_bytes(b"not ours")
    values = explorer.similarity([(10, 10)])
    path = explorer_module.write_preview(
        str(tmp_path / "sim.tif"), values, explorer.grid, PRODUCTS["similarity"]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sim.qml", "sim.tif", "sim.tif.tmp.tif"]
    assert users.read_bytes() == b"not ours"
    with rasterio.open(path) as src:
        np.testing.assert_array_equal(src.read(1), values)
