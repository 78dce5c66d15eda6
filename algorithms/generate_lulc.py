"""Processing algorithm: generate a land-use / land-cover map."""

from __future__ import annotations

from ..core.i18n import tr
from ..core.jobs import Task
from .base import TerraMindAlgorithm


class GenerateLulcAlgorithm(TerraMindAlgorithm):
    """``terramind:generate_lulc``: LULC classes 0-9 generated from the inputs."""

    OUTPUT = "OUTPUT"
    algorithm_id = "generate_lulc"
    task = Task.LULC
    outputs = ((OUTPUT, "lulc"),)

    def _help(self) -> str:
        return tr(
            "Generates a 10-class land-use / land-cover map (water, trees, flooded vegetation, crops, built "
            "area, bare ground, snow/ice, clouds, rangeland; 0 = no data) with TerraMind's any-to-any "
            "generation. The output is a paletted uint8 GeoTIFF with class names. It is synthetic: the "
            "model's estimate, not a survey."
        )
