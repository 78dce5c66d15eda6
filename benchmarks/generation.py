"""Seconds per 224 x 224 tile of any-to-any generation, split by stage.

Usage (from the repository root)::

    .venv/bin/python benchmarks/generation.py            # tiny + base; S2L2A->LULC (batch 1, 8),
                                                         # S2L2A->S1GRD (10 steps, batch 1): a few minutes
    .venv/bin/python benchmarks/generation.py --long     # adds 50 DDIM steps and batch 8 for S1GRD (slow)
    .venv/bin/python benchmarks/generation.py --sizes tiny --outputs S1GRD --timesteps 10 50 --batches 1 8

Stages (seconds per tile): ``encoder`` (TerraMind encoder passes), ``decoder`` (decoder + token sampling),
``tok_decode`` (LULC ViT decoder or DDIM diffusion with the patched UNet). For diffusion outputs the
UNet rate is reported: analytic FLOPs (2 per multiply-add of every convolution and Linear, counted with
hooks on the warm-up call) over the tokenizer-decoding time. Random weights: speed does not depend on
values. The machine may be shared with other work: each row keeps the fastest of ``--repeats`` calls
after a warm-up (diffusion rows: one call unless ``--repeats`` is given).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]


def unet_gflop(model, output_key: str, batch: int) -> float:
    """GFLOP of one UNet evaluation for ``batch`` 224 x 224 tiles (counted with forward hooks)."""
    unet = model.tokenizer[output_key].decoder
    total = [0]

    def conv(m, inputs, out):
        total[0] += 2 * out.numel() * m.weight[0].numel()

    def linear(m, inputs, out):
        total[0] += 2 * out.numel() * m.in_features

    hooks = [
        m.register_forward_hook(conv if isinstance(m, (torch.nn.Conv1d, torch.nn.Conv2d)) else linear)
        for m in unet.modules()
        if isinstance(m, (torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Linear))
    ]
    channels = model.tokenizer[output_key].spec.channels
    with torch.inference_mode():
        unet(torch.zeros(1, channels, 224, 224), 999, torch.zeros(1, 5, 14, 14))
    for h in hooks:
        h.remove()
    return batch * total[0] / 1e9


def run_row(model, size: str, output: str, timesteps: int, batch: int, repeats: int) -> str:
    """Warm up, time ``repeats`` generation calls and return the row of the fastest one."""
    x = torch.rand(batch, 12, 224, 224) * 4000  # DN-like S2L2A values, standardised by the model
    key = model.output_keys[output]
    diffusion = key != "tok_lulc@224"
    total, profile = float("inf"), {}
    with torch.inference_mode():
        model(x, timesteps=1, seed=0)  # warm-up (allocator, oneDNN kernels)
        for _ in range(repeats):
            stages: dict[str, float] = {}
            t0 = time.perf_counter()
            model(x, timesteps=timesteps, seed=0, profile=stages)
            if time.perf_counter() - t0 < total:
                total, profile = time.perf_counter() - t0, stages
    cells = [
        size,
        f"S2L2A->{output}",
        str(timesteps if diffusion else "-"),
        str(batch),
        f"{total / batch:.3f}",
    ]
    cells += [f"{profile.get(s, 0.0) / batch:.3f}" for s in ("encoder", "decoder", "tokenizer_decode")]
    if diffusion:
        rate = unet_gflop(model, key, batch) * timesteps / profile["tokenizer_decode"]
        cells.append(f"{rate:.0f}")
    else:
        cells.append("-")
    return " ".join(f"{c:>{w}}" for c, w in zip(cells, WIDTHS))


COLUMNS = ["size", "task", "steps", "batch", "s/tile", "encoder", "decoder", "tok_decode", "UNet GFLOP/s"]
WIDTHS = [6, 14, 5, 5, 8, 8, 8, 10, 12]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["tiny", "base"])
    parser.add_argument("--outputs", nargs="+", default=["LULC", "S1GRD"], choices=["LULC", "S1GRD"])
    parser.add_argument("--timesteps", nargs="+", type=int, default=None, help="DDIM steps (default 10)")
    parser.add_argument("--batches", nargs="+", type=int, default=None, help="default: 1 8 (S1GRD: 1)")
    parser.add_argument("--long", action="store_true", help="add 50 DDIM steps and batch 8 for diffusion")
    parser.add_argument("--threads", type=int, default=None, help="torch intra-op threads")
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed calls per row, fastest kept (diffusion rows: 1)"
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "tests"))
    import conftest  # noqa: F401  (exposes the package as terramind_qgis, as for the tests)

    from terramind_qgis.core import FULL_MODEL_REGISTRY

    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__} | threads {torch.get_num_threads()} | CPU float32 | random weights\n")
    print(" ".join(f"{c:>{w}}" for c, w in zip(COLUMNS, WIDTHS)))
    for size in args.sizes:
        for output in args.outputs:
            torch.manual_seed(0)
            model = FULL_MODEL_REGISTRY.build(
                f"terramind_v1_{size}_generate",
                modalities=["S2L2A"],
                output_modalities=[output],
                standardize=True,
                temps=0.0,
            )
            diffusion = output != "LULC"
            steps = args.timesteps or ([10, 50] if args.long else [10])
            batches = args.batches or ([1, 8] if (args.long or not diffusion) else [1])
            for t in steps if diffusion else [0]:
                for b in batches:
                    repeats = 1 if diffusion and args.repeats == 3 else args.repeats
                    print(run_row(model, size, output, t, b, repeats), flush=True)
            del model


if __name__ == "__main__":
    main()
