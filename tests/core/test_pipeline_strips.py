"""Wide scenes run in vertical strips (core/tile_pass.py): the result equals a single pass, on real scenes.

``tile_pass.STRIP_WIDTH`` is lowered so that small real scenes are cut into several strips; the reference
runs use the default (one strip for these sizes). The stand-in model adds a tile-wide mean, so a pixel's
value depends on every tile covering it and a wrong hand-over between strips would show at the cut.
"""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers.fake_predictors import LocalFake, factory
from helpers.paths import SEN1FLOODS
from helpers.scenes import write_mosaic

from terramind_qgis.core import tile_pass
from terramind_qgis.core.errors import JobCancelled
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import execute_job, plan_inputs
from terramind_qgis.core.tile_pass import TileLayout

S2 = str(SEN1FLOODS / "Spain_7370579_S2Hand.tif")
S1 = str(SEN1FLOODS / "Spain_7370579_S1Hand.tif")


def _job(tmp_path, name, task, inputs, fake, **kw):
    outputs = {
        Task.S1GRD: {"s1grd": f"{name}.tif"},
        Task.LULC: {"lulc": f"{name}.tif"},
        Task.EMBEDDINGS: {"embeddings": f"{name}_emb.tif", "pca": f"{name}_pca.tif"},
    }[task]
    spec = JobSpec(
        task,
        tuple(InputRaster(p, m) for p, m in inputs),
        {k: str(tmp_path / v) for k, v in outputs.items()},
        **kw,
    )
    result = execute_job(spec, factory(fake))
    out = {}
    for kind, path in result.outputs.items():
        with rasterio.open(path) as src:
            out[kind] = src.read()
    return spec, out


def _strips(spec, scale, block=256):
    grid, _ = plan_inputs(spec, check_outputs=False)
    return TileLayout.plan(spec, grid, scale, block).strips


def test_strips_equal_a_single_pass_on_a_real_scene_with_warped_s1(tmp_path, monkeypatch):
    inputs = ((S2, "S2L1C"), (S1, "S1GRD"))
    fake = LocalFake(2, context=1.0)
    _, ref = _job(tmp_path, "ref", Task.S1GRD, inputs, fake)
    monkeypatch.setattr(tile_pass, "STRIP_WIDTH", 300)
    spec, cut = _job(tmp_path, "cut", Task.S1GRD, inputs, fake)
    strips = _strips(spec, 1)
    assert [(s.start, s.stop) for s in strips] == [(0, 256), (256, 512)] and strips[0].end > 256
    a, b = ref["s1grd"], cut["s1grd"]
    assert (np.isnan(a) == np.isnan(b)).all() and np.isfinite(a).mean() > 0.9
    # Same sums in another order: float32 rounding only.
    np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-5 * np.nanstd(a))


def test_many_strips_give_the_same_classes_on_a_wide_mosaic(tmp_path, monkeypatch):
    scene = write_mosaic(tmp_path / "wide.tif", 1400, height=300)
    inputs = ((scene, "S2L2A"),)
    fake = LocalFake(10, context=1.0)
    _, ref = _job(tmp_path, "ref", Task.LULC, inputs, fake, batch_size=3)
    monkeypatch.setattr(tile_pass, "STRIP_WIDTH", 256)
    spec, cut = _job(tmp_path, "cut", Task.LULC, inputs, fake, batch_size=3)
    assert len(_strips(spec, 1)) >= 4
    same = ref["lulc"] == cut["lulc"]
    assert same.mean() > 0.9999, np.argwhere(~same)[:10]  # argmax ties aside, identical


def test_embedding_strips_equal_a_single_pass_and_pca_is_fitted_once(tmp_path, monkeypatch):
    scene = write_mosaic(tmp_path / "wide.tif", 4608, height=224)  # 288 patches: wider than one 256 block
    inputs = ((scene, "S2L2A"),)
    fake = LocalFake(8, out_scale=16, context=1.0)
    _, ref = _job(tmp_path, "ref", Task.EMBEDDINGS, inputs, fake, batch_size=8)
    monkeypatch.setattr(tile_pass, "STRIP_WIDTH", 1024)
    spec, cut = _job(tmp_path, "cut", Task.EMBEDDINGS, inputs, fake, batch_size=8)
    assert [(s.start, s.stop) for s in _strips(spec, 16)] == [(0, 256), (256, 288)]
    np.testing.assert_allclose(cut["embeddings"], ref["embeddings"], rtol=1e-5, atol=1e-6)
    assert cut["embeddings"].shape == (8, 14, 288)
    diff = np.abs(cut["pca"].astype(int) - ref["pca"].astype(int))
    assert diff.max() <= 1  # same PCA fitted over the whole area; uint8 rounding only


def test_cancel_in_a_later_strip_leaves_nothing(tmp_path, monkeypatch):
    scene = write_mosaic(tmp_path / "wide.tif", 1400, height=300)
    monkeypatch.setattr(tile_pass, "STRIP_WIDTH", 256)
    spec = JobSpec(
        Task.LULC, (InputRaster(scene, "S2L2A"),), {"lulc": str(tmp_path / "out" / "l.tif")}, batch_size=1
    )
    (tmp_path / "out").mkdir()
    seen = []

    def progress(fraction, message):
        seen.append(fraction)

    with pytest.raises(JobCancelled):
        execute_job(spec, factory(LocalFake()), progress, is_cancelled=lambda: len(seen) > 10)
    assert 0.5 < max(seen) < 1  # 16 tiles in 5 strips: stopped in the fourth strip
    assert list((tmp_path / "out").iterdir()) == []


def test_a_write_error_in_the_writing_thread_stops_the_job_and_leaves_nothing(tmp_path, monkeypatch):
    from terramind_qgis.core.errors import OutputError
    from terramind_qgis.core.raster_io import GeoTiffWriter

    scene = write_mosaic(tmp_path / "wide.tif", 1400, height=600)
    monkeypatch.setattr(tile_pass, "STRIP_WIDTH", 512)
    calls = []
    original = GeoTiffWriter._write_pending

    def failing(self, n):
        calls.append(n)
        if len(calls) == 2:
            raise OutputError("Writing 'l.tif' failed: No space left on device. Is the disk full?")
        original(self, n)

    monkeypatch.setattr(GeoTiffWriter, "_write_pending", failing)
    (tmp_path / "out").mkdir()
    spec = JobSpec(
        Task.LULC, (InputRaster(scene, "S2L2A"),), {"lulc": str(tmp_path / "out" / "l.tif")}, batch_size=2
    )
    with pytest.raises(OutputError, match="disk full"):
        execute_job(spec, factory(LocalFake()))
    assert list((tmp_path / "out").iterdir()) == []
