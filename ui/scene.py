"""Which layers belong to the same scene: footprints that mostly overlap, or names that differ only in the
role (``S2L2A_433D_629L`` and ``S1RTC_433D_629L``)."""

from __future__ import annotations

import re

from qgis.core import QgsRasterLayer

from ..core.roles import is_role_word
from .preflight import extent_in

SAME_SCENE_SHARE = 0.5  # the overlap covers at least half of the smaller footprint


def scene_key(name: str) -> str:
    """A layer name without its role and product words (``"S1RTC_433D_629L_3_1"`` -> ``"433D_629L_3_1"``)."""
    tokens = [t for t in re.split(r"[^A-Z0-9]+", name.upper()) if t and not is_role_word(t)]
    return "_".join(tokens)


def same_scene(a: QgsRasterLayer, b: QgsRasterLayer) -> bool:
    """``a`` and ``b`` show the same scene: same name apart from the role, or mostly the same footprint."""
    key = scene_key(a.name())
    if len(key) >= 4 and key == scene_key(b.name()):
        return True
    if not (a.crs().isValid() and b.crs().isValid()):
        return False
    other = extent_in(b, a.crs())
    inter = a.extent().intersect(other)
    if inter.isEmpty():
        return False
    smaller = min(a.extent().area(), other.area())
    return smaller > 0 and inter.area() >= SAME_SCENE_SHARE * smaller
