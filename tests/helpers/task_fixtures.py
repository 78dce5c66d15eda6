"""Task-model parity fixtures (shared/fixtures/terramind_tasks/README.md) and their seeded weights.

The fixtures (38 MB) are read from the shared folder, not copied into the repository.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
import torch

from helpers.fixtures import seeded_state_dict
from helpers.paths import TASK_FIXTURES

__all__ = ["TASK_CASES", "load_task_fixture", "task_state_dict"]

TASK_CASES = ("ta_tiny_impactmesh_flood", "tb_tiny_upernet_s2_s1")


@functools.lru_cache(maxsize=2)
def load_task_fixture(case: str) -> dict[str, Any]:
    """Load ``<shared>/fixtures/terramind_tasks/<case>.pt`` (``weights_only=True``); skip if absent."""
    path = TASK_FIXTURES / f"{case}.pt"
    if not path.is_file():
        pytest.skip(f"task fixture {path} not found (set TERRAMIND_SHARED to the shared folder)")
    return torch.load(path, map_location="cpu", weights_only=True)


def task_state_dict(shapes: Mapping[str, Sequence[int]], seed: int, tied=()) -> dict[str, torch.Tensor]:
    """The fixture weight rule: seeded floats; ``running_var`` 1 + 5|v|; He-scaled non-encoder 4-D
    weights (float64); integer ``num_batches_tracked`` 0."""
    floats = {k: s for k, s in shapes.items() if not k.endswith("num_batches_tracked")}
    sd = seeded_state_dict(floats, seed, tied)
    for k, v in sd.items():
        if k.endswith("running_var"):
            sd[k] = 1 + 5 * v.abs()
        elif v.dim() == 4 and k.endswith("weight") and not k.startswith("encoder."):
            sd[k] = (v.double() / 0.02 * math.sqrt(2 / math.prod(v.shape[1:]))).float()
    for k in shapes:
        if k.endswith("num_batches_tracked"):
            sd[k] = torch.tensor(0)
    return sd
