"""Throughput of the TerraMind backbone: tiles/s and achieved GFLOP/s against this machine's matmul peak.

Usage (from the repository root)::

    .venv/bin/python benchmarks/backbone.py                 # tiny, small, base; batch 1 and 8; 224 x 224
    .venv/bin/python benchmarks/backbone.py --large --threads 2 --dtype bfloat16 --device cuda

FLOPs are counted analytically (2 per multiply-add of every Linear and of the two attention matmuls;
norms, softmax and activations are ignored), so "GFLOP/s" is comparable across implementations. The
peak is the best float32 (or chosen dtype) GEMM rate measured with a 2048^3 matmul on the same device
and thread count. Random weights are used: speed does not depend on values.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()
    elif device.type == "mps":
        torch.mps.synchronize()


def matmul_peak_gflops(device: torch.device, dtype: torch.dtype, n: int = 2048, runs: int = 5) -> float:
    """Best GEMM rate (GFLOP/s) of ``runs`` n x n x n products on ``device`` (after one warm-up)."""
    a, b = torch.randn(n, n, device=device, dtype=dtype), torch.randn(n, n, device=device, dtype=dtype)
    a @ b
    best = float("inf")
    for _ in range(runs):
        _sync(device)
        t0 = time.perf_counter()
        a @ b
        _sync(device)
        best = min(best, time.perf_counter() - t0)
    return 2 * n**3 / best / 1e9


def backbone_gflop_per_tile(cfg, channels: int = 12, hw: int = 224) -> float:
    """Analytic forward GFLOP of one tile (patch embedding, attention, MLP)."""
    n, d = (hw // cfg.patch_size) ** 2, cfg.dim
    hidden = int(2 * 4 * d / 3) if cfg.gated else 4 * d
    mlp = (3 if cfg.gated else 2) * d * hidden
    per_block = 2 * n * (3 * d * d + d * d + mlp) + 2 * 2 * n * n * d  # linears + QK^T and AV
    return (2 * n * 256 * channels * d + cfg.depth * per_block) / 1e9


def _explicit_attention_forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """The reference's attention (materialised softmax(QK^T * scale) V), for a like-for-like comparison."""
    B, N, D = x.shape
    q, k, v = (
        self.qkv(x).reshape(B, N, 3, self.num_heads, D // self.num_heads).permute(2, 0, 3, 1, 4).unbind(0)
    )
    attn = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)  # (B, h, N, N)
    return self.proj((attn @ v).transpose(1, 2).reshape(B, N, D))


def _interleaved(fns: list, device: torch.device, min_seconds: float) -> list[float]:
    """Median seconds of each function, timed in alternating rounds so machine load hits all alike."""
    for fn in fns:
        fn()
    _sync(device)
    times: list[list[float]] = [[] for _ in fns]
    start = time.perf_counter()
    while len(times[0]) < 3 or time.perf_counter() - start < min_seconds:
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            _sync(device)
            times[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["tiny", "small", "base"])
    parser.add_argument("--large", action="store_true", help="also benchmark the large model (slow on CPU)")
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 8])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument(
        "--dtype", default=None, help="default: bfloat16 on CUDA and on CPUs with native bf16, else float32"
    )
    parser.add_argument("--threads", type=int, default=None, help="torch intra-op threads (CPU)")
    parser.add_argument("--min-seconds", type=float, default=3.0, help="minimum timing per row")
    parser.add_argument(
        "--reference-attention",
        action="store_true",
        help="also time the same model with the reference's explicit softmax attention (interleaved)",
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "tests"))
    import conftest  # noqa: F401  (exposes the package as terramind_qgis, as for the tests)

    from terramind_qgis.core.terramind.encoder import build_backbone

    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    native_bf16 = device.type == "cuda" or (device.type == "cpu" and _cpu_has_native_bf16())
    dtype_name = args.dtype or ("bfloat16" if native_bf16 else "float32")
    dtype = getattr(torch, dtype_name)
    if device.type == "cpu" and dtype == torch.bfloat16 and not _cpu_has_native_bf16():
        print("note: this CPU has no native bfloat16 (AVX512_BF16/AMX); bfloat16 is emulated and slow")
    threads = torch.get_num_threads()
    print(f"device {device} | dtype {dtype_name} | threads {threads} | torch {torch.__version__}")
    print("peak = 2048^3 GEMM rate measured right before each row (the machine may be shared)\n")
    cols = ["size", "batch", "tiles/s", "ms/tile", "GFLOP/tile", "GFLOP/s", "peak", "% peak"]
    cols += ["ref-attn GFLOP/s", "speed-up"] if args.reference_attention else []
    print(" ".join(f"{c:>{max(len(c), 7)}}" for c in cols))
    for size in args.sizes + (["large"] if args.large else []):
        model = build_backbone(size, modalities=["S2L2A"], device=device, dtype=dtype)
        for batch in args.batches:
            cells = _bench_row(model, size, batch, device, dtype, args.min_seconds, args.reference_attention)
            print(" ".join(f"{c:>{max(len(h), 7)}}" for c, h in zip(cells, cols)), flush=True)


def _bench_row(
    model, size: str, batch: int, device: torch.device, dtype: torch.dtype, min_seconds: float, ref: bool
) -> list[str]:
    """Time one (size, batch) row; return its formatted cells."""
    from terramind_qgis.core.terramind.layers import Attention
    from terramind_qgis.core.terramind.registry import config_for

    x = torch.randn(batch, 12, 224, 224, device=device, dtype=dtype)
    flop = backbone_gflop_per_tile(config_for(size)) * batch
    peak = matmul_peak_gflops(device, dtype)
    fns = [lambda: model.predict(x)]
    if ref:
        fns.append(lambda: _with_attention(model, Attention, _explicit_attention_forward, x))
    seconds = _interleaved(fns, device, min_seconds)
    rate = flop / seconds[0]
    cells = [size, str(batch), f"{batch / seconds[0]:.2f}", f"{1000 * seconds[0] / batch:.1f}"]
    cells += [f"{flop / batch:.2f}", f"{rate:.1f}", f"{peak:.0f}", f"{100 * rate / peak:.0f}%"]
    if ref:
        cells += [f"{flop / seconds[1]:.1f}", f"{seconds[1] / seconds[0]:.2f}x"]
    return cells


def _with_attention(model, attention_cls, forward, x: torch.Tensor):
    """Run ``model.predict(x)`` with ``attention_cls.forward`` temporarily replaced by ``forward``."""
    original = attention_cls.forward
    attention_cls.forward = forward
    try:
        return model.predict(x)
    finally:
        attention_cls.forward = original


def _cpu_has_native_bf16() -> bool:
    capability = torch.backends.cpu.get_cpu_capability()
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    return "avx512_bf16" in flags or "amx_bf16" in flags or capability.startswith("AMX")


if __name__ == "__main__":
    main()
