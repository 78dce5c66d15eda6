"""The PCA pass reads small embeddings from memory and others from the file: the same map."""

from __future__ import annotations

import numpy as np
import rasterio
from helpers.fake_predictors import LocalFake, factory
from helpers.scenes import write_mosaic

from terramind_qgis.core import outputs
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import execute_job


def test_in_memory_and_file_pca_passes_agree(tmp_path, monkeypatch):
    scene = write_mosaic(tmp_path / "s2.tif", 600, height=500)  # several windows and tiles
    maps = []
    for limit, name in ((outputs.PCA_IN_MEMORY_BYTES, "memory"), (0, "file")):
        monkeypatch.setattr(outputs, "PCA_IN_MEMORY_BYTES", limit)
        spec = JobSpec(
            Task.EMBEDDINGS, (InputRaster(scene, "S2L2A"),), {"pca": str(tmp_path / f"{name}.tif")}
        )
        execute_job(spec, factory(LocalFake(out_channels=24, out_scale=16)))
        with rasterio.open(tmp_path / f"{name}.tif") as src:
            maps.append(src.read())
    assert maps[0].shape == (3, 32, 38) and maps[0].min() >= 1
    np.testing.assert_array_equal(maps[0], maps[1])


def test_pca_map_of_a_part_nodata_scene_equals_a_direct_pca_of_the_embeddings(tmp_path):
    """Streamed statistics (taken row by row in the pipeline's thread) and the map's nodata match numpy."""
    scene = write_mosaic(tmp_path / "s2.tif", 512, height=448, nodata=0)
    with rasterio.open(scene, "r+") as dst:
        dst.write(np.zeros((12, 448, 160), dtype=np.int16), window=((0, 448), (0, 160)))  # nodata stripe
    outs = {"embeddings": str(tmp_path / "emb.tif"), "pca": str(tmp_path / "pca.tif")}
    execute_job(
        JobSpec(Task.EMBEDDINGS, (InputRaster(scene, "S2L2A"),), outs),
        factory(LocalFake(out_channels=24, out_scale=16)),
    )
    with rasterio.open(outs["embeddings"]) as src:
        emb = src.read()
    with rasterio.open(outs["pca"]) as src:
        pca = src.read()
    vectors = emb.reshape(24, -1).T.astype(np.float64)
    ok = np.isfinite(vectors).all(axis=1)
    assert 0 < ok.sum() < len(ok)  # the stripe's patches are nodata, the rest is not
    assert (pca.reshape(3, -1)[:, ~ok] == 0).all() and (pca.reshape(3, -1)[:, ok] >= 1).all()
    x = vectors[ok]
    vals, vecs = np.linalg.eigh(np.cov(x, rowvar=False))
    axes = vecs[:, ::-1][:, :3].T
    axes *= np.sign(axes[np.arange(3), np.abs(axes).argmax(axis=1)])[:, None]
    scores = (x - x.mean(axis=0)) @ axes.T / (5.0 * np.sqrt(vals[::-1][:3]))
    expected = np.clip(np.rint((scores + 0.5) * 254 + 1), 1, 255)
    got = pca.reshape(3, -1)[:, ok].T.astype(np.float64)
    # float64 sums in another order: a value that lies on a rounding boundary may land one step away
    assert np.abs(got - expected).max() <= 1 and (got == expected).mean() > 0.999
