"""Jobs on a real Dask ``LocalCluster`` (2 worker processes) equal the single-process run (core/cluster.py).

The scenes are real rasters from shared/data: a mosaic of the TerraMesh samples cut into several strips
(``tile_pass.STRIP_WIDTH`` lowered on the client, which plans the job) and the Sen1Floods11 chip with its
Sentinel-1 scene warped onto the Sentinel-2 grid by the workers. The model is the seeded tiny TerraMind.
Workers run torch with this process's thread count, so the outputs must be bit-identical (embeddings in
float32, LULC in the CPU's default precision: bfloat16 on CPUs with AMX/AVX512-BF16).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest
import rasterio
import torch
from helpers.fake_predictors import OomFake, factory
from helpers.paths import ROOT, SEN1FLOODS
from helpers.scenes import write_mosaic
from helpers.session_weights import seeded_weights_dir

from terramind_qgis.core import tile_pass
from terramind_qgis.core.cluster import ClusterError, DaskExecutor, require_dask, run_on_cluster
from terramind_qgis.core.errors import JobCancelled
from terramind_qgis.core.jobs import InputRaster, JobResult, JobSpec, Task
from terramind_qgis.core.pipeline import execute_job, plan_inputs, run_job
from terramind_qgis.core.tile_pass import TileLayout

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

THREADS = torch.get_num_threads()
S2 = str(SEN1FLOODS / "Spain_7370579_S2Hand.tif")
S1 = str(SEN1FLOODS / "Spain_7370579_S1Hand.tif")


@pytest.fixture(scope="module")
def client():
    """A LocalCluster of 2 single-threaded worker processes; the nannies' changes to os.environ are undone."""
    environ = dict(os.environ)
    try:
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster, set_as_default=False) as c,
        ):
            yield c
    finally:
        os.environ.clear()
        os.environ.update(environ)


@pytest.fixture(scope="module")
def weights(tmp_path_factory):
    return str(seeded_weights_dir(tmp_path_factory))


@pytest.fixture(scope="module")
def mosaic(tmp_path_factory):
    return write_mosaic(tmp_path_factory.mktemp("scene") / "wide.tif", 800, height=300)


@pytest.fixture
def strips(monkeypatch):
    monkeypatch.setattr(tile_pass, "STRIP_WIDTH", 256)


def _lulc(mosaic, weights, path, **kw):
    return JobSpec(
        Task.LULC,
        (InputRaster(mosaic, "S2L2A"),),
        {"lulc": str(path)},
        weights_dir=weights,
        offline=True,
        device="cpu",
        **dict(dict(batch_size=2), **kw),
    )


@pytest.fixture(scope="module")
def lulc_reference(tmp_path_factory, mosaic, weights):
    """The single-process LULC run of the mosaic in 3 strips: (classes, tags, profile, qml text)."""
    mp = pytest.MonkeyPatch()
    mp.setattr(tile_pass, "STRIP_WIDTH", 256)
    try:
        spec = _lulc(mosaic, weights, tmp_path_factory.mktemp("ref") / "lulc.tif")
        grid, _ = plan_inputs(spec)
        assert len(TileLayout.plan(spec, grid, 1, 256).strips) == 3
        return _read(run_job(spec), "lulc")
    finally:
        mp.undo()


def _read(result, kind):
    path = result.outputs[kind]
    with rasterio.open(path) as src:
        tags = {k: v for k, v in src.tags().items() if k != "TERRAMIND_CREATED"}
        profile = {k: v for k, v in src.profile.items() if k != "nodata"}
        style = result.styles.get(kind)
        return src.read(), tags, profile, open(style, encoding="utf-8").read() if style else ""


def _assert_same(got, ref):
    assert got[0].dtype == ref[0].dtype and np.array_equal(got[0], ref[0], equal_nan=True)
    assert got[1] == ref[1] and got[2] == ref[2] and got[3] == ref[3]


def test_lulc_in_strips_on_two_workers_is_bit_identical(
    client, mosaic, weights, lulc_reference, strips, tmp_path
):
    seen = []
    result = run_job(
        _lulc(mosaic, weights, tmp_path / "lulc.tif"),
        progress=lambda f, m: seen.append((f, m)),
        executor=DaskExecutor(client, worker_threads=THREADS),
    )
    _assert_same(_read(result, "lulc"), lulc_reference)
    assert len(np.unique(lulc_reference[0])) > 2  # a real map, not a constant
    assert [f for f, _ in seen] == sorted(f for f, _ in seen) and seen[-1] == (1.0, "Done")
    assert any(m == "Tile 8/8" for _, m in seen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lulc.qml", "lulc.tif", "lulc.tif.aux.xml"]

    # Both workers built the model once and worked on the job.
    def models():
        from terramind_qgis.core import cluster

        return sorted(cluster._MODEL)

    built = client.run(models)
    assert len(built) == 2 and all(len(tokens) == 1 for tokens in built.values())


def test_embeddings_with_a_warped_s1_input_are_bit_identical(client, weights, tmp_path):
    def spec(name):
        return JobSpec(
            Task.EMBEDDINGS,
            (InputRaster(S2, "S2L1C"), InputRaster(S1, "S1GRD")),
            {"embeddings": str(tmp_path / f"{name}_emb.tif"), "pca": str(tmp_path / f"{name}_pca.tif")},
            weights_dir=weights,
            offline=True,
            device="cpu",
            precision="float32",  # the promise; the LULC tests run the CPU's default precision
            batch_size=3,
        )

    ref = run_job(spec("ref"))
    got = run_job(spec("dask"), executor=DaskExecutor(client, worker_threads=THREADS, max_in_flight=3))
    for kind in ("embeddings", "pca"):
        _assert_same(_read(got, kind), _read(ref, kind))
    emb = _read(ref, "embeddings")[0]
    assert emb.shape == (192, 32, 32) and np.isfinite(emb).mean() > 0.9


def test_a_worker_killed_mid_job_is_replaced_and_the_result_is_the_same(
    client, mosaic, weights, lulc_reference, strips, tmp_path
):
    before = client.run(os.getpid)
    killed = []

    def progress(fraction, message):
        if message.startswith("Tile") and not killed:
            busy = [w for w, keys in client.processing().items() if keys] or list(before)
            killed.append(before[busy[0]])
            os.kill(killed[0], signal.SIGKILL)

    result = run_job(
        _lulc(mosaic, weights, tmp_path / "lulc.tif"),
        progress=progress,
        executor=DaskExecutor(client, worker_threads=THREADS),
    )
    _assert_same(_read(result, "lulc"), lulc_reference)
    assert killed
    client.wait_for_workers(2, timeout=60)
    after = client.run(os.getpid)
    assert killed[0] not in after.values() and len(set(after.values()) - set(before.values())) == 1


def test_cancel_releases_the_tasks_and_leaves_no_output(client, mosaic, weights, strips, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    seen = []
    with pytest.raises(JobCancelled):
        run_job(
            _lulc(mosaic, weights, out / "lulc.tif", batch_size=1),
            progress=lambda f, m: seen.append(m),
            is_cancelled=lambda: any(m.startswith("Tile") for m in seen),
            executor=DaskExecutor(client, worker_threads=THREADS),
        )
    assert list(out.iterdir()) == []

    def job_tasks(dask_scheduler):
        return [str(k) for k in dask_scheduler.tasks if "terramind-tiles" in str(k)]

    deadline = time.monotonic() + 30
    while client.run_on_scheduler(job_tasks) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert client.run_on_scheduler(job_tasks) == []


def test_a_worker_out_of_memory_halves_its_batch_and_the_job_says_so(client, mosaic, strips, tmp_path):
    def spec(name):
        outputs = {"lulc": str(tmp_path / f"{name}.tif")}
        return JobSpec(Task.LULC, (InputRaster(mosaic, "S2L2A"),), outputs, batch_size=4)

    fake = factory(OomFake(max_batch=2, context=1.0))
    ref = execute_job(spec("ref"), fake)
    got = execute_job(spec("dask"), fake, executor=DaskExecutor(client))
    assert got.warnings == ref.warnings and any("continued with 2" in w for w in got.warnings)
    _assert_same(_read(got, "lulc"), _read(ref, "lulc"))


def test_an_unreachable_scheduler_fails_clearly_within_seconds(mosaic, weights, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"  # nothing listens there once closed
    start = time.monotonic()
    with pytest.raises(ClusterError, match="Cannot reach the Dask scheduler") as err:
        run_on_cluster(_lulc(mosaic, weights, tmp_path / "lulc.tif"), scheduler=address, timeout=2)
    assert time.monotonic() - start < 10
    assert address in str(err.value) and list(tmp_path.iterdir()) == []


def test_the_command_line_runs_a_job_on_the_scheduler(client, weights, tmp_path):
    spec = JobSpec(
        Task.EMBEDDINGS,
        (InputRaster(S2, "S2L1C"),),
        {"embeddings": str(tmp_path / "emb.tif")},
        weights_dir=weights,
        offline=True,
        device="cpu",
    )
    (tmp_path / "job.json").write_text(spec.to_json())
    address = client.scheduler.address
    cmd = [sys.executable, "-m", "terramind_qgis.core", "run", str(tmp_path / "job.json"), "--jsonl"]
    cmd += ["--scheduler", address, "--worker-threads", str(THREADS)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert any(e["event"] == "progress" and address in e["message"] for e in events)
    assert events[-1]["event"] == "result" and events[-1]["outputs"] == {
        "embeddings": spec.outputs["embeddings"]
    }
    ref = run_job(JobSpec.from_dict(dict(spec.to_dict(), outputs={"embeddings": str(tmp_path / "ref.tif")})))
    got = JobResult(outputs=events[-1]["outputs"], styles=events[-1]["styles"])
    _assert_same(_read(got, "embeddings"), _read(ref, "embeddings"))


def test_without_dask_the_message_says_how_to_add_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match="pip install dask distributed"):
        require_dask()
