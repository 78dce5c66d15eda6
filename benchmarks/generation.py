"""Seconds per 224 x 224 tile of any-to-any generation, split by stage, per precision.

Usage (from the repository root)::

    .venv/bin/python benchmarks/generation.py            # tiny + base; S2L2A->LULC (batch 1, 8),
                                                         # S2L2A->S1GRD (10 steps, batch 1): a few minutes
    .venv/bin/python benchmarks/generation.py --precision float32 auto   # both, interleaved: speed-up
    .venv/bin/python benchmarks/generation.py --long     # adds 50 DDIM steps and batch 8 for S1GRD (slow)
    .venv/bin/python benchmarks/generation.py --sizes tiny --outputs S1GRD --timesteps 10 50 --batches 1 8

Stages (seconds per tile): ``encoder`` (TerraMind encoder passes), ``decoder`` (decoder + token sampling),
``tok_decode`` (LULC ViT decoder or DDIM diffusion with the patched UNet). For diffusion outputs the
UNet is reported per DDIM step: seconds, analytic FLOPs (2 per multiply-add of every convolution and
Linear, counted with hooks) over that time, and that rate as a share of the matmul rate of the row's
precision measured at the start. The model runs as in a job (``core.device``: Linear and convolution
weights stored in the compute dtype, autocast; token choice in float32). Random weights: speed does not
depend on values. The machine may be shared: each row keeps the fastest of ``--repeats`` calls after a
warm-up (diffusion rows: one call unless ``--repeats`` is given), and with several precisions the calls
alternate between them, so load hits all alike.
"""

from __future__ import annotations

import argparse
import time

import machine
import torch


def unet_gflop(channels: int, batch: int) -> float:
    """GFLOP of one UNet evaluation for ``batch`` 224 x 224 tiles of ``channels`` (counted with hooks).

    Counted on a float32 UNet of its own: the count does not depend on the precision, and a bfloat16
    model's convolutions are ``PackedConv`` modules rather than ``nn.Conv2d``.
    """
    from terramind_qgis.core.terramind.unet import PatchedUNet

    total = [0]

    def conv(m, inputs, out):
        total[0] += 2 * out.numel() * m.weight[0].numel()

    def linear(m, inputs, out):
        total[0] += 2 * out.numel() * m.in_features

    with torch.device("meta"):
        unet = PatchedUNet(channels)
    for m in unet.modules():
        if isinstance(m, (torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Linear)):
            m.register_forward_hook(conv if isinstance(m, (torch.nn.Conv1d, torch.nn.Conv2d)) else linear)
    with torch.inference_mode():
        unet(torch.zeros(1, channels, 224, 224, device="meta"), 999, torch.zeros(1, 5, 14, 14, device="meta"))
    return batch * total[0] / 1e9


def timed_call(model, precision, x, timesteps: int) -> tuple[float, dict[str, float]]:
    """Seconds and stage profile of one generation call as a job runs it."""
    from terramind_qgis.core.device import autocast

    stages: dict[str, float] = {}
    with torch.inference_mode(), autocast(torch.device("cpu"), precision.dtype):
        t0 = time.perf_counter()
        model(x, timesteps=timesteps, seed=0, profile=stages)
        return time.perf_counter() - t0, stages


def run_rows(models, precisions, rates, size, output, timesteps, batch, repeats) -> list[str]:
    """Warm up, time ``repeats`` rounds of calls (one per precision, alternating); one row per precision."""
    x = torch.rand(batch, 12, 224, 224) * 4000  # DN-like S2L2A values, standardised by the model
    key = models[0].output_keys[output]
    diffusion = key != "tok_lulc@224"
    for model, precision in zip(models, precisions):
        timed_call(model, precision, x, 1)  # warm-up (allocator, oneDNN kernels)
    best = [(float("inf"), {})] * len(models)
    for _ in range(repeats):
        for i, (model, precision) in enumerate(zip(models, precisions)):
            best[i] = min(best[i], timed_call(model, precision, x, timesteps), key=lambda r: r[0])
    rows = []
    for (total, profile), precision in zip(best, precisions):
        cells = [size, f"S2L2A->{output}", precision.name, str(timesteps if diffusion else "-"), str(batch)]
        cells += [f"{total / batch:.3f}", f"{best[0][0] / total:.2f}x"]
        cells += [f"{profile.get(s, 0.0) / batch:.3f}" for s in ("encoder", "decoder", "tokenizer_decode")]
        if diffusion:
            step = profile["tokenizer_decode"] / timesteps
            rate = unet_gflop(models[0].tokenizer[key].spec.channels, batch) / step
            cells += [f"{step / batch:.3f}", f"{rate:.0f}", f"{100 * rate / rates[precision.name]:.0f}%"]
        else:
            cells += ["-", "-", "-"]
        rows.append(" ".join(f"{c:>{w}}" for c, w in zip(cells, WIDTHS)))
    return rows


COLUMNS = ["size", "task", "precision", "steps", "batch", "s/tile", "speed-up", "encoder", "decoder"]
COLUMNS += ["tok_decode", "UNet s/step", "UNet GFLOP/s", "of matmul"]
WIDTHS = [6, 14, 9, 5, 5, 8, 8, 8, 8, 10, 11, 12, 9]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["tiny", "base"])
    parser.add_argument("--outputs", nargs="+", default=["LULC", "S1GRD"], choices=["LULC", "S1GRD"])
    parser.add_argument("--timesteps", nargs="+", type=int, default=None, help="DDIM steps (default 10)")
    parser.add_argument("--batches", nargs="+", type=int, default=None, help="default: 1 8 (S1GRD: 1)")
    parser.add_argument("--long", action="store_true", help="add 50 DDIM steps and batch 8 for diffusion")
    machine.add_arguments(parser, several=True)
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed calls per row, fastest kept (diffusion rows: 1)"
    )
    args = parser.parse_args(argv)

    machine.expose_package()
    from terramind_qgis.core import FULL_MODEL_REGISTRY
    from terramind_qgis.core.device import cast_matmul_weights, choose_precision

    rates = machine.header(args)
    precisions = [choose_precision(p, torch.device("cpu")) for p in args.precision]
    print(" ".join(f"{c:>{w}}" for c, w in zip(COLUMNS, WIDTHS)))
    for size in args.sizes:
        for output in args.outputs:
            models = []
            for precision in precisions:
                torch.manual_seed(0)
                model = FULL_MODEL_REGISTRY.build(
                    f"terramind_v1_{size}_generate",
                    modalities=["S2L2A"],
                    output_modalities=[output],
                    standardize=True,
                    temps=0.0,
                )
                models.append(cast_matmul_weights(model, precision.dtype))
            diffusion = output != "LULC"
            steps = args.timesteps or ([10, 50] if args.long else [10])
            batches = args.batches or ([1, 8] if (args.long or not diffusion) else [1])
            for t in steps if diffusion else [0]:
                for b in batches:
                    repeats = 1 if diffusion and args.repeats == 3 else args.repeats
                    for row in run_rows(models, precisions, rates, size, output, t, b, repeats):
                        print(row, flush=True)
            del models, model


if __name__ == "__main__":
    main()
