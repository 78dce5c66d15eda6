"""Seeded weight files in the official layout: TerraMind checkpoint plus tokenizer files.

``write_seeded_weights_dir(folder)`` fills a weights folder (``WeightsSource(weights_dir=folder)``) with
``TerraMind_v1_<size>.pt`` and ``TerraMind_Tokenizer_<NAME>.pt`` built by ``seeded_weights.py``. The
backbone uses ``seed`` and tokenizer NAME uses ``seed + TOKENIZER_SEED_OFFSETS[NAME]``, so seed 0 gives
exactly the weights of parity fixture ``e`` (backbone 0, LULC 1, S1GRD 2).

Also a script (the README demo and CI use it)::

    python tests/helpers/weights_dir.py --out DIR [--size tiny] [--tokenizers LULC S1GRD] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

if __name__ == "__main__":  # make `helpers` and `terramind_qgis` importable when run as a script
    _TESTS = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(_TESTS))
    import conftest  # noqa: F401  (exposes the package as terramind_qgis)

import torch

from helpers.checkpoints import write_backbone_checkpoint
from helpers.fixtures import seeded_state_dict
from terramind_qgis.core.terramind.tokenizers import TOKENIZER_SPECS, build_tokenizer_module

__all__ = [
    "TOKENIZER_SEED_OFFSETS",
    "tokenizer_layout",
    "write_tokenizer_checkpoint",
    "write_seeded_weights_dir",
]

#: Seed offset of each tokenizer file relative to the backbone seed (fixture e: LULC 1, S1GRD 2).
TOKENIZER_SEED_OFFSETS = {"LULC": 1, "S1GRD": 2, "S1RTC": 3, "DEM": 4, "NDVI": 5, "S2L2A": 6}


def _spec(modality: str):
    for spec in TOKENIZER_SPECS.values():
        if modality in (spec.name, spec.key):
            return spec
    raise ValueError(f"unknown tokenizer {modality!r}; known: {', '.join(TOKENIZER_SEED_OFFSETS)}")


def tokenizer_layout(modality: str) -> dict[str, tuple[int, ...]]:
    """``{key: shape}`` of the official tokenizer checkpoint of ``modality`` (built on the meta device)."""
    with torch.device("meta"):
        model = build_tokenizer_module(_spec(modality).key)
    return {k: tuple(v.shape) for k, v in model.state_dict().items()}


def write_tokenizer_checkpoint(modality: str, path: str | Path, seed: int = 0) -> Path:
    """Write a seeded tokenizer state_dict (official keys, float32) with ``torch.save``; return the path.

    The ~0.7-1.2 GB of tensors are not cached (they are freed once written), so a session that only needs
    the file does not keep them in memory.
    """
    shapes = tokenizer_layout(modality)
    state = seeded_state_dict(shapes, seed)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({k: state[k] for k in shapes}, path)
    return path


def write_seeded_weights_dir(
    folder: str | Path, size: str = "tiny", tokenizers: Sequence[str] = ("LULC", "S1GRD"), seed: int = 0
) -> Path:
    """Write ``TerraMind_v1_<size>.pt`` and the tokenizer files under their official names into ``folder``.

    Returns:
        ``folder`` as a Path.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_backbone_checkpoint(size, folder / f"TerraMind_v1_{size}.pt", seed=seed)
    for name in tokenizers:
        spec = _spec(name)
        write_tokenizer_checkpoint(
            spec.name, folder / spec.filename, seed=seed + TOKENIZER_SEED_OFFSETS[spec.name]
        )
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write seeded TerraMind weights in the official file layout."
    )
    parser.add_argument("--out", required=True, help="target folder")
    parser.add_argument("--size", default="tiny", choices=("tiny", "small", "base", "large"))
    parser.add_argument(
        "--tokenizers", nargs="*", default=["LULC", "S1GRD"], choices=list(TOKENIZER_SEED_OFFSETS)
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    folder = write_seeded_weights_dir(args.out, args.size, args.tokenizers, args.seed)
    for f in sorted(folder.glob("*.pt")):
        print(f"{f}  {f.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
