"""Shifted-window embeddings against a direct per-pixel computation with a patch-mean 'model'."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers.paths import example

from terramind_qgis.core.errors import InputError
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task, model_passes, validate_spec
from terramind_qgis.core.shifted_windows import shifts, strided_embeddings


def _patch_means(batch):
    """A 'model' whose token is the mean of its 16 x 16 patch per band: (B, C, T, T) -> (B, C, T/16, T/16)."""
    x = batch["S2L2A"]
    b, c, t, _ = x.shape
    return x.reshape(b, c, t // 16, 16, t // 16, 16).mean(axis=(3, 5))


@pytest.fixture(scope="module")
def tiles():
    with rasterio.open(example("S2L2A")) as src:
        data = src.read(window=((0, 64), (0, 64))).astype(np.float64)  # real (12, 64, 64) values
    return {"S2L2A": np.stack([data, data[:, ::-1, :]])}  # (2, 12, 64, 64)


@pytest.mark.parametrize("stride", [8, 4])
def test_each_output_pixel_is_the_mean_of_the_tokens_covering_it(tiles, stride):
    got = strided_embeddings(_patch_means, tiles, stride)
    x = tiles["S2L2A"]
    b, c, t, _ = x.shape
    n = t // stride
    padded = np.pad(x, ((0, 0), (0, 0), (0, 16), (0, 16)), mode="reflect")
    expected = np.zeros((b, c, n, n))
    for i in range(n):
        for j in range(n):
            y, xx = i * stride, j * stride  # the output pixel's top-left input pixel
            tokens = []
            for dy, dx in shifts(stride):
                if y < dy or xx < dx:
                    continue  # this shift's tokens start below/right of the pixel
                py, px = dy + (y - dy) // 16 * 16, dx + (xx - dx) // 16 * 16  # covering patch
                tokens.append(padded[:, :, py : py + 16, px : px + 16].mean(axis=(2, 3)))
            expected[:, :, i, j] = np.mean(tokens, axis=0)
    one_shift_per_call = strided_embeddings(_patch_means, tiles, stride, max_batch=b)
    np.testing.assert_allclose(one_shift_per_call, got, rtol=1e-6)
    assert got.shape == (b, c, n, n)
    np.testing.assert_allclose(got, expected, rtol=1e-6)  # float32 sums of up to 16 tokens
    assert len(list(shifts(stride))) == model_passes(stride) == (16 // stride) ** 2


def test_stride_16_is_one_plain_pass(tiles):
    calls = []

    def run(batch):
        calls.append(1)
        return _patch_means(batch)

    np.testing.assert_array_equal(strided_embeddings(run, tiles, 16), _patch_means(tiles))
    assert len(calls) == 1


def test_stride_must_be_16_8_or_4(tmp_path):
    spec = JobSpec(
        Task.EMBEDDINGS,
        (InputRaster(str(example("S2L2A")), "S2L2A"),),
        {"pca": str(tmp_path / "p.tif")},
        embedding_stride=5,
    )
    with pytest.raises(InputError, match="embedding stride must be one of 16, 8, 4"):
        validate_spec(spec)
    assert JobSpec.from_json(spec.to_json()).embedding_stride == 5
