"""Jobs on a local Dask cluster against the single-process run on the same scene (core/cluster.py).

1. Throughput: the same job (a mosaic of the real TerraMesh samples, seeded tiny model) in this process,
   then on a ``LocalCluster`` of 1 and of 2 worker processes. Each cluster runs the job twice: the first
   run includes building the model on the workers, the second is the steady state. The ratio is the
   single-process time over the cluster time (> 1: faster), with the CPUs split among the workers
   (torch threads per worker = CPUs / workers). It also prints the peak RSS of a worker (Linux).
2. Per-task overhead: a job whose model costs nothing, run with batch size 1 (one Dask task per tile), on
   1 worker against this process; (cluster time - local time) / tasks is what a task costs the cluster
   (scheduling, transfer of the outputs, blending in order on the client).

Run from the repository root (prints readings; asserts nothing)::

    .venv/bin/python benchmarks/cluster.py [--task embeddings|lulc] [--size 1024] [--weights-dir DIR]
        [--workers 1 2]

On one machine a cluster cannot beat the single process by much: the workers share the same CPUs (and
torch already uses all of them in one process). The readings show what the cluster path costs; a real
cluster adds machines.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]
import conftest  # noqa: E402,F401  (exposes the package as terramind_qgis)
from helpers.scenes import write_mosaic  # noqa: E402

from terramind_qgis.core.cluster import DaskExecutor, cluster_client  # noqa: E402
from terramind_qgis.core.device import measure_matmul_gflops  # noqa: E402
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task  # noqa: E402
from terramind_qgis.core.pipeline import execute_job, run_job  # noqa: E402


class NullPredictor:
    """A model that costs nothing: zeros of the right shape (pickled by value to the workers)."""

    out_channels, out_scale = 10, 1
    provenance = {"TERRAMIND_MODEL": "null"}

    def __call__(self, batch, origins, on_step=None):
        import numpy as np

        b, _, t, _ = next(iter(batch.values())).shape
        return np.zeros((b, self.out_channels, t, t), np.float32)


def null_factory(spec, modalities, progress=None):
    return NullPredictor()


def worker_peak_rss() -> int:
    """Peak resident memory of this process in bytes (Linux VmHWM)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def throughput(args, work: Path, scene: str) -> None:
    task = Task(args.task)
    kinds = {"embeddings": ("embeddings",), "lulc": ("lulc",)}[args.task]

    def spec(name: str) -> JobSpec:
        return JobSpec(
            task,
            (InputRaster(scene, "S2L2A"),),
            {k: str(work / f"{name}_{k}.tif") for k in kinds},
            weights_dir=args.weights_dir,
            offline=True,
            device="cpu",
            batch_size=args.batch_size,
        )

    single = min(timed(lambda: run_job(spec(f"single{i}"))) for i in range(2))
    print(f"throughput: {args.task} on a {args.size} x {args.size} mosaic, batch {args.batch_size}")
    print(f"  single process ({os.cpu_count()} CPUs, torch default threads): {single:6.1f} s")
    cpus = os.cpu_count() or 1
    for n in args.workers:
        threads = max(1, cpus // n)
        with cluster_client(local_workers=n) as client:
            executor = DaskExecutor(client, worker_threads=threads)
            cold = timed(lambda: run_job(spec(f"cold{n}"), executor=executor))
            warm = timed(lambda: run_job(spec(f"warm{n}"), executor=executor))
            rss = max(client.run(worker_peak_rss).values()) / 2**20
        print(
            f"  {n} local worker(s), {threads} torch thread(s) each: first run {cold:6.1f} s "
            f"(model built on the workers), next run {warm:6.1f} s; ratio single / cluster = "
            f"{single / warm:.2f}; peak RSS of a worker {rss:.0f} MiB"
        )


def task_overhead(args, work: Path, scene: str) -> None:
    def spec(name: str) -> JobSpec:
        outputs = {"lulc": str(work / f"{name}.tif")}
        return JobSpec(Task.LULC, (InputRaster(scene, "S2L2A"),), outputs, batch_size=1)

    local = min(timed(lambda: execute_job(spec(f"null_local{i}"), null_factory)) for i in range(2))
    seen = []
    with cluster_client(local_workers=1) as client:
        executor = DaskExecutor(client)
        execute_job(spec("null_warmup"), null_factory, executor=executor)
        remote = min(
            timed(
                lambda: execute_job(
                    spec(f"null{i}"), null_factory, lambda f, m: seen.append(m), executor=executor
                )
            )
            for i in range(2)
        )
    tasks = int(next(m for m in reversed(seen) if m.startswith("Tile")).split("/")[-1])
    per_task = (remote - local) / tasks * 1000
    print(f"per-task overhead: {tasks} tasks (one 224 px tile each, a model that costs nothing), 1 worker")
    print(f"  this process {local:5.2f} s, cluster {remote:5.2f} s: {per_task:6.1f} ms per task")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="embeddings", choices=["embeddings", "lulc"])
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--weights-dir")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    args = parser.parse_args()
    print(
        f"CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"float32 matmul {measure_matmul_gflops('cpu'):.0f} GFLOP/s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scene = write_mosaic(work / f"s2_{args.size}.tif", args.size)
        if args.weights_dir is None:
            from helpers.weights_dir import write_seeded_weights_dir

            tokenizers = ("LULC",) if args.task == "lulc" else ()
            args.weights_dir = str(write_seeded_weights_dir(work / "weights", tokenizers=tokenizers))
        throughput(args, work, scene)
        task_overhead(args, work, scene)


if __name__ == "__main__":
    main()
