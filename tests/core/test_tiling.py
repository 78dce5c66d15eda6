"""Tile windows cover the grid, blend weights are smooth and positive, the accumulator is exact."""

from __future__ import annotations

import numpy as np
import pytest

from terramind_qgis.core.grid import Box
from terramind_qgis.core.tiling import (
    RowBandAccumulator,
    blend_ramp,
    blend_weights,
    fill_invalid,
    pad_tile,
    plan_strips,
    tile_boxes,
    tile_origins,
)


@pytest.mark.parametrize("length", [1, 120, 223, 224, 225, 512, 1000])
@pytest.mark.parametrize("tile,overlap", [(224, 32), (224, 0), (96, 48), (256, 64)])
def test_tile_origins_cover_length_without_gaps(length, tile, overlap):
    origins = tile_origins(length, tile, overlap)
    covered = np.zeros(max(length, tile), dtype=int)
    for o in origins:
        covered[o : o + tile] += 1
    assert covered[:length].min() >= 1
    assert origins[0] == 0 and origins == sorted(set(origins))
    if length >= tile:
        assert origins[-1] + tile == length  # last window ends at the edge, none sticks out
        assert all(
            b - a <= tile - overlap for a, b in zip(origins, origins[1:])
        )  # at least `overlap` overlap


def test_tile_origins_aligned_to_patches_when_asked():
    origins = tile_origins(1000, 224, 32, align=16)
    assert all(o % 16 == 0 for o in origins)
    assert origins[-1] + 224 == 1008  # 1000 rounded up to a whole patch


def test_tile_origins_reject_overlap_not_smaller_than_tile():
    with pytest.raises(ValueError):
        tile_origins(500, 64, 64)


def test_blend_ramp_is_positive_symmetric_and_one_inside():
    r = blend_ramp(224, 32)
    assert r.min() > 0 and r.max() == 1
    np.testing.assert_allclose(r, r[::-1])
    assert (r[32:-32] == 1).all() and (np.diff(r[:32]) > 0).all()
    assert blend_weights(224, 32).shape == (224, 224)


def test_accumulator_returns_the_image_when_tiles_are_exact_crops():
    rng = np.random.default_rng(0)
    h, w, t, ov = 300, 410, 96, 24
    image = rng.standard_normal((3, h, w)).astype(np.float32)
    acc = RowBandAccumulator(3, h, w)
    boxes = tile_boxes(h, w, t, ov)
    weights = blend_weights(t, ov)
    out = np.full_like(image, np.nan)
    for i, b in enumerate(boxes):
        crop = np.zeros((3, t, t), np.float32)
        crop[:, : min(t, h - b.row), : min(t, w - b.col)] = image[:, b.row : b.row + t, b.col : b.col + t]
        acc.add(crop, weights, b.row, b.col)
        nxt = boxes[i + 1].row if i + 1 < len(boxes) else None

        def consume(row, values, wsum):
            assert (wsum > 0).all()
            out[:, row : row + values.shape[1]] = values

        acc.flush(nxt, consume)
    np.testing.assert_allclose(out, image, atol=1e-5)  # weighted mean of identical values = the value


def test_accumulator_keeps_only_rows_in_flight():
    acc = RowBandAccumulator(2, 10_000, 50)
    weights = blend_weights(32, 8)
    for row in range(0, 10_000 - 32, 24):
        acc.add(np.ones((2, 32, 32), np.float32), weights, row, 0)
        acc.flush(row + 24, lambda *_: None)
        assert acc._weights.shape[0] <= 32  # never more than one tile's rows buffered


def test_accumulator_rejects_tiles_above_flushed_rows():
    acc = RowBandAccumulator(1, 100, 100)
    acc.add(np.ones((1, 10, 10), np.float32), np.ones((10, 10), np.float32), 0, 0)
    acc.flush(5, lambda *_: None)
    with pytest.raises(ValueError):
        acc.add(np.ones((1, 10, 10), np.float32), np.ones((10, 10), np.float32), 0, 0)


def test_pad_tile_mirrors_data_and_masks_outside():
    data = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    valid = np.ones((3, 4), bool)
    out, mask = pad_tile(data, valid, Box(0, 0, 3, 4), 8)
    assert out.shape == (2, 8, 8) and mask.shape == (8, 8)
    assert mask[:3, :4].all() and not mask[3:].any() and not mask[:, 4:].any()
    np.testing.assert_array_equal(out[:, :3, :4], data)
    np.testing.assert_array_equal(out[:, 3, :4], data[:, 2])  # symmetric mirror


def test_fill_invalid_uses_band_mean_of_valid_pixels():
    data = np.array([[[1.0, 3.0], [np.nan, 100.0]]], dtype=np.float32)
    valid = np.array([[True, True], [True, False]])
    out = fill_invalid(data, valid)
    np.testing.assert_array_equal(out, [[[1.0, 3.0], [2.0, 2.0]]])


@pytest.mark.parametrize(
    "width, tile, overlap, step, max_width",
    [
        (8192, 224, 32, 256, 2048),
        (5000, 224, 96, 256, 700),
        (1400, 224, 32, 256, 256),
        (288, 14, 2, 256, 128),
        (3000, 256, 0, 16, 512),
        (600, 224, 32, 256, None),
    ],
)
def test_strips_cover_the_grid_once_and_stay_narrow(width, tile, overlap, step, max_width):
    origins = tile_origins(width, tile, overlap)
    strips = plan_strips(origins, tile, width, step, max_width)
    assert [c for s in strips for c in s.cols] == origins  # every tile column once, in order
    assert strips[0].start == 0 and strips[-1].stop == strips[-1].end == width
    for left, right in zip(strips, strips[1:]):
        assert left.stop == right.start and left.stop % step == 0
        assert left.start < left.stop <= left.end
        assert right.cols[0] >= left.stop  # the right strip's tiles start after the cut
        assert left.end <= right.end  # the seam [stop, end) lies inside the next strip
        assert left.cols[0] >= left.start and left.end == min(left.cols[-1] + tile, width)
    if max_width is None:
        assert len(strips) == 1
    elif step <= max_width - tile:
        assert max(s.end - s.start for s in strips) <= max_width  # a cut always fits


def test_accumulator_over_a_strip_ignores_columns_outside_it():
    acc = RowBandAccumulator(1, 10, 4, col=6)  # grid columns 6..9
    acc.add(np.arange(100, dtype=np.float32).reshape(1, 10, 10), np.ones((10, 10), np.float32), 0, 0)
    out = []
    acc.flush(None, lambda row, v, w: out.append(v.copy()))
    np.testing.assert_array_equal(out[0][0], np.arange(100).reshape(10, 10)[:, 6:])
