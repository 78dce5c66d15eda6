"""Clusters against scikit-learn k-means fitted directly on every pixel of a real Sentinel-2 tile."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import rasterio
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from terramind_qgis.core.errors import InputError
from terramind_qgis.core.workbench import clusters
from terramind_qgis.core.workbench.clusters import cluster_map

from .conftest import write_float_copy


def test_fixed_k_matches_direct_kmeans(s2_path, s2, tmp_path):
    out, report = tmp_path / "k.tif", tmp_path / "k.json"
    cluster_map(s2_path, "S2", str(out), clusters=4, seed=7, report=str(report), sample_size=10**9)

    pixels = s2.reshape(-1, 12)
    km = KMeans(n_clusters=4, n_init=clusters.N_INIT, random_state=7).fit(pixels)
    order = np.argsort(-np.bincount(km.labels_, minlength=4), kind="stable")
    rank = np.empty(4, int)
    rank[order] = np.arange(4)
    expected = (rank[km.labels_] + 1).reshape(s2.shape[:2])
    with rasterio.open(out) as dst:
        got = dst.read(1)
        assert dst.nodata == 0 and dst.dtypes[0] == "uint8"
        assert set(dst.colormap(1)) >= {1, 2, 3, 4}
    np.testing.assert_array_equal(got, expected)
    data = json.loads(report.read_text())
    assert data["k"] == 4 and data["automatic"] is None
    assert data["sizes"] == {str(c): int((expected == c).sum()) for c in range(1, 5)}
    assert data["sizes"]["1"] >= data["sizes"]["2"] >= data["sizes"]["3"] >= data["sizes"]["4"]
    assert data["inertia"] == pytest.approx(km.inertia_, rel=1e-6)


def test_same_seed_same_result(s2_path, tmp_path):
    a, b = tmp_path / "a.tif", tmp_path / "b.tif"
    cluster_map(s2_path, "S2", str(a), clusters=5, seed=3, sample_size=3000)
    cluster_map(s2_path, "S2", str(b), clusters=5, seed=3, sample_size=3000)
    with rasterio.open(a) as da, rasterio.open(b) as db:
        np.testing.assert_array_equal(da.read(), db.read())


def test_automatic_k_reports_silhouette_scores(s2_path, s2, tmp_path, monkeypatch):
    monkeypatch.setattr(clusters, "AUTO_K", range(2, 6))
    out, report = tmp_path / "auto.tif", tmp_path / "auto.json"
    cluster_map(s2_path, "S2", str(out), clusters=0, seed=1, report=str(report), sample_size=10**9)
    data = json.loads(report.read_text())
    scores = data["automatic"]["scores"]
    assert [s["k"] for s in scores] == [2, 3, 4, 5]
    pixels = s2.reshape(-1, 12)
    for s in scores:
        km = KMeans(n_clusters=s["k"], n_init=clusters.N_INIT, random_state=1).fit(pixels)
        sil = silhouette_score(pixels, km.labels_, sample_size=clusters.SILHOUETTE_SAMPLE, random_state=1)
        assert s["silhouette"] == pytest.approx(sil, rel=1e-9)
    best = max(scores, key=lambda s: s["silhouette"])["k"]
    assert data["k"] == best and f"K={best}" in data["automatic"]["reason"]
    with rasterio.open(out) as dst:
        assert dst.read(1).max() == best


def test_nodata_is_class_zero_and_not_sampled(s2_path, tmp_path):
    emb = write_float_copy(s2_path, str(tmp_path / "emb.tif"), nodata=0.0, nodata_box=(0, 30, 0, 224))
    out = tmp_path / "k.tif"
    cluster_map(emb, "emb", str(out), clusters=3, seed=0)
    with rasterio.open(out) as dst:
        got = dst.read(1)
    assert (got[:30] == 0).all() and (got[30:] > 0).all()


def test_too_few_pixels_leaves_no_file(s2_path, tmp_path):
    emb = write_float_copy(s2_path, str(tmp_path / "emb.tif"), nan_box=(0, 224, 0, 224))
    with pytest.raises(InputError, match="'emb' has only 0 valid pixel"):
        cluster_map(emb, "emb", str(tmp_path / "k.tif"), clusters=3)
    with pytest.raises(InputError, match="CLUSTERS must be 0"):
        cluster_map(s2_path, "S2", str(tmp_path / "k.tif"), clusters=1)
    assert os.listdir(tmp_path) == ["emb.tif"]
