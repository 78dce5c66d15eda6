"""Pipeline overhead and memory on mosaics built from the real TerraMesh samples.

1. Overhead: ``run_job`` end to end on a 2048 x 2048 scene against the model's own time on the same tiles
   (aim: ratio <= 1.15). The model time is measured inside the job (a timing wrapper around the
   predictor) and alone, on the same tiles read beforehand; job and model alone run twice each and the
   faster run of each counts.
2. Memory: peak RSS (VmHWM) of jobs on 1k, 2k, 4k and 8k square mosaics, each in a fresh process, with a
   cheap stand-in model so that only the pipeline's own memory is measured.

Run from the repository root (prints ratios; asserts nothing)::

    .venv/bin/python benchmarks/pipeline.py [--task embeddings|lulc] [--model tiny] [--size 2048]
        [--stride 16|8|4] [--precision auto] [--weights-dir DIR] [--device auto] [--rss-sizes 1024 2048]

Without ``--weights-dir`` a seeded tiny checkpoint folder is written to a temp folder first (the timing of
random weights equals that of the official ones: same shapes).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import machine

ROOT = Path(__file__).resolve().parents[1]
machine.expose_package()
from helpers.scenes import write_mosaic  # noqa: E402

from terramind_qgis.core.device import usable_cpus  # noqa: E402
from terramind_qgis.core.jobs import (  # noqa: E402
    InputRaster,
    JobSpec,
    Task,
    model_passes,
)
from terramind_qgis.core.pipeline import execute_job, plan_inputs  # noqa: E402
from terramind_qgis.core.predictor import build_predictor  # noqa: E402
from terramind_qgis.core.raster_io import InputReader  # noqa: E402
from terramind_qgis.core.tile_pass import TileLayout  # noqa: E402
from terramind_qgis.core.tile_reader import TileBatch, TileReader, columns_of  # noqa: E402

RSS_CHILD = r"""
import json, sys
sys.path[:0] = [sys.argv[3]]
import conftest
from helpers.fake_predictors import LocalFake, factory
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import execute_job
spec = JobSpec(Task.LULC, (InputRaster(sys.argv[1], "S2L2A"),), {"lulc": sys.argv[2]}, batch_size=4)
execute_job(spec, factory(LocalFake(10)))
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
print(json.dumps({"peak_mib": int(hwm.split()[1]) / 1024}))
"""


class TimedPredictor:
    """Wraps a predictor and adds up the seconds spent in its calls."""

    def __init__(self, inner):
        self.inner, self.seconds, self.tiles = inner, 0.0, 0
        self.out_channels, self.out_scale, self.provenance = (
            inner.out_channels,
            inner.out_scale,
            inner.provenance,
        )

    def __call__(self, batch, origins, on_step=None):
        t = time.perf_counter()
        out = self.inner(batch, origins, on_step)
        self.seconds += time.perf_counter() - t
        self.tiles += len(out)
        return out


def overhead(args, work: Path) -> None:
    layout = {} if args.input_compress == "deflate" else {"compress": None}
    scene = write_mosaic(work / f"s2_{args.size}.tif", args.size, **layout)
    task = Task(args.task)
    outputs = (
        {"embeddings": str(work / "emb.tif"), "pca": str(work / "pca.tif")}
        if task == Task.EMBEDDINGS
        else {"lulc": str(work / "lulc.tif")}
    )
    spec = JobSpec(
        task,
        (InputRaster(scene, "S2L2A"),),
        outputs,
        weights_dir=args.weights_dir,
        model_size=args.model,
        offline=True,
        device=args.device,
        precision=args.precision,
        batch_size=args.batch_size,
        embedding_stride=args.stride,
    )
    holder = {}

    def factory(spec, modalities, progress=None):
        t = time.perf_counter()
        holder["model"] = TimedPredictor(build_predictor(spec, modalities, progress))
        holder["load"] = time.perf_counter() - t
        return holder["model"]

    t = time.perf_counter()
    execute_job(spec, factory)
    total = time.perf_counter() - t
    model = holder["model"]
    # Model alone before and after a second job; the fastest of each kind counts (shared machines are noisy).
    pure = pure_model_seconds(spec, model.inner)
    inside = model.seconds
    model.seconds, model.tiles = 0.0, 0
    t = time.perf_counter()
    execute_job(spec, lambda *a: model)
    again = time.perf_counter() - t + holder["load"]
    if again < total:
        total, inside = again, model.seconds
    pure = min(pure, pure_model_seconds(spec, model.inner))
    job = total - holder["load"]
    reading = min(reading_seconds(spec, model.inner) for _ in range(2))
    print(
        f"scene {args.size}x{args.size}, task {task.value}, model {args.model}, {model.tiles} tiles, "
        f"batch {args.batch_size}, stride {args.stride} ({model_passes(args.stride)} model passes per tile), "
        f"precision {model.provenance['TERRAMIND_PRECISION']}"
    )
    print(f"  run_job total {total:.1f} s (model loading {holder['load']:.1f} s)")
    print(f"  job without loading {job:.1f} s; model inside the job {inside:.1f} s; model alone {pure:.1f} s")
    print(f"  overhead ratio (job / model alone) = {job / pure:.3f}   (aim <= 1.15)")
    print(f"  overhead ratio (job / model inside the job) = {job / inside:.3f}")
    print(
        f"  reading the tiles alone ({args.input_compress} input, GDAL decoding on {usable_cpus()} threads, "
        f"cut into the job's batches) {reading:.2f} s = {reading / pure:.2f} x the model alone: with this "
        f"reader the ratio cannot go below {(pure + reading) / pure:.3f} on this machine"
    )


def job_batches(spec: JobSpec, predictor, threads: int = 1) -> Iterator[TileBatch]:
    """The job's tiles, read strip by strip in its batches (``threads``: GDAL decoding threads)."""
    grid, planned = plan_inputs(spec, check_outputs=False)
    layout = TileLayout.plan(spec, grid, predictor.out_scale)
    with contextlib.ExitStack() as stack:
        readers = [stack.enter_context(InputReader(p.info, p.bands, grid, threads=threads)) for p in planned]
        for strip in layout.strips:
            columns = columns_of(layout.strip_boxes(strip))
            reader = TileReader(grid, readers, [p.raster.modality for p in planned], columns)
            for boxes in layout.strip_batches(strip, spec.batch_size):
                yield reader.read(boxes)


def reading_seconds(spec: JobSpec, predictor) -> float:
    """Reading the job's tiles batch by batch with GDAL decoding on every core, and nothing else."""
    t = time.perf_counter()
    for _ in job_batches(spec, predictor, threads=usable_cpus()):
        pass
    return time.perf_counter() - t


def pure_model_seconds(spec: JobSpec, predictor) -> float:
    """The predictor alone on the job's tiles (read into memory first), in the job's batches."""
    batches = list(job_batches(spec, predictor))
    seconds = 0.0
    for batch in batches:
        t = time.perf_counter()
        predictor(batch.inputs, batch.origins)
        seconds += time.perf_counter() - t
    return seconds


def memory(args, work: Path) -> None:
    print("peak RSS (VmHWM) of a LULC job with a cheap stand-in model:")
    for size in args.rss_sizes:
        scene = write_mosaic(work / f"rss_{size}.tif", size)
        proc = subprocess.run(
            [sys.executable, "-c", RSS_CHILD, scene, str(work / f"rss_{size}_out.tif"), str(ROOT / "tests")],
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            print(proc.stderr[-2000:])
            continue
        peak = json.loads(proc.stdout.strip().splitlines()[-1])["peak_mib"]
        whole = 12 * 4 * size * size / 2**20
        print(
            f"  {size:5d} x {size:<5d} peak {peak:7.1f} MiB   "
            f"(whole-scene float32 accumulators alone: {whole:7.0f} MiB)"
        )
        Path(scene).unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="embeddings", choices=["embeddings", "lulc"])
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--model", default="tiny", choices=["tiny", "small", "base", "large"])
    parser.add_argument("--weights-dir")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--stride", type=int, default=16, choices=[16, 8, 4], help="embedding stride")
    parser.add_argument(
        "--input-compress", default="deflate", choices=["deflate", "none"], help="the mosaic's compression"
    )
    machine.add_arguments(parser)
    parser.add_argument("--rss-sizes", type=int, nargs="*", default=[1024, 2048, 4096, 8192])
    parser.add_argument("--skip-overhead", action="store_true")
    args = parser.parse_args()
    from terramind_qgis.core.device import numpy_blas_on_one_thread, resolve_device

    machine.header(args, resolve_device(args.device))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_overhead:
            if args.weights_dir is None:
                from helpers.weights_dir import write_seeded_weights_dir

                tokenizers = ("LULC",) if args.task == "lulc" else ()
                args.weights_dir = str(
                    write_seeded_weights_dir(work / "weights", args.model, tokenizers=tokenizers)
                )
            with numpy_blas_on_one_thread():  # as in run_job (device.job_threads)
                overhead(args, work)
        memory(args, work)


if __name__ == "__main__":
    main()
