"""How far the pre-flight estimate (``core.estimate``) is from measured runs, on this computer.

Usage (from the repository root)::

    .venv/bin/python benchmarks/estimate.py                  # LULC, S1GRD (10 steps), embeddings; tiny
    .venv/bin/python benchmarks/estimate.py --tasks s1grd --sizes 0 --repeats 2 --precision float32

Each case calibrates the matrix-multiply rates the way the dock does (``measure_matmul_rates``: float32 and
the precision ``auto`` picks), estimates the job, runs it with ``run_job`` with seeded weights in the
official layout (same shapes, so the same work as the real ones) and prints estimate / measured. Scenes:
size 0 is the bundled sample (one 224 px tile); other sizes are square mosaics of the real TerraMesh
samples. The goal is a ratio within 0.7-1.3. On a shared machine, run it when the machine is quiet: the
calibration and the run must see the same load.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

import machine

ROOT = Path(__file__).resolve().parents[1]
machine.expose_package()
from helpers.scenes import write_mosaic  # noqa: E402
from helpers.weights_dir import write_seeded_weights_dir  # noqa: E402

from terramind_qgis.core.device import measure_matmul_rates  # noqa: E402
from terramind_qgis.core.estimate import estimate_job  # noqa: E402
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task  # noqa: E402
from terramind_qgis.core.pipeline import run_job  # noqa: E402

SAMPLE = str(ROOT / "resources" / "sample" / "S2L2A_433D_629L_3_1.tif")
CASES = {
    "lulc": (Task.LULC, {"lulc": "lulc.tif"}),
    "s1grd": (Task.S1GRD, {"s1grd": "s1grd.tif"}),
    "embeddings": (Task.EMBEDDINGS, {"pca": "pca.tif"}),
}
DEFAULT_SIZES = {"lulc": [0, 1024], "s1grd": [0], "embeddings": [0, 2048]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--sizes", type=int, nargs="+", help="scene sides (0: the sample); default per task")
    parser.add_argument("--repeats", type=int, default=1, help="runs per case; the fastest counts")
    parser.add_argument("--weights", default=os.path.join(tempfile.gettempdir(), "terramind_bench_weights"))
    machine.add_arguments(parser)
    args = parser.parse_args()
    machine.header(args)
    logging.getLogger("terramind_qgis").setLevel(logging.ERROR)  # input notices are not the point here
    weights = Path(args.weights)
    if not (weights / ".complete").exists():
        write_seeded_weights_dir(weights, tokenizers=("LULC", "S1GRD"))
        (weights / ".complete").touch()
    print(f"{'task':<11} {'scene':>6} {'GFLOP/s':>16} {'estimate s':>10} {'measured s':>10} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as out:
        for name in args.tasks:
            task, outputs = CASES[name]
            for size in args.sizes or DEFAULT_SIZES[name]:
                scene = write_mosaic(Path(out) / f"s2_{size}.tif", size) if size else SAMPLE
                best, estimate = float("inf"), 0.0
                for i in range(args.repeats):
                    spec = JobSpec(
                        task=task,
                        inputs=(InputRaster(scene, "S2L2A"),),
                        outputs={k: os.path.join(out, f"{name}{size}_{i}_{v}") for k, v in outputs.items()},
                        weights_dir=str(weights),
                        offline=True,
                        device="cpu",
                        precision=args.precision,
                    )
                    rates = measure_matmul_rates("cpu")
                    estimate = estimate_job(spec, rates).seconds
                    start = time.perf_counter()
                    run_job(spec)
                    best = min(best, time.perf_counter() - start)
                precision, gflops = rates.rate(args.precision)
                print(
                    f"{name:<11} {size or 224:>6} {gflops:>7.0f} {precision:>8} {estimate:>10.1f} "
                    f"{best:>10.1f} {estimate / best:>6.2f}"
                )


if __name__ == "__main__":
    main()
