"""How far the pre-flight estimate (``core.estimate``) is from measured runs, on this computer.

Usage (from the repository root)::

    .venv/bin/python benchmarks/estimate.py                  # LULC, S1GRD (10 steps), embeddings; tiny
    .venv/bin/python benchmarks/estimate.py --tasks s1grd --repeats 2

Each case calibrates the matrix-multiply rate the way the dock does (``measure_matmul_gflops``), estimates
the job, runs it with ``run_job`` on the Chile sample scene (one 224 px tile) with seeded weights in the
official layout (same shapes, so the same work as the real ones) and prints estimate / measured. The goal is
a ratio within 0.7-1.3. On a shared machine, run it when the machine is quiet: the calibration and the
run must see the same load.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import conftest  # noqa: E402,F401  (exposes the package as terramind_qgis)
from helpers.weights_dir import write_seeded_weights_dir  # noqa: E402

from terramind_qgis.core.device import measure_matmul_gflops  # noqa: E402
from terramind_qgis.core.estimate import estimate_job  # noqa: E402
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task  # noqa: E402
from terramind_qgis.core.pipeline import run_job  # noqa: E402

S2 = str(ROOT / "resources" / "sample" / "S2L2A_433D_629L_3_1.tif")
CASES = {
    "lulc": (Task.LULC, {"lulc": "lulc.tif"}),
    "s1grd": (Task.S1GRD, {"s1grd": "s1grd.tif"}),
    "embeddings": (Task.EMBEDDINGS, {"pca": "pca.tif"}),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--repeats", type=int, default=1, help="runs per case; the fastest counts")
    parser.add_argument("--weights", default=os.path.join(tempfile.gettempdir(), "terramind_bench_weights"))
    args = parser.parse_args()
    logging.getLogger("terramind_qgis").setLevel(logging.ERROR)  # input notices are not the point here
    weights = Path(args.weights)
    if not (weights / ".complete").exists():
        write_seeded_weights_dir(weights, tokenizers=("LULC", "S1GRD"))
        (weights / ".complete").touch()
    print(f"CPU cores: {os.cpu_count()}")
    print(f"{'task':<11} {'GFLOP/s':>8} {'estimate s':>10} {'measured s':>10} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as out:
        for name in args.tasks:
            task, outputs = CASES[name]
            best = float("inf")
            for i in range(args.repeats):
                spec = JobSpec(
                    task=task,
                    inputs=(InputRaster(S2, "S2L2A"),),
                    outputs={k: os.path.join(out, f"{i}_{v}") for k, v in outputs.items()},
                    weights_dir=str(weights),
                    offline=True,
                    device="cpu",
                    precision="float32",
                )
                gflops = measure_matmul_gflops("cpu", typical=True)
                estimate = estimate_job(spec, gflops).seconds
                start = time.perf_counter()
                run_job(spec)
                best = min(best, time.perf_counter() - start)
            print(f"{name:<11} {gflops:>8.1f} {estimate:>10.1f} {best:>10.1f} {estimate / best:>6.2f}")


if __name__ == "__main__":
    main()
