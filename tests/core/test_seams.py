"""Seam buffers hand unnormalised sums from one strip to the next through an anonymous temp file."""

from __future__ import annotations

import os

import numpy as np
import pytest

from terramind_qgis.core.seams import SeamBuffer


def test_saved_rows_are_added_back_in_other_chunks(tmp_path):
    rng = np.random.default_rng(0)
    sums = rng.standard_normal((3, 50, 7)).astype(np.float32)
    weights = rng.random((50, 7)).astype(np.float32)
    seam = SeamBuffer(3, 7, str(tmp_path))
    for row, n in ((0, 20), (20, 20), (40, 10)):
        seam.save(row, sums[:, row : row + n], weights[row : row + n])
    assert list(tmp_path.iterdir()) == []  # nothing visible to the user, nothing to clean up
    got_s, got_w = np.ones_like(sums), np.ones_like(weights)
    for row, n in ((0, 13), (13, 30), (43, 7)):  # the next strip flushes other row bands
        seam.add_to(row, got_s[:, row : row + n], got_w[row : row + n])
    np.testing.assert_array_equal(got_s, sums + 1)
    np.testing.assert_array_equal(got_w, weights + 1)
    with pytest.raises(ValueError, match="in order"):
        seam.add_to(0, got_s[:, :1], got_w[:1])
    seam.close()


def test_rows_must_be_saved_in_order(tmp_path):
    seam = SeamBuffer(1, 2, str(tmp_path))
    with pytest.raises(ValueError, match="in order"):
        seam.save(5, np.zeros((1, 1, 2), np.float32), np.zeros((1, 2), np.float32))
    seam.close()
    assert os.listdir(tmp_path) == []
