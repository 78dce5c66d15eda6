"""Streaming PCA equals a one-shot PCA and maps to RGB deterministically."""

from __future__ import annotations

import numpy as np

from terramind_qgis.core.pca import StreamingCovariance


def _data(n=4000, d=24, seed=0):
    rng = np.random.default_rng(seed)
    scales = np.linspace(5, 0.1, d)
    return rng.standard_normal((n, d)) * scales + rng.standard_normal(d) * 3


def test_streaming_covariance_in_chunks_matches_numpy():
    x = _data()
    cov = StreamingCovariance(x.shape[1])
    for chunk in np.array_split(x, 17):
        cov.update(chunk)
    pca = cov.fit(3)
    ref_vals, ref_vecs = np.linalg.eigh(np.cov(x, rowvar=False))
    ref = ref_vecs[:, ::-1][:, :3].T
    np.testing.assert_allclose(np.abs(pca.axes @ ref.T), np.eye(3), atol=1e-8)  # same axes up to sign
    np.testing.assert_allclose(pca.std, np.sqrt(ref_vals[::-1][:3]), rtol=1e-9)
    np.testing.assert_allclose(pca.mean, x.mean(axis=0), rtol=1e-9, atol=1e-12)


def test_pca_rgb_is_independent_of_chunking_and_reserves_zero():
    x = _data()
    a, b = StreamingCovariance(x.shape[1]), StreamingCovariance(x.shape[1])
    a.update(x)
    for chunk in np.array_split(x, 5):
        b.update(chunk)
    rgb_a, rgb_b = a.fit().to_rgb(x), b.fit().to_rgb(x)
    np.testing.assert_array_equal(rgb_a, rgb_b)
    assert rgb_a.dtype == np.uint8 and rgb_a.min() >= 1
    # First component spreads over the colour range: +-2.5 std -> about 1..255.
    assert rgb_a[:, 0].std() > 30
