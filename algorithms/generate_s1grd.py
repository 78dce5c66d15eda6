"""Processing algorithm: generate Sentinel-1 GRD backscatter."""

from __future__ import annotations

from ..core.i18n import tr
from ..core.jobs import Task
from .base import TerraMindAlgorithm


class GenerateS1GrdAlgorithm(TerraMindAlgorithm):
    """``terramind:generate_s1grd``: synthetic Sentinel-1 GRD (VV, VH in dB)."""

    OUTPUT = "OUTPUT"
    algorithm_id = "generate_s1grd"
    task = Task.S1GRD
    outputs = ((OUTPUT, "s1grd"),)

    def _help(self) -> str:
        return tr(
            "Generates synthetic Sentinel-1 GRD backscatter from the inputs (for example from Sentinel-2 "
            "under clouds). The output is a float32 GeoTIFF with two bands, VV and VH, in dB, shown as a "
            "VV/VH false colour image."
        )
