"""What every benchmark prints first: the CPU's features, its measured matmul rates, the chosen precision.

Shared by ``backbone.py``, ``generation.py`` and ``pipeline.py`` (imported as ``machine``; the scripts run
from the repository root with ``benchmarks/`` on ``sys.path``).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
PRECISIONS = ("auto", "float32", "bfloat16")


def expose_package() -> None:
    """Make the repository importable as ``terramind_qgis`` (as for the tests)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import conftest  # noqa: F401


def add_arguments(parser: argparse.ArgumentParser, several: bool = False) -> None:
    """``--precision`` (one, or ``several`` timed side by side) and ``--threads``, as in every benchmark."""
    parser.add_argument(
        "--precision",
        nargs="+" if several else None,
        default=["auto"] if several else "auto",
        choices=PRECISIONS,
        help="as the job option: auto = bfloat16 where the CPU computes it natively, else float32",
    )
    parser.add_argument("--threads", type=int, default=None, help="torch intra-op threads (default: all)")


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()
    elif device.type == "mps":
        torch.mps.synchronize()


def matmul_gflops(dtype: torch.dtype, device: torch.device, n: int = 2048, runs: int = 5) -> float:
    """Best rate (GFLOP/s) of ``runs`` n x n x n products in ``dtype`` on ``device`` (after one warm-up).

    A dtype the device only emulates (bfloat16 on an AVX2 CPU: under 1 GFLOP/s) is measured at n = 512,
    where a 2048 product would take minutes.
    """
    _product_seconds(dtype, device, 512)  # warm-up: library start (cuBLAS), kernel choice
    probe = _product_seconds(dtype, device, 512)
    if probe * (n / 512) ** 3 > 2.0:
        n = 512
    a, b = torch.randn(n, n, device=device, dtype=dtype), torch.randn(n, n, device=device, dtype=dtype)
    with torch.inference_mode():
        a @ b
        best = float("inf")
        for _ in range(runs):
            sync(device)
            t0 = time.perf_counter()
            a @ b
            sync(device)
            best = min(best, time.perf_counter() - t0)
    return 2 * n**3 / best / 1e9


def _product_seconds(dtype: torch.dtype, device: torch.device, n: int) -> float:
    a = torch.randn(n, n, device=device, dtype=dtype)
    with torch.inference_mode():
        sync(device)
        t0 = time.perf_counter()
        a @ a
        sync(device)
    return time.perf_counter() - t0


def rates(device: torch.device) -> dict[str, float]:
    """Measured float32 and bfloat16 matmul rates (GFLOP/s)."""
    return {name: matmul_gflops(getattr(torch, name), device) for name in ("float32", "bfloat16")}


def rates_text(measured: dict[str, float]) -> str:
    f32, bf16 = measured["float32"], measured["bfloat16"]
    return f"matmul float32 {f32:.0f} GFLOP/s, bfloat16 {bf16:.0f} GFLOP/s ({bf16 / f32:.1f}x)"


def header(args: argparse.Namespace, device: torch.device | str = "cpu"):
    """Set the threads, print the machine, its matmul rates and the precision; return the rates."""
    from terramind_qgis.core.device import choose_precision, cpu_features

    device = torch.device(device)
    if args.threads:
        torch.set_num_threads(args.threads)
    features = cpu_features()
    caps = getattr(torch.cpu, "get_capabilities", dict)()
    name = caps.get("cpu_name") or platform.processor() or platform.machine()
    flags = ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in features.items())
    print(f"CPU {name} | {flags} | torch capability {torch.backends.cpu.get_cpu_capability()}")
    print(f"torch {torch.__version__} | device {device} | threads {torch.get_num_threads()}")
    measured = rates(device)
    print(rates_text(measured) + " (measured now; the machine may be shared)")
    for name in [args.precision] if isinstance(args.precision, str) else args.precision:
        precision = choose_precision(name, device)
        print(f"precision {name}: {precision.name}, {precision.reason}")
    print()
    return measured
