"""Time and peak memory of building PRETRAINED TerraMind models from a weights folder.

Each case runs in a fresh Python process (so that the peak RSS, ``VmHWM``, is the build's own): import the
package, build the model with ``pretrained=True`` from the folder, then read every weight once (sum of
each parameter and buffer, timed apart) so that lazily mapped file pages are counted too. Cases:

- ``tiny``: ``BACKBONE_REGISTRY.build("terramind_v1_tiny", pretrained=True)`` (S2L2A input);
- ``base``: the same for base (``large`` too, on request: its checkpoint is written on first use, 4 GB);
- ``generate``: ``FULL_MODEL_REGISTRY.build("terramind_v1_tiny_generate", pretrained=True)``, S2L2A ->
  LULC + S1GRD (the transformer and the LULC and S1GRD tokenizers).

Run from the repository root (prints a table; asserts nothing)::

    .venv/bin/python benchmarks/loading.py [--weights-dir DIR] [--repeat 2] [--cases tiny base large generate]

Without ``--weights-dir`` a seeded folder (tiny and base checkpoints, LULC and S1GRD tokenizers, about
3.5 GB) is written once under the system temp folder and reused; seeded weights load exactly like the
official ones (same keys, shapes and dtypes).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]
import conftest  # noqa: E402,F401  (exposes the package as terramind_qgis)

CHILD = r"""
import json, sys, time
sys.path[:0] = [sys.argv[3]]
import conftest
import torch
from terramind_qgis.core import BACKBONE_REGISTRY, FULL_MODEL_REGISTRY
from terramind_qgis.core.checkpoints import WeightsSource

def status(field):
    line = [l for l in open("/proc/self/status") if l.startswith(field + ":")][0]
    return int(line.split()[1]) / 1024

case, folder = sys.argv[1], sys.argv[2]
source = WeightsSource(weights_dir=folder, offline=True)
BACKBONE_REGISTRY.names()  # import the builder modules before the clock starts
before = status("VmRSS")
t = time.perf_counter()
if case == "generate":
    model = FULL_MODEL_REGISTRY.build("terramind_v1_tiny_generate", pretrained=True, modalities=["S2L2A"],
                                      output_modalities=["LULC", "S1GRD"], weights_source=source)
else:
    model = BACKBONE_REGISTRY.build(f"terramind_v1_{case}", pretrained=True, weights_source=source)
seconds = time.perf_counter() - t
built_hwm = status("VmHWM")
tensors = {id(t): t for t in list(model.parameters()) + list(model.buffers())}
weights_mib = sum(t.numel() * t.element_size() for t in tensors.values()) / 2**20
t = time.perf_counter()
with torch.no_grad():
    for w in tensors.values():
        w.float().sum() if w.is_floating_point() else w.sum()
read_seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "read_seconds": read_seconds, "base_mib": before,
                  "built_hwm_mib": built_hwm, "used_hwm_mib": status("VmHWM"), "weights_mib": weights_mib}))
"""


def ensure_weights(folder: Path, cases: list[str]) -> Path:
    """Write the seeded checkpoints that ``folder`` lacks for ``cases`` (tiny, base, large, tokenizers)."""
    from helpers.checkpoints import write_backbone_checkpoint
    from helpers.weights_dir import TOKENIZER_SEED_OFFSETS, write_tokenizer_checkpoint

    folder.mkdir(parents=True, exist_ok=True)
    for size in [c for c in ("tiny", "base", "large") if c in cases or (c == "tiny" and "generate" in cases)]:
        path = folder / f"TerraMind_v1_{size}.pt"
        if not path.exists():
            write_backbone_checkpoint(size, path.with_suffix(".part"), seed=0).replace(path)
    for name in ("LULC", "S1GRD") if "generate" in cases else ():
        path = folder / f"TerraMind_Tokenizer_{name}.pt"
        if not path.exists():
            seed = TOKENIZER_SEED_OFFSETS[name]
            write_tokenizer_checkpoint(name, path.with_suffix(".part"), seed).replace(path)
    return folder


def run_case(case: str, folder: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, case, str(folder), str(ROOT / "tests")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights-dir", help="folder with the checkpoints (default: a seeded temp folder)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per case; the fastest counts")
    parser.add_argument("--cases", nargs="*", default=["tiny", "base", "generate"])
    args = parser.parse_args()
    folder = Path(args.weights_dir or Path(tempfile.gettempdir()) / "terramind_loading_weights")
    if not args.weights_dir:
        ensure_weights(folder, args.cases)
    print(f"weights folder {folder}")
    head = ("case", "build s", "read s", "weights MiB", "peak RSS built", "peak RSS used")
    print("{:10} {:>8} {:>7} {:>12} {:>15} {:>14}".format(*head))
    for case in args.cases:
        runs = [run_case(case, folder) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["seconds"])
        peak_built = max(r["built_hwm_mib"] - r["base_mib"] for r in runs)
        peak_used = max(r["used_hwm_mib"] - r["base_mib"] for r in runs)
        w = best["weights_mib"]
        print(
            f"{case:10} {best['seconds']:8.2f} {best['read_seconds']:7.2f} {w:12.0f}"
            f" {peak_built:9.0f} ({peak_built / w:.1f}x) {peak_used:8.0f} ({peak_used / w:.1f}x)"
        )
    print("read s: first pass over every weight after the build (pages in memory-mapped checkpoint data)")
    print("peak RSS: VmHWM above the RSS before the build, after the build and after reading every weight")


if __name__ == "__main__":
    main()
