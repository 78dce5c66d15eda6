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
