"""Embedding workbench timings and memory on mosaics built from the real TerraMesh samples.

1. End to end: a 1000 x 1000 Sentinel-2 scene -> TerraMind tiny embeddings at stride 8 -> similarity
   heatmap (``run_job`` then ``similarity_map``); goal: 30 s or less on the 2-core development CPU.
2. Interactive: the explorer on those embeddings (125 x 125 x 192): click -> similarity preview written,
   and label -> refit -> classification and confidence previews written; goal: under 1 s each.
3. Memory: peak RSS (VmHWM) of each workbench tool, each in a fresh process, on a 4096 x 4096 embedding
   raster (the 12 S2 bands of a mosaic as features; 403 MB of int16) against the raster's size.

Run from the repository root (prints numbers and ratios; asserts nothing)::

    .venv/bin/python benchmarks/workbench.py [--size 1000] [--stride 8] [--rss-size 4096] [--parts 1 2 3]
        [--weights-dir DIR]

Without ``--weights-dir`` a seeded tiny checkpoint folder is written first (same shapes, same speed as the
official weights).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]
import conftest  # noqa: E402,F401  (exposes the package as terramind_qgis)
from helpers.scenes import write_mosaic  # noqa: E402

from terramind_qgis.core.device import measure_matmul_gflops  # noqa: E402
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task  # noqa: E402
from terramind_qgis.core.pipeline import run_job  # noqa: E402
from terramind_qgis.core.products import PRODUCTS  # noqa: E402
from terramind_qgis.core.workbench.explorer import Explorer, write_preview  # noqa: E402
from terramind_qgis.core.workbench.geometry_pixels import Features  # noqa: E402
from terramind_qgis.core.workbench.outputs import with_classes  # noqa: E402
from terramind_qgis.core.workbench.similarity import similarity_map  # noqa: E402

RSS_CHILD = r"""
import json, sys
sys.path[:0] = [sys.argv[4]]
import conftest
from terramind_qgis.core.workbench.geometry_pixels import Features
tool, raster, out = sys.argv[1], sys.argv[2], sys.argv[3]
import rasterio
with rasterio.open(raster) as src:
    t, w, h = src.transform, src.width, src.height
pt = lambda r, c: {"type": "Point", "coordinates": t * (c + 0.5, r + 0.5)}
if tool == "similarity":
    from terramind_qgis.core.workbench.similarity import similarity_map
    similarity_map(raster, "mosaic", Features("s", [pt(100, 100)]), out + ".tif")
elif tool == "clusters":
    from terramind_qgis.core.workbench.clusters import cluster_map
    cluster_map(raster, "mosaic", out + ".tif", clusters=6, report=out + ".json")
elif tool == "classify":
    from terramind_qgis.core.workbench.classify_raster import classify_map
    pts = [pt(r, c) for r in range(10, h, h // 7) for c in range(10, w, w // 7)]
    training = Features("t", pts, [i % 3 + 1 for i in range(len(pts))])
    classify_map(raster, "mosaic", out + ".tif", training, "logistic", 3, confidence=out + "_p.tif")
elif tool == "change":
    from terramind_qgis.core.workbench.change import change_map
    change_map(raster, "A", raster, "B", out + ".tif", out + "_r.tif")
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
print(json.dumps({"peak_mib": int(hwm.split()[1]) / 1024}))
"""


def end_to_end(args, work: Path) -> str:
    scene = write_mosaic(work / f"s2_{args.size}.tif", args.size)
    spec = JobSpec(
        Task.EMBEDDINGS,
        (InputRaster(scene, "S2L2A"),),
        {"embeddings": str(work / "emb.tif")},
        weights_dir=args.weights_dir,
        offline=True,
        device=args.device,
        embedding_stride=args.stride,
    )
    t = time.perf_counter()
    result = run_job(spec)
    embed = time.perf_counter() - t
    emb = result.outputs["embeddings"]
    explorer_grid = Explorer.load(emb, "emb").grid
    x, y = explorer_grid.transform * (explorer_grid.width / 3, explorer_grid.height / 2)
    t = time.perf_counter()
    seed = Features("seed", [{"type": "Point", "coordinates": (x, y)}])
    similarity_map(emb, "emb", seed, str(work / "sim.tif"))
    sim = time.perf_counter() - t
    total = embed + sim
    print(f"1. {args.size} x {args.size} S2 scene -> tiny embeddings, stride {args.stride} -> similarity map")
    print(f"   embeddings {embed:.1f} s (incl. model loading), similarity {sim:.2f} s, total {total:.1f} s")
    print(f"   ratio to the 30 s goal: {total / 30:.2f}  (<= 1 meets it)")
    return emb


def interactive(emb: str, work: Path, clicks: int) -> None:
    t = time.perf_counter()
    ex = Explorer.load(emb, "emb")
    load = time.perf_counter() - t
    g = ex.grid
    print(f"2. explorer on {g.width} x {g.height} x {ex.vectors.shape[1]} embeddings (load {load:.2f} s)")
    times = []
    for i in range(clicks):
        r, c = (i * 37) % g.height, (i * 53) % g.width
        t = time.perf_counter()
        write_preview(str(work / f"sim_{i}.tif"), ex.similarity([(r, c)]), g, PRODUCTS["similarity"])
        times.append(time.perf_counter() - t)
    median, worst = statistics.median(times) * 1000, max(times) * 1000
    print(f"   click -> similarity preview: median {median:.0f} ms, max {worst:.0f} ms")
    refits = []
    for i in range(clicks):
        r, c = (i * 29) % g.height, (i * 41) % g.width
        ex.set_label(r, c, "A" if i % 2 else "B")
        t = time.perf_counter()
        fitted = ex.refit()
        if fitted is not None:
            classes, confidence = fitted
            product = with_classes("classification", [(1, "A"), (2, "B")])
            write_preview(str(work / f"cls_{i}.tif"), classes, g, product)
            write_preview(str(work / f"conf_{i}.tif"), confidence, g, PRODUCTS["confidence"])
            ex.least_certain(confidence)
            refits.append(time.perf_counter() - t)
    median, worst = statistics.median(refits) * 1000, max(refits) * 1000
    print(
        f"   label -> refit -> classes, confidence, least certain: median {median:.0f} ms, max {worst:.0f} ms"
    )
    print(f"   ({len(ex.labels)} labels at the end)")
    print(f"   ratio to the 1 s goal: click {max(times):.2f}, refit {max(refits):.2f}  (<= 1 meets it)")


def memory(args, work: Path) -> None:
    raster = write_mosaic(work / f"rss_{args.rss_size}.tif", args.rss_size)
    size_mib = os.path.getsize(raster) / 2**20
    n = args.rss_size
    print(f"3. peak RSS on a {n} x {n} x 12 embedding raster ({size_mib:.0f} MiB int16, ", end="")
    print(f"{n * n * 12 * 4 / 2**20:.0f} MiB as float32):")
    for tool in ("similarity", "clusters", "classify", "change"):
        t = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", RSS_CHILD, tool, raster, str(work / f"rss_{tool}"), str(ROOT / "tests")],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - t
        if proc.returncode:
            print(proc.stderr[-2000:])
            continue
        peak = json.loads(proc.stdout.strip().splitlines()[-1])["peak_mib"]
        ratio = peak / (args.rss_size**2 * 12 * 4 / 2**20)
        print(f"   {tool:10s} peak {peak:6.0f} MiB ({ratio:.2f} x the vectors as float32), {seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--stride", type=int, default=8, choices=[16, 8, 4])
    parser.add_argument("--rss-size", type=int, default=4096)
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--weights-dir")
    parser.add_argument("--device", default="cpu")
    parser.add_argument(
        "--parts", type=int, nargs="*", default=[1, 2, 3], help="1 end to end, 2 latency, 3 RSS"
    )
    args = parser.parse_args()
    gflops = measure_matmul_gflops("cpu")
    print(f"CPU: {os.cpu_count()} cores, float32 GEMM {gflops:.0f} GFLOP/s measured now")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.weights_dir is None and {1, 2} & set(args.parts):
            from helpers.weights_dir import write_seeded_weights_dir

            args.weights_dir = str(write_seeded_weights_dir(work / "weights", "tiny", tokenizers=()))
        if {1, 2} & set(args.parts):
            emb = end_to_end(args, work)
            if 2 in args.parts:
                interactive(emb, work, args.clicks)
        if 3 in args.parts:
            memory(args, work)


if __name__ == "__main__":
    main()
