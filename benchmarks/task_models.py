"""Fine-tuned task models (core/tasks) on the CPU: seconds per window and peak memory of scene runs.

1. Speed: seconds per 256 px window of the ImpactMesh flood architecture (4 dates of S2L2A + S1RTC + DEM,
   concat pooling, UNet decoder) on the tiny and base backbones, next to the backbone's share of that time
   and this machine's float32 matmul rate (``core.device.measure_matmul_gflops``). Seeded random weights:
   the timing equals that of the published weights (same shapes).
2. Memory: peak RSS (VmHWM) of ``run_job`` on a four-date scene of 2048 x 2048 against one of 512 x 512,
   each in a fresh process, with the real pipeline and a tiny fine-tune (mosaics of the real TerraMesh
   samples; different samples stand in for the dates).

Run from the repository root (prints numbers and ratios; asserts nothing)::

    .venv/bin/python benchmarks/task_models.py [--archs tiny base] [--repeats 3] [--rss-sizes 512 2048]
        [--skip-speed] [--skip-rss] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]
import conftest  # noqa: E402,F401  (exposes the package as terramind_qgis)

NECKS = [
    {"name": "SelectIndices", "indices": [2, 5, 8, 11]},
    {"name": "ReshapeTokensToImage", "remove_cls_token": False},
    {"name": "LearnedInterpolateToPyramidal"},
]
ARCHS = {
    # the fixture's tiny flood architecture and the published TerraMind-base-Flood/Fire layout
    "tiny": {"backbone": "terramind_v1_tiny", "decoder_channels": [256, 128, 64, 32], "num_classes": 3},
    "base": {"backbone": "terramind_v1_base", "decoder_channels": [512, 256, 128, 64], "num_classes": 2},
}
DATES = 4
WINDOW = 256


def model_args(arch: str) -> dict:
    return {
        "backbone_pretrained": False,
        "backbone_modalities": ["S2L2A", "S1RTC", "DEM"],
        "backbone_use_temporal": True,
        "backbone_temporal_pooling": "concat",
        "backbone_temporal_n_timestamps": DATES,
        "necks": NECKS,
        "decoder": "UNetDecoder",
        "head_dropout": 0.1,
        **ARCHS[arch],
    }


def _best_seconds(fns, repeats: int) -> list[float]:
    """Fastest of ``repeats`` timed calls of each function, calls interleaved (fair under a busy machine)."""
    for fn in fns:
        fn()  # warm-up
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t)
    return best


def speed(args) -> None:
    import torch

    from terramind_qgis.core.device import measure_matmul_gflops
    from terramind_qgis.core.tasks import build_task_model

    gflops = measure_matmul_gflops("cpu", seconds=1.0)
    print(
        f"CPU: {os.cpu_count()} logical cores, torch {torch.__version__}, {torch.get_num_threads()} threads"
    )
    load = os.getloadavg()[0]
    print(f"float32 matmul rate: {gflops:.1f} GFLOP/s (1024^3, best of 1 s); load average {load:.1f}")
    g = torch.Generator().manual_seed(0)
    x = {
        m: torch.randn(1, c, DATES, WINDOW, WINDOW, generator=g)
        for m, c in (("S2L2A", 12), ("S1RTC", 2), ("DEM", 1))
    }
    for arch in args.archs:
        model = build_task_model(model_args(arch)).eval()
        with torch.inference_mode():
            whole, backbone = _best_seconds(
                [lambda m=model: m(x), lambda m=model: m.encoder(x)], args.repeats
            )
        share = backbone / whole
        print(
            f"{arch:>5} flood architecture, {DATES} dates, {WINDOW} px window: {whole:.2f} s/window "
            f"(backbone {backbone:.2f} s = {share:.0%}; neck+decoder+head {whole - backbone:.2f} s); "
            f"window time x matmul rate = {whole * gflops:.0f} GFLOP"
        )
        del model


RSS_CHILD = r"""
import json, sys
sys.path[:0] = [sys.argv[1]]
import conftest
from terramind_qgis.core.jobs import DatedInputs, InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import run_job
work = sys.argv[2]; size = int(sys.argv[3])
dates = tuple(
    DatedInputs(f"d{t}", (InputRaster(f"{work}/S2L2A_{size}_{t}.tif", "S2L2A"),
                           InputRaster(f"{work}/S1RTC_{size}_{t}.tif", "S1RTC")))
    for t in range(4)
)
dem = (InputRaster(f"{work}/DEM_{size}_0.tif", "DEM"),)
spec = JobSpec(Task.SEGMENT, dem, {"segment": f"{work}/out_{size}.tif"}, dates=dates,
               task_config=f"{work}/ft.yaml", task_checkpoint=f"{work}/ft.ckpt",
               tile_size=256, overlap=48, device="cpu", batch_size=2)
run_job(spec)
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
print(json.dumps({"peak_mib": int(hwm.split()[1]) / 1024}))
"""


def _dated_mosaics(work: Path, size: int) -> None:
    """S2L2A/S1RTC mosaics of four dates (the samples rotated per date) on date 0's grid, and a DEM."""
    import rasterio
    from helpers.paths import SAMPLE_IDS
    from helpers.scenes import write_mosaic

    for modality in ("S2L2A", "S1RTC", "DEM"):
        first = work / f"{modality}_{size}_0.tif"
        for t in range(DATES if modality != "DEM" else 1):
            path = work / f"{modality}_{size}_{t}.tif"
            samples = SAMPLE_IDS[t:] + SAMPLE_IDS[:t]
            write_mosaic(path, size, modality, samples)
            if t:
                with rasterio.open(first) as ref, rasterio.open(path, "r+") as dst:
                    dst.crs, dst.transform = ref.crs, ref.transform


def rss(args) -> None:
    import torch
    from helpers.task_models import write_checkpoint, write_config

    from terramind_qgis.core.tasks import build_task_model

    work = Path(tempfile.mkdtemp(prefix="tm_task_bench_"))
    tiny = dict(model_args("tiny"), decoder_channels=[64, 32, 16, 16])
    torch.manual_seed(0)
    write_config(work / "ft.yaml", tiny)
    write_checkpoint(work / "ft.ckpt", build_task_model(tiny).state_dict())
    print(f"peak RSS (VmHWM) of run_job, tiny fine-tune, {DATES} dates, 256 px windows at stride 208:")
    peaks = {}
    for size in args.rss_sizes:
        _dated_mosaics(work, size)
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", RSS_CHILD, str(ROOT / "tests"), str(work), str(size)],
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            print(proc.stderr[-2000:])
            continue
        peaks[size] = json.loads(proc.stdout.strip().splitlines()[-1])["peak_mib"]
        print(f"  {size} x {size}: {peaks[size]:.0f} MiB in {time.perf_counter() - started:.0f} s")
    if len(peaks) >= 2:
        small, large = min(peaks), max(peaks)
        pixels = (large / small) ** 2
        print(f"  ratio {large} / {small}: {peaks[large] / peaks[small]:.2f} (pixels x{pixels:.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archs", nargs="+", default=["tiny", "base"], choices=sorted(ARCHS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rss-sizes", nargs="+", type=int, default=[512, 2048])
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-rss", action="store_true")
    args = parser.parse_args()
    if not args.skip_speed:
        speed(args)
    if not args.skip_rss:
        rss(args)


if __name__ == "__main__":
    main()
