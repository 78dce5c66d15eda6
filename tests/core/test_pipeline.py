"""run_job on real scenes with a deterministic stand-in model: grid, blending, streaming, errors, cancel.

The stand-ins (tests/helpers/fake_predictors.py) go through ``execute_job``'s ``predictor_factory``, the
same path ``run_job`` uses with the real model; end-to-end tests with seeded weights are in
test_pipeline_model.py.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
import rasterio
from helpers.fake_predictors import CpuOomFake, LocalFake, OomFake, StepFake, factory
from helpers.paths import BIGEARTHNET, SEN1FLOODS, example
from helpers.scenes import reproject_to_utm, write_mosaic

from terramind_qgis.core.errors import InputError, JobCancelled, OutputError
from terramind_qgis.core.jobs import Area, InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import execute_job, plan_inputs
from terramind_qgis.core.tiling import tile_origins

S2 = str(SEN1FLOODS / "Spain_7370579_S2Hand.tif")
S1 = str(SEN1FLOODS / "Spain_7370579_S1Hand.tif")
BEN_S2 = str(BIGEARTHNET / "S2B_MSIL2A_20170924T93020_69_24_S2L2A_12band.tif")
BEN_S1 = str(BIGEARTHNET / "S1A_IW_GRDH_1SDV_20170925T043256_35VPK_69_24_S1GRD_VV_VH_dB.tif")


def _spec(tmp_path, task=Task.LULC, inputs=((S2, "S2L1C"), (S1, "S1GRD")), outputs=None, **kw) -> JobSpec:
    outputs = outputs or {"lulc": "lulc.tif"}
    return JobSpec(
        task=task,
        inputs=tuple(InputRaster(p, m) for p, m in inputs),
        outputs={k: str(tmp_path / v) for k, v in outputs.items()},
        **kw,
    )


def _run(spec, fake=None, **kw):
    return execute_job(spec, factory(fake or LocalFake()), **kw)


def _read(path):
    with rasterio.open(path) as src:
        return src.read(), src.profile, src.tags()


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


def test_lulc_output_is_on_the_optical_grid_with_palette_tags_and_style(tmp_path):
    result = _run(_spec(tmp_path))
    data, profile, tags = _read(result.outputs["lulc"])
    with rasterio.open(S2) as src:
        assert (profile["crs"], profile["transform"], profile["width"], profile["height"]) == (
            src.crs,
            src.transform,
            src.width,
            src.height,
        )
    assert profile["dtype"] == "uint8" and profile["nodata"] == 255 and profile["tiled"]
    assert set(np.unique(data)) <= set(range(10)) | {255}
    with rasterio.open(result.outputs["lulc"]) as src:
        assert src.colormap(1)[1][:3] == (0x31, 0x71, 0xAD)  # water colour of docs/model.md §7.5
        assert src.tags(1)["CLASS_NAMES"].split(",")[1] == "Water"
    assert tags["TERRAMIND_MODEL"] == "fake-local" and tags["TERRAMIND_SEED"] == "0"
    assert '"modality": "S1GRD"' in tags["TERRAMIND_INPUTS"] and tags["TERRAMIND_PLUGIN_VERSION"]
    assert os.path.exists(result.styles["lulc"]) and result.styles["lulc"].endswith("lulc.qml")
    assert "<Category>Water</Category>" in open(result.outputs["lulc"] + ".aux.xml").read()
    assert _leftovers(tmp_path) == []


def test_s1_in_another_crs_and_resolution_is_warped_onto_the_grid(tmp_path):
    utm = reproject_to_utm(S1, tmp_path / "s1_utm.tif")
    kw = dict(task=Task.S1GRD, outputs={"s1grd": "a.tif"})
    a = _read(_run(_spec(tmp_path, **kw)).outputs["s1grd"])[0]
    b = _read(
        _run(
            _spec(tmp_path, inputs=((S2, "S2L1C"), (utm, "S1GRD")), **dict(kw, outputs={"s1grd": "b.tif"}))
        ).outputs["s1grd"]
    )[0]
    ok = np.isfinite(a).all(axis=0) & np.isfinite(b).all(axis=0)
    assert ok.mean() > 0.95
    assert np.corrcoef(a[0][ok], b[0][ok])[0, 1] > 0.95  # same scene, S1 resampled twice


@pytest.mark.parametrize("tiling", [(192, 32), (256, 96)])
def test_two_tilings_give_the_same_interior(tmp_path, tiling):
    kw = dict(task=Task.S1GRD, outputs={"s1grd": "ref.tif"})
    ref = _read(_run(_spec(tmp_path, tile_size=224, overlap=32, **kw)).outputs["s1grd"])[0]
    tile, overlap = tiling
    other = _read(
        _run(
            _spec(tmp_path, tile_size=tile, overlap=overlap, **dict(kw, outputs={"s1grd": "o.tif"}))
        ).outputs["s1grd"]
    )[0]
    inner = (slice(None), slice(1, -1), slice(1, -1))  # the scene's outer ring sees the fake's edge padding
    ok = np.isfinite(ref[inner]) & np.isfinite(other[inner])
    scale = np.nanstd(ref)
    # The stand-in is local (3x3), so only a tile's outermost pixel differs between tilings, and the blend
    # gives that pixel a weight of about 6e-4 next to a neighbour's 1: differences stay below 1e-3 std.
    assert np.abs(ref[inner][ok] - other[inner][ok]).max() < 1e-3 * scale


def _offset_field(tmp_path, overlap, name):
    """Blended tile-mean term of a context-dependent stand-in: what a model's global context adds per tile."""
    kw = dict(task=Task.S1GRD, tile_size=128, overlap=overlap)
    with_ctx = _read(
        _run(_spec(tmp_path, outputs={"s1grd": name + "c.tif"}, **kw), LocalFake(2, context=1.0)).outputs[
            "s1grd"
        ]
    )[0]
    local = _read(
        _run(_spec(tmp_path, outputs={"s1grd": name + "l.tif"}, **kw), LocalFake(2)).outputs["s1grd"]
    )[0]
    return with_ctx - local, with_ctx


def test_tile_borders_show_no_seam(tmp_path):
    hard, hard_out = _offset_field(tmp_path, 0, "hard")
    soft, soft_out = _offset_field(tmp_path, 32, "soft")
    hard_step = np.nanmax(np.abs(np.diff(hard[0], axis=1)))
    soft_step = np.nanmax(np.abs(np.diff(soft[0], axis=1)))
    assert hard_step > 0.05  # control: without overlap the tile-wide term jumps at tile borders
    # Raised-cosine ramp over 32 px: the steepest step is about pi/64 of the jump between tiles.
    assert soft_step < 0.1 * hard_step

    def border_ratio(out, overlap):
        cols = tile_origins(out.shape[2], 128, overlap)
        borders = sorted({c - 1 for c in cols[1:]} | {c + 127 for c in cols[:-1]})
        grad = np.abs(np.diff(out[0], axis=1))  # grad[:, j] = out[:, j + 1] - out[:, j]
        others = np.setdiff1d(np.arange(grad.shape[1]), borders)
        return np.nanmean(grad[:, borders]) / np.nanmean(grad[:, others])

    assert border_ratio(hard_out, 0) > 1.2  # control: the seam is visible in the gradient
    assert border_ratio(soft_out, 32) < 1.1  # blended: gradient across tile borders as elsewhere


def test_scene_smaller_than_a_tile_is_padded(tmp_path):
    result = _run(_spec(tmp_path, inputs=((BEN_S2, "S2L2A"), (BEN_S1, "S1GRD"))))
    data, profile, _ = _read(result.outputs["lulc"])
    assert data.shape == (1, 120, 120) and (data != 255).all()


def test_embeddings_on_patch_grid_and_pca_fitted_once_over_the_whole_area(tmp_path):
    outputs = {"embeddings": "emb.tif", "pca": "pca.tif"}
    result = _run(_spec(tmp_path, task=Task.EMBEDDINGS, outputs=outputs), LocalFake(24, out_scale=16))
    emb, ep, _ = _read(result.outputs["embeddings"])
    pca, pp, _ = _read(result.outputs["pca"])
    with rasterio.open(S2) as src:
        assert ep["transform"] == src.transform * src.transform.scale(16)
    assert emb.shape == (24, 32, 32) and pca.shape == (3, 32, 32) and pp["dtype"] == "uint8"
    # A PCA fitted on the whole embeddings file at once gives exactly the streamed map.
    x = emb.reshape(24, -1).T.astype(np.float64)
    mean = x.mean(axis=0)
    vals, vecs = np.linalg.eigh(np.cov(x, rowvar=False))
    first = (x - mean) @ vecs[:, -1]
    corr = np.corrcoef(first, pca[0].reshape(-1).astype(np.float64))[0, 1]
    assert abs(corr) > 0.99  # same first axis for every tile (uint8 rounding and clipping aside)
    assert os.path.exists(result.styles["pca"]) and _leftovers(tmp_path) == []


def test_pca_only_job_leaves_no_embeddings_file(tmp_path):
    result = _run(
        _spec(tmp_path, task=Task.EMBEDDINGS, outputs={"pca": "pca.tif"}, embedding_dtype="float16"),
        LocalFake(8, out_scale=16),
    )
    assert sorted(result.outputs) == ["pca"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pca.qml", "pca.tif"]


def test_float16_embeddings_are_stored_as_half_floats(tmp_path):
    result = _run(
        _spec(tmp_path, task=Task.EMBEDDINGS, outputs={"embeddings": "e.tif"}, embedding_dtype="float16"),
        LocalFake(8, out_scale=16),
    )
    with rasterio.open(result.outputs["embeddings"]) as src:
        assert src.tags(1, "IMAGE_STRUCTURE").get("NBITS") == "16"


def _s2_with_nodata_half(tmp_path):
    path = tmp_path / "s2_half.tif"
    with rasterio.open(S2) as src:
        data, profile = src.read(), src.profile
    data[:, :, :300] = 0  # the file's nodata value
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)
    return str(path)


def test_nodata_is_carried_to_outputs_and_empty_tiles_are_skipped(tmp_path):
    fake = LocalFake()
    result = _run(_spec(tmp_path, inputs=((_s2_with_nodata_half(tmp_path), "S2L1C"),), batch_size=1), fake)
    data = _read(result.outputs["lulc"])[0][0]
    assert (data[:, :300] == 255).all() and (data[:, 300:] != 255).all()
    # 512 px with 224/32 tiles: column origins 0, 192, 288; the first tile column (0..223) is all nodata.
    assert len(fake.calls) == 3 * 3 - 3


def test_area_of_interest_selects_a_sub_grid(tmp_path):
    with rasterio.open(S2) as src:
        t = src.transform
        bounds = (
            t.c + 100 * t.a,
            t.f + 400 * t.e,
            t.c + 350 * t.a,
            t.f + 50 * t.e,
        )  # cols 100..350, rows 50..400
    result = _run(_spec(tmp_path, area=Area(bounds, "EPSG:4326")))
    data, profile, _ = _read(result.outputs["lulc"])
    assert data.shape == (1, 350, 250)
    assert profile["transform"].c == pytest.approx(bounds[0]) and profile["transform"].f == pytest.approx(
        bounds[3]
    )


def test_out_of_memory_halves_the_batch_and_gives_the_same_result(tmp_path):
    fake = OomFake(max_batch=2)
    a = _read(_run(_spec(tmp_path, batch_size=8), fake).outputs["lulc"])[0]
    assert fake.calls[:2] == [-8, -4] and max(fake.calls) == 2
    b = _read(_run(_spec(tmp_path, batch_size=1, outputs={"lulc": "b.tif"})).outputs["lulc"])[0]
    np.testing.assert_array_equal(a, b)


def test_cpu_out_of_memory_halves_the_batch_says_so_and_gives_the_same_result(tmp_path, caplog):
    """The original case: torch's CPU allocator error was not recognised and the run failed."""
    fake = CpuOomFake(max_batch=1)
    result = _run(_spec(tmp_path, batch_size=4), fake)
    assert fake.calls[:3] == [-4, -2, 1] and max(fake.calls) == 1
    assert "Memory ran out with 4 tiles per batch; the run continued with 1." in " ".join(result.warnings)
    assert "DefaultCPUAllocator" in caplog.text and "retrying with batch size 2" in caplog.text
    b = _read(_run(_spec(tmp_path, batch_size=1, outputs={"lulc": "b.tif"})).outputs["lulc"])[0]
    np.testing.assert_array_equal(_read(result.outputs["lulc"])[0], b)


def test_progress_rises_to_one(tmp_path):
    seen = []
    _run(
        _spec(tmp_path, task=Task.EMBEDDINGS, outputs={"pca": "p.tif"}),
        LocalFake(8, out_scale=16),
        progress=lambda f, m: seen.append(f),
    )
    assert seen[-1] == 1.0 and all(b >= a for a, b in zip(seen, seen[1:]))


def test_cancel_raises_and_leaves_no_file(tmp_path):
    calls = []

    def cancel_after_two_batches():
        calls.append(1)
        return len(calls) > 4

    with pytest.raises(JobCancelled):
        _run(
            _spec(
                tmp_path, task=Task.EMBEDDINGS, outputs={"embeddings": "e.tif", "pca": "p.tif"}, batch_size=1
            ),
            LocalFake(8, out_scale=16),
            is_cancelled=cancel_after_two_batches,
        )
    assert list(tmp_path.iterdir()) == []


def test_model_error_mid_run_leaves_no_file(tmp_path):
    class Broken(LocalFake):
        def __call__(self, batch, origins=(), on_step=None):
            if len(self.calls) == 2:
                raise RuntimeError("boom")
            return super().__call__(batch, origins)

    with pytest.raises(RuntimeError, match="boom"):
        _run(_spec(tmp_path, batch_size=1), Broken())
    assert list(tmp_path.iterdir()) == []


def _never(spec, modalities, progress=None):
    raise AssertionError("the model must not be built for a bad input")


@pytest.mark.parametrize(
    "inputs,outputs,error,message",
    [
        (((S2 + ".missing.tif", "S2L1C"),), None, InputError, "does not exist"),
        (((S2, "S2L1C"), (BEN_S1, "S1GRD")), None, InputError, "does not overlap"),
        (((S2, "S2L1C"), (BEN_S2, "S1GRD")), None, InputError, "'S2B_MSIL2A.*S1GRD input needs 2 bands"),
        (((S2, "S2L1C"),), {"lulc": "nofolder/x.tif"}, OutputError, "does not exist"),
    ],
)
def test_bad_inputs_fail_before_the_model_with_clear_errors(tmp_path, inputs, outputs, error, message):
    spec = _spec(tmp_path, inputs=inputs, outputs=outputs)
    with pytest.raises(error, match=message):
        execute_job(spec, _never)
    assert _leftovers(tmp_path) == [] and not (tmp_path / "lulc.tif").exists()


def test_unreadable_raster_is_reported_by_name(tmp_path):
    bad = tmp_path / "broken.tif"
    bad.write_bytes(open(S1, "rb").read()[:200_000])  # truncated GeoTIFF: header fine, pixel blocks cut
    spec = _spec(tmp_path, inputs=((S2, "S2L1C"), (str(bad), "S1GRD")))
    with pytest.raises(InputError, match="broken.tif"):
        execute_job(spec, factory(LocalFake()))
    assert _leftovers(tmp_path) == [] and not (tmp_path / "lulc.tif").exists()


def test_plan_puts_the_optical_input_first_and_guesses_bands(tmp_path):
    grid, planned = plan_inputs(_spec(tmp_path, inputs=((S1, "S1GRD"), (S2, "S2L2A"))))
    assert [p.raster.modality for p in planned] == ["S2L2A", "S1GRD"]
    assert planned[0].bands == (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13)  # B10 dropped by description
    assert grid.width == 512 and str(grid.crs) == "EPSG:4326"


def test_generate_task_writes_the_modality_in_its_units(tmp_path):
    spec = _spec(tmp_path, task=Task.GENERATE, output_modality="DEM", outputs={"dem": "dem.tif"})
    result = _run(spec, LocalFake(1))
    with rasterio.open(result.outputs["dem"]) as src:
        assert src.descriptions == ("elevation (m)",) and src.dtypes[0] == "float32" and np.isnan(src.nodata)
    assert result.styles["dem"].endswith("dem.qml")
    lulc = _run(_spec(tmp_path, task=Task.GENERATE, output_modality="LULC", outputs={"lulc": "g.tif"}))
    assert _read(lulc.outputs["lulc"])[1]["dtype"] == "uint8"


def test_partial_coverage_is_warned_and_left_nodata(tmp_path):
    with rasterio.open(S1) as src:
        profile, data = src.profile, src.read(window=((0, 512), (0, 256)))  # western half only
        profile.update(width=256, transform=src.transform)
    half = tmp_path / "s1_west.tif"
    with rasterio.open(half, "w", **profile) as dst:
        dst.write(data)
    result = _run(_spec(tmp_path, inputs=((S2, "S2L1C"), (str(half), "S1GRD"))))
    assert any("covers only about 50%" in w and "s1_west.tif" in w for w in result.warnings)
    lulc = _read(result.outputs["lulc"])[0][0]
    assert (lulc[:, 256:] == 255).all() and (
        lulc[:, :256] != 255
    ).mean() > 0.9  # NaN pixels of S1 stay nodata


def test_slow_decoders_report_steps_and_cancel_mid_batch(tmp_path):
    messages = []
    _run(
        _spec(tmp_path, task=Task.S1GRD, outputs={"s1grd": "s.tif"}, batch_size=9),
        StepFake(3, out_channels=2),
        progress=lambda f, m: messages.append((f, m)),
    )
    assert "Tiles 1-9/9: step 2/3" in [m for _, m in messages]
    fractions = [f for f, _ in messages]
    assert fractions == sorted(fractions) and 0 < fractions[2] < 1
    checks = []
    with pytest.raises(JobCancelled):
        _run(
            _spec(tmp_path, task=Task.S1GRD, outputs={"s1grd": "c.tif"}, batch_size=9),
            StepFake(5, out_channels=2),
            is_cancelled=lambda: checks.append(1) or len(checks) > 3,
        )  # inside the only batch
    assert not (tmp_path / "c.tif").exists() and _leftovers(tmp_path) == []


def test_gdal_cache_is_limited_during_the_job_and_restored_after(tmp_path):
    from rasterio._env import get_gdal_config

    before = get_gdal_config("GDAL_CACHEMAX")
    seen = []
    _run(_spec(tmp_path), progress=lambda f, m: seen.append((m, get_gdal_config("GDAL_CACHEMAX"))))
    # A 224 px tile + 512 px, 512 + 512 px wide, S2 (13 x int16) and S1 (2 x float32) values.
    limit = (224 + 512) * (512 + 512) * (13 * 2 + 2 * 4)
    during = {cache for m, cache in seen if m.startswith("Tile")}  # the tile pass; the model loads before
    assert during == {min(before, limit)} and seen[-1] == ("Done", before)
    assert get_gdal_config("GDAL_CACHEMAX") == before


def test_unit_warnings_reach_the_result(tmp_path):
    # 433D_629L_3_1 L2A carries the +1000 offset (tests/data/README.md).
    result = _run(_spec(tmp_path, inputs=((str(example("S2L2A")), "S2L2A"),)))
    assert any("+1000 offset" in w and "433D_629L_3_1.tif" in w for w in result.warnings)


def test_user_band_mapping_overrides_the_guess(tmp_path):
    spec = JobSpec(
        task=Task.S1GRD,
        inputs=(InputRaster(S2, "S2L1C"), InputRaster(S1, "S1GRD", bands=(2, 1), name="S1 swapped")),
        outputs={"s1grd": str(tmp_path / "swapped.tif")},
    )
    swapped, _, tags = _read(_run(spec, LocalFake(2)).outputs["s1grd"])
    normal = _read(
        _run(_spec(tmp_path, task=Task.S1GRD, outputs={"s1grd": "n.tif"}), LocalFake(2)).outputs["s1grd"]
    )[0]
    assert '"bands": [2, 1]' in tags["TERRAMIND_INPUTS"]
    assert not np.allclose(swapped, normal, equal_nan=True)


def test_batches_stop_at_the_end_of_wide_tile_rows(tmp_path):
    scene = write_mosaic(tmp_path / "wide.tif", 1024, height=448)  # 6 tile columns, 3 tile rows
    fake = LocalFake()
    _run(_spec(tmp_path, inputs=((scene, "S2L2A"),), batch_size=4), fake)
    assert fake.calls == [4, 2] * 3  # a batch never spans two rows of tiles: one row band in memory
    narrow = LocalFake()
    _run(_spec(tmp_path, batch_size=4, outputs={"lulc": "n.tif"}), narrow)  # 3 tiles per row < batch size
    assert narrow.calls == [4, 4, 1]
