"""Read TerraMind parity fixtures and rebuild their seeded weights (tests/fixtures/terramind/README.md).

General over fixture cases: backbone (a-d), generation (e), TiM (f) and tokenizer (g) runs all describe
their weights as *weight units* with ``model_prefixes`` and ``tied_groups``; :func:`assemble_state_dict`
turns them into a model state_dict.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import torch

from helpers.paths import FIXTURES

if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

from seeded_weights import seeded_state_dict

__all__ = [
    "BACKBONE_CASES",
    "load_fixture",
    "backbone_runs",
    "unit_state_dict",
    "assemble_state_dict",
    "run_inputs",
    "expected_layers",
    "seeded_state_dict",
]

BACKBONE_CASES = (
    "a_tiny_s2l2a_s1grd_merges",
    "b_base_s2l2a_mean",
    "c_tiny_band_subset",
    "d_tiny_other_sizes",
)


@functools.lru_cache(maxsize=4)
def load_fixture(case: str) -> dict[str, Any]:
    """Load ``tests/fixtures/terramind/<case>.pt`` with ``weights_only=True`` (cached)."""
    name = case if case.endswith(".pt") else f"{case}.pt"
    return torch.load(FIXTURES / name, map_location="cpu", weights_only=True)


def backbone_runs() -> list[tuple[str, int]]:
    """``(case, run index)`` of every backbone run in cases a-d, for parametrisation."""
    return [(case, i) for case in BACKBONE_CASES for i in range(len(load_fixture(case)["runs"]))]


@functools.lru_cache(maxsize=8)
def _unit_cached(
    shapes: tuple[tuple[str, tuple[int, ...]], ...], seed: int, tied: tuple[tuple[str, ...], ...]
):
    return seeded_state_dict(dict(shapes), seed, [list(g) for g in tied])


def unit_state_dict(unit: Mapping[str, Any]) -> dict[str, torch.Tensor]:
    """The seeded tensors of one weight unit, ``{unit key: tensor}`` (cached by content)."""
    shapes = tuple(sorted((k, tuple(int(s) for s in v)) for k, v in unit["shapes"].items()))
    tied = tuple(tuple(sorted(g)) for g in unit.get("tied_groups") or ())
    return _unit_cached(shapes, int(unit["seed"]), tied)


def assemble_state_dict(
    model: Mapping[str, Any], keys: Iterable[str] | None = None
) -> dict[str, torch.Tensor]:
    """Build ``{model key: tensor}`` from a run's ``model`` entry (README "Weight units").

    Model key ``K`` takes unit key ``K[len(p):]`` for the unit prefix ``p`` that matches, the longest
    prefix winning. Keys no unit covers raise ``KeyError``.

    Args:
        model: ``run["model"]`` of a fixture.
        keys: model keys to fill (default: ``model["state_dict_keys"]``).
    """
    units = [(u, unit_state_dict(u)) for u in model["weight_units"]]
    out: dict[str, torch.Tensor] = {}
    for key in keys if keys is not None else model["state_dict_keys"]:
        best: tuple[int, torch.Tensor] | None = None
        for unit, sd in units:
            for p in unit["model_prefixes"]:
                rest = key[len(p) :]
                if key.startswith(p) and rest in sd and (best is None or len(p) > best[0]):
                    best = (len(p), sd[rest])
        if best is None:
            raise KeyError(f"no weight unit covers model key {key!r}")
        out[key] = best[1]
    return out


def run_inputs(fixture: Mapping[str, Any], run: Mapping[str, Any]) -> dict[str, torch.Tensor]:
    """The call's input dict ``{modality name: tensor}`` in the recorded insertion order."""
    call = run["call"]
    names = call.get("input_names") or {}
    by_name = {names.get(entry, entry): fixture["inputs"][entry] for entry in call["inputs"]}
    return {name: by_name[name] for name in call["input_order"]}


def expected_layers(run: Mapping[str, Any]) -> dict[int, Any]:
    """``{layer index: stored output}`` of a ``layer_list`` run."""
    exp = run["expected"]
    return dict(zip(exp["saved_layer_indices"], exp["layers"]))
