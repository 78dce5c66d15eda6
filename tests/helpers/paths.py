"""Paths of the test data copied into the repository."""

from __future__ import annotations

import os
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures" / "terramind"
DATA = TESTS / "data"
EXAMPLES = DATA / "terramind_examples"
SEN1FLOODS = DATA / "sen1floods11"
BIGEARTHNET = DATA / "bigearthnet"
#: The team's shared folder (fixtures too large for the repository): ``$TERRAMIND_SHARED`` or the nearest
#: ``shared`` folder beside the checkout or one level up (worktrees live one level deeper than main).
SHARED = Path(
    os.environ.get("TERRAMIND_SHARED")
    or next(
        (p / "shared" for p in ROOT.parents if (p / "shared" / "fixtures").is_dir()), ROOT.parent / "shared"
    )
)
TASK_FIXTURES = SHARED / "fixtures" / "terramind_tasks"
SAMPLE_IDS = ("282D_485L_3_3", "38D_378R_2_3", "433D_629L_3_1", "609U_541L_3_0", "637U_59R_1_3")


def example(modality: str, sample: str = "433D_629L_3_1") -> Path:
    """Path of a TerraMesh example raster, e.g. ``example("S2L2A")``."""
    return EXAMPLES / modality / f"{sample}.tif"
