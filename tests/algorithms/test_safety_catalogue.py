"""The catalogue of ways a run could lose or corrupt a user's file (issue 12), replayed for real.

Each test is one case a careful user tried: the real pipeline (``run_job`` with seeded weights, or
``execute_job`` where the model does not matter), ``processing.run`` in this QGIS, or ``qgis_process.bin``
in a throwaway profile with the plugin enabled. A case holds when the user's files are byte-identical
afterwards and the message names the file and what to do.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import rasterio
from affine import Affine
from helpers.fake_predictors import LocalFake, factory
from helpers.paths import ROOT, SEN1FLOODS, TESTS
from qgis.core import QgsProcessingException, QgsProcessingFeedback

from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import execute_job, run_job
from terramind_qgis.core.predictor import build_predictor
from terramind_qgis.core.run_files import runs_folder

SAMPLE = ROOT / "resources" / "sample"
S2 = SAMPLE / "S2L2A_433D_629L_3_1.tif"
WIDE = SEN1FLOODS / "Spain_7370579_S2Hand.tif"  # 512 x 512 Sentinel-2 L1C: 9 tiles


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _copy(src, dst):
    shutil.copy(src, dst)
    return str(dst)


def _lulc(weights_dir, inp, out, **extra):
    return {
        "INPUT_S2L2A": str(inp),
        "WEIGHTS_DIR": str(weights_dir),
        "OFFLINE": True,
        "OUTPUT": str(out),
        **extra,
    }


# ----- temporary outputs, clean-up, path identity, one writer -------------------------------------------
def test_input_named_like_a_temp_file_survives_a_processing_run(provider, weights_dir, tmp_path):
    import processing

    scene = _copy(S2, tmp_path / "scene.part.tif")  # was overwritten and renamed away as the temp file
    (tmp_path / "lulc.part.tif").write_bytes(b"the user's own file")  # was silently consumed
    before = _snapshot(tmp_path)
    processing.run("terramind:generate_lulc", _lulc(weights_dir, scene, tmp_path / "scene.tif"))
    after = _snapshot(tmp_path)
    assert {k: after[k] for k in before} == before
    assert sorted(set(after) - set(before)) == ["scene.qml", "scene.tif", "scene.tif.aux.xml"]


def test_cancelled_processing_run_removes_only_its_own_files(provider, weights_dir, tmp_path):
    import processing

    for name in ("lulc.part.notes.txt", "lulc.qml.part"):
        (tmp_path / name).write_text("notes")
    old = _copy(SAMPLE / "LULC_433D_629L_3_1.tif", tmp_path / "lulc.tif")  # a previous output
    before = _snapshot(tmp_path)
    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda p: p > 0 and feedback.cancel())
    params = _lulc(weights_dir, S2, old, TILE_SIZE=64, OVERLAP=0, BATCH_SIZE=1)
    with pytest.raises(QgsProcessingException, match="Cancelled; no output was written"):
        processing.run("terramind:generate_lulc", params, feedback=feedback)
    assert _snapshot(tmp_path) == before  # the previous output intact, the user's notes kept


@pytest.mark.parametrize("spelling", ["{d}/./in.tif", "{d}/sub/../in.tif", "{d}/link/in.tif", "{d}/hard.tif"])
def test_output_that_is_the_input_by_another_spelling_is_refused(provider, weights_dir, tmp_path, spelling):
    import processing

    inp = _copy(S2, tmp_path / "in.tif")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link").symlink_to(tmp_path)
    os.link(inp, tmp_path / "hard.tif")
    before = _snapshot(tmp_path)
    with pytest.raises(QgsProcessingException, match="is the input file"):
        processing.run("terramind:generate_lulc", _lulc(weights_dir, inp, spelling.format(d=tmp_path)))
    assert _snapshot(tmp_path) == before


def test_a_second_run_on_the_same_output_is_refused_naming_the_first(provider, weights_dir, tmp_path):
    import processing

    out = tmp_path / "lulc.tif"
    spec = JobSpec(Task.LULC, (InputRaster(str(S2), "S2L2A", name="first scene"),), {"lulc": str(out)})
    started, release = threading.Event(), threading.Event()

    def slow_progress(fraction, message):
        started.set()
        release.wait(60)

    first = threading.Thread(target=execute_job, args=(spec, factory(LocalFake()), slow_progress))
    first.start()
    try:
        assert started.wait(60)
        with pytest.raises(
            QgsProcessingException, match="being written by another TerraMind run “lulc from 'first scene'”"
        ):
            processing.run("terramind:generate_lulc", _lulc(weights_dir, S2, f"{tmp_path}/./lulc.tif"))
    finally:
        release.set()
        first.join(60)
    with rasterio.open(out) as ds:
        assert ds.tags()["TERRAMIND_MODEL"] == "fake-local"  # the first run's file, not a mix
    assert _names(tmp_path) == ["lulc.qml", "lulc.tif", "lulc.tif.aux.xml"]


def test_leftovers_of_a_killed_qgis_are_removed_when_the_plugin_starts(qgis_iface, tmp_path, monkeypatch):
    import terramind_qgis

    system_tmp = tmp_path / "tmp"
    system_tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(system_tmp))
    out = tmp_path / "out"
    out.mkdir()
    for name in ("lulc.part.tif", "lulc.terramind-notes.txt"):
        (out / name).write_text("mine")
    code = (
        "import os, signal\n"
        "from terramind_qgis.core.run_files import RunFiles\n"
        f"run = RunFiles.start([{str(out / 'lulc.tif')!r}], 'killed')\n"
        f"os.makedirs(run.job_folder()); run.temp_path({str(out / 'lulc.tif')!r})\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    env = dict(os.environ, TMPDIR=str(system_tmp))
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == -signal.SIGKILL
    assert len(_names(out)) == 4 and len(os.listdir(runs_folder())) == 2  # temp, claim; journal, job folder
    plugin = terramind_qgis.classFactory(qgis_iface)
    plugin.initProcessing()
    plugin.unload()
    assert _names(out) == ["lulc.part.tif", "lulc.terramind-notes.txt"] and os.listdir(runs_folder()) == []


# ----- memory and weights --------------------------------------------------------------------------------
class _CpuLimitedModel:
    """The real model, behind a CPU allocator that fails (genuinely) for batches of more than one tile."""

    def __init__(self, model):
        self.model = model
        self.out_channels, self.out_scale, self.provenance = (
            model.out_channels,
            model.out_scale,
            model.provenance,
        )
        self.batches = []

    def __call__(self, batch, origins, on_step=None):
        import torch

        n = len(next(iter(batch.values())))
        self.batches.append(n)
        if n > 1:
            torch.empty((n, 2**58), dtype=torch.uint8)
        return self.model(batch, origins, on_step)


def test_cpu_out_of_memory_in_the_real_model_halves_the_batch_and_says_so(weights_dir, tmp_path):
    def spec(name, batch):
        inputs, outputs = (InputRaster(str(S2), "S2L2A"),), {"lulc": str(tmp_path / name)}
        options = dict(weights_dir=str(weights_dir), offline=True, tile_size=64, overlap=0, batch_size=batch)
        return JobSpec(Task.LULC, inputs, outputs, **options)

    models = []

    def limited(job, modalities, progress):
        models.append(_CpuLimitedModel(build_predictor(job, modalities, progress)))
        return models[0]

    result = execute_job(spec("a.tif", 4), limited)
    assert models[0].batches[:3] == [4, 2, 1] and set(models[0].batches[2:]) == {1}
    assert "Memory ran out with 4 tiles per batch; the run continued with 1." in " ".join(result.warnings)
    reference = run_job(spec("b.tif", 1))
    with rasterio.open(result.outputs["lulc"]) as a, rasterio.open(reference.outputs["lulc"]) as b:
        np.testing.assert_array_equal(a.read(), b.read())


def test_a_checkpoint_with_pickled_code_is_refused_and_never_runs(provider, tmp_path):
    import processing
    import torch

    weights = tmp_path / "weights"
    weights.mkdir()
    marker = tmp_path / "code_ran"

    class RunsCode:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    torch.save({"w": torch.zeros(1), "x": RunsCode()}, weights / "TerraMind_v1_tiny.pt")
    shutil.copy(weights / "TerraMind_v1_tiny.pt", weights / "TerraMind_Tokenizer_LULC.pt")
    with pytest.raises(QgsProcessingException, match="refused for safety and not loaded") as err:
        processing.run("terramind:generate_lulc", _lulc(weights, S2, tmp_path / "out.tif"))
    assert "weights_only" not in str(err.value) and not marker.exists()
    assert not list(tmp_path.glob("out*"))


# ----- inputs ----------------------------------------------------------------------------------------------
def test_a_complex_raster_is_refused_naming_the_layer(provider, weights_dir, tmp_path):
    import processing

    with rasterio.open(S2) as src:
        profile = dict(src.profile, dtype="complex64", count=1, nodata=None)
        data = src.read(1).astype(np.complex64)
    with rasterio.open(tmp_path / "slc.tif", "w", **profile) as dst:
        dst.write(data, 1)
    with pytest.raises(QgsProcessingException, match="Input 'slc' holds complex values"):
        processing.run(
            "terramind:generate_lulc", _lulc(weights_dir, tmp_path / "slc.tif", tmp_path / "o.tif")
        )


def test_a_south_up_raster_gives_the_north_up_result(tmp_path):
    with rasterio.open(S2) as src:
        profile, data, t = src.profile, src.read(), src.transform
    profile.update(transform=Affine(t.a, 0, t.c, 0, -t.e, t.f + t.e * data.shape[1]))
    with rasterio.open(tmp_path / "south.tif", "w", **profile) as dst:
        dst.write(data[:, ::-1])

    def run(inp, name):
        spec = JobSpec(Task.LULC, (InputRaster(str(inp), "S2L2A"),), {"lulc": str(tmp_path / name)})
        with rasterio.open(execute_job(spec, factory(LocalFake())).outputs["lulc"]) as ds:
            return ds.transform, ds.read()

    north, south = run(S2, "n.tif"), run(tmp_path / "south.tif", "s.tif")
    assert south[0] == north[0] == t
    np.testing.assert_array_equal(south[1], north[1])


def test_implausibly_small_sentinel2_values_are_warned(tmp_path):
    with rasterio.open(S2) as src:
        profile, data = src.profile, src.read()
    with rasterio.open(tmp_path / "byte.tif", "w", **dict(profile, dtype="uint8")) as dst:
        dst.write(np.clip(data / 40, 0, 255).astype(np.uint8))  # an 8-bit rendering of the scene
    spec = JobSpec(
        Task.LULC, (InputRaster(str(tmp_path / "byte.tif"), "S2L2A"),), {"lulc": str(tmp_path / "o.tif")}
    )
    result = execute_job(spec, factory(LocalFake()))
    assert any("implausibly small values for Sentinel-2" in w for w in result.warnings)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("batch_size", "4", "'batch_size' must be an integer"),
        ("timesteps", 10**9, "timesteps must be between"),
    ],
)
def test_cli_names_a_bad_job_field(tmp_path, field, value, message):
    spec = JobSpec(Task.LULC, (InputRaster(str(S2), "S2L2A"),), {"lulc": str(tmp_path / "o.tif")}).to_dict()
    spec[field] = value
    (tmp_path / "job.json").write_text(json.dumps(spec))
    cmd = [
        sys.executable,
        "-m",
        "terramind_qgis.core",
        "run",
        "--spec",
        str(tmp_path / "job.json"),
        "--jsonl",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    event = json.loads(done.stdout.splitlines()[-1])
    assert done.returncode == 1 and event["type"] == "InputError" and message in event["message"]
    assert _names(tmp_path) == ["job.json"]


# ----- qgis_process -----------------------------------------------------------------------------------------
def test_qgis_process_refuses_a_large_job_unless_allowed(qgis_process, weights_dir, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    args = [f"INPUT_S2L1C={WIDE}", f"WEIGHTS_DIR={weights_dir}", "OFFLINE=true", "OUTPUT_MODALITY=1",
            "TIMESTEPS=1000", f"OUTPUT={out / 's1.tif'}"]  # fmt: skip
    proc = qgis_process("terramind:generate_modality", *args)
    log = proc.communicate(timeout=300)[0]
    assert proc.returncode != 0 and "This job is large" in log and "ALLOW_LARGE_JOB=true" in log, log[-3000:]
    assert os.listdir(out) == []


def test_qgis_process_says_why_an_existing_file_cannot_be_read(qgis_process, weights_dir, tmp_path):
    bad = tmp_path / "scene.tif"
    bad.write_bytes(S2.read_bytes()[:200])  # an interrupted copy: the header is cut
    proc = qgis_process("terramind:generate_lulc", f"INPUT_S2L2A={bad}", f"OUTPUT={tmp_path / 'o.tif'}")
    log = proc.communicate(timeout=300)[0]
    assert proc.returncode != 0 and f"the file {bad} exists but GDAL cannot read it" in log, log[-3000:]
    assert "not found" not in log


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_qgis_process_stops_on_a_signal_and_leaves_no_partial_file(
    qgis_process, weights_dir, tmp_path, signum
):
    out = tmp_path / "out"
    out.mkdir()
    (out / "s1.part.tif").write_text("mine")
    args = [f"INPUT_S2L1C={WIDE}", f"WEIGHTS_DIR={weights_dir}", "OFFLINE=true", "OUTPUT_MODALITY=1",
            "TIMESTEPS=1000", "ALLOW_LARGE_JOB=true", f"OUTPUT={out / 's1.tif'}"]  # fmt: skip
    proc = qgis_process("terramind:generate_modality", *args)
    try:
        deadline = time.monotonic() + 240
        while not list(out.glob("s1.terramind-*.part.tif")):  # the run is writing its temp file
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[0][-3000:]
            time.sleep(0.2)
        time.sleep(1.0)  # inside the first diffusion step
        proc.send_signal(signum)
        log = proc.communicate(timeout=120)[0]  # the job itself would take hours
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1 and "Cancelled; no output was written" in log, log[-3000:]
    assert _names(out) == ["s1.part.tif"]


def test_processing_refuses_outputs_that_do_not_fit_the_free_space(
    provider, weights_dir, tmp_path, monkeypatch
):
    import processing

    from terramind_qgis.core import estimate

    real = estimate.shutil.disk_usage
    monkeypatch.setattr(
        estimate.shutil, "disk_usage", lambda p: real(p)._replace(free=10_000)
    )  # 224² bytes needed
    with pytest.raises(QgsProcessingException, match="need up to 0.00 GB but the output folder .* has only"):
        processing.run("terramind:generate_lulc", _lulc(weights_dir, S2, tmp_path / "o.tif"))
    assert _names(tmp_path) == []


def test_cli_refuses_a_large_job_unless_allowed(tmp_path):
    spec = JobSpec(
        Task.S1GRD, (InputRaster(str(WIDE), "S2L1C"),), {"s1grd": str(tmp_path / "s1.tif")}, timesteps=1000
    )
    (tmp_path / "job.json").write_text(spec.to_json())
    job = str(tmp_path / "job.json")
    cmd = [sys.executable, "-m", "terramind_qgis.core", "run", "--spec", job, "--jsonl",
           "--site", str(TESTS / "core"), "--runner", "test_cli_jobs:copy_job"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    event = json.loads(done.stdout.splitlines()[-1])
    assert (
        done.returncode == 1
        and "This job is large" in event["message"]
        and "--allow-large" in event["message"]
    )
    done = subprocess.run([*cmd, "--allow-large"], capture_output=True, text=True, timeout=120)
    assert json.loads(done.stdout.splitlines()[-1])["event"] == "result", done.stderr[-2000:]


def test_a_tile_larger_than_the_scene_is_clamped_to_it(tmp_path):
    from terramind_qgis.core.estimate import estimate_job

    def job(name, tile):
        return JobSpec(
            Task.LULC, (InputRaster(str(S2), "S2L2A"),), {"lulc": str(tmp_path / name)}, tile_size=tile
        )

    fake = LocalFake(context=0.5)  # depends on the tile's extent, like the model
    huge = execute_job(job("huge.tif", 4096), factory(fake))
    assert fake.calls == [1] and estimate_job(job("x.tif", 4096)).tiles == 1
    scene = execute_job(job("scene.tif", 224), factory(LocalFake(context=0.5)))
    with rasterio.open(huge.outputs["lulc"]) as a, rasterio.open(scene.outputs["lulc"]) as b:
        assert a.tags()["TERRAMIND_TILE_SIZE"] == "224"
        np.testing.assert_array_equal(a.read(), b.read())
