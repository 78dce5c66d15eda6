"""Throughput of the TerraMind backbone: tiles/s and achieved GFLOP/s against this machine's matmul peak.

Usage (from the repository root)::

    .venv/bin/python benchmarks/backbone.py                 # tiny, small, base; batch 1 and 8; 224 x 224
    .venv/bin/python benchmarks/backbone.py --precision float32 bfloat16   # both, interleaved: ratios
    .venv/bin/python benchmarks/backbone.py --large --threads 2 --precision bfloat16 --device cuda

FLOPs are counted analytically (2 per multiply-add of every Linear and of the two attention matmuls;
norms, softmax and activations are ignored), so "GFLOP/s" is comparable across implementations. The
peak is the best GEMM rate of the row's precision measured with a 2048^3 matmul on the same device and
thread count. The model runs as in a job (``core.device``: Linear weights stored in the compute dtype,
autocast). With several precisions, each row times them in alternating rounds and prints the speed-up
over the first. Random weights are used: speed does not depend on values.
"""

from __future__ import annotations

import argparse
import statistics
import time

import machine
import torch


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
    machine.sync(device)
    times: list[list[float]] = [[] for _ in fns]
    start = time.perf_counter()
    while len(times[0]) < 3 or time.perf_counter() - start < min_seconds:
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            machine.sync(device)
            times[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["tiny", "small", "base"])
    parser.add_argument("--large", action="store_true", help="also benchmark the large model (slow on CPU)")
    parser.add_argument("--batches", nargs="+", type=int, default=[1, 8])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    machine.add_arguments(parser, several=True)
    parser.add_argument("--min-seconds", type=float, default=3.0, help="minimum timing per row")
    parser.add_argument(
        "--reference-attention",
        action="store_true",
        help="also time the same model with the reference's explicit softmax attention (interleaved)",
    )
    args = parser.parse_args(argv)

    machine.expose_package()
    from terramind_qgis.core.device import cast_matmul_weights, choose_precision
    from terramind_qgis.core.terramind.encoder import build_backbone

    device = torch.device(args.device)
    machine.header(args, device)
    precisions = [choose_precision(p, device) for p in args.precision]
    cols = ["size", "batch", "precision", "tiles/s", "ms/tile", "GFLOP/tile", "GFLOP/s", "peak", "% peak"]
    cols += ["speed-up"] if len(precisions) > 1 else []
    cols += ["ref-attn GFLOP/s", "ref speed-up"] if args.reference_attention else []
    print(" ".join(f"{c:>{max(len(c), 7)}}" for c in cols))
    for size in args.sizes + (["large"] if args.large else []):
        models = [
            cast_matmul_weights(build_backbone(size, modalities=["S2L2A"], device=device), p.dtype)
            for p in precisions
        ]
        for batch in args.batches:
            for cells in _bench_rows(models, precisions, size, batch, device, args):
                print(" ".join(f"{c:>{max(len(h), 7)}}" for c, h in zip(cells, cols)), flush=True)


def _bench_rows(models, precisions, size: str, batch: int, device: torch.device, args) -> list[list[str]]:
    """Time one (size, batch) in every precision, interleaved; return one row of cells per precision."""
    from terramind_qgis.core.device import autocast
    from terramind_qgis.core.terramind.layers import Attention
    from terramind_qgis.core.terramind.registry import config_for

    x = torch.randn(batch, 12, 224, 224, device=device)
    flop = backbone_gflop_per_tile(config_for(size)) * batch
    peaks = [machine.matmul_gflops(p.dtype, device) for p in precisions]

    def run(model, precision):
        with autocast(device, precision.dtype):
            return model.predict(x)

    fns = [lambda m=m, p=p: run(m, p) for m, p in zip(models, precisions)]
    if args.reference_attention:
        fns.append(lambda: _with_attention(Attention, _explicit_attention_forward, lambda: fns[0]()))
    seconds = _interleaved(fns, device, args.min_seconds)
    rows = []
    for i, (precision, peak) in enumerate(zip(precisions, peaks)):
        rate = flop / seconds[i]
        cells = [
            size,
            str(batch),
            precision.name,
            f"{batch / seconds[i]:.2f}",
            f"{1000 * seconds[i] / batch:.1f}",
        ]
        cells += [f"{flop / batch:.2f}", f"{rate:.1f}", f"{peak:.0f}", f"{100 * rate / peak:.0f}%"]
        cells += [f"{seconds[0] / seconds[i]:.2f}x"] if len(precisions) > 1 else []
        if args.reference_attention:
            cells += [f"{flop / seconds[-1]:.1f}", f"{seconds[-1] / seconds[0]:.2f}x"] if i == 0 else ["", ""]
        rows.append(cells)
    return rows


def _with_attention(attention_cls, forward, run):
    """``run()`` with ``attention_cls.forward`` temporarily replaced by ``forward``."""
    original = attention_cls.forward
    attention_cls.forward = forward
    try:
        return run()
    finally:
        attention_cls.forward = original


if __name__ == "__main__":
    main()
