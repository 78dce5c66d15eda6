"""Where a job's model runs: the executor seam of ``pipeline.execute_job``.

The pipeline plans the job, opens the outputs and assembles the blended rows itself; an executor supplies
the model's description and the tile pass that produces the model outputs. ``LocalExecutor`` runs the model
in this process (the desktop path); ``cluster.DaskExecutor`` runs it on the workers of a Dask cluster and
feeds the outputs, in the same order, to the same blending and writers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .grid import Grid
from .jobs import JobSpec, ProgressCallback
from .outputs import Sink
from .predictor import Predictor, PredictorFactory
from .raster_io import InputReader
from .tile_pass import TileLayout, TilePass


class Executor(Protocol):
    """Runs the model of a job (see module docstring)."""

    def predictor(
        self,
        factory: PredictorFactory,
        spec: JobSpec,
        modalities: Sequence[str],
        progress: ProgressCallback | None,
    ) -> Predictor:
        """The job's model, or a stand-in with its ``out_channels``, ``out_scale`` and ``provenance``."""

    def tile_pass(
        self,
        spec: JobSpec,
        grid: Grid,
        layout: TileLayout,
        readers: Sequence[InputReader],
        modalities: Sequence[str],
        predictor: Predictor,
        sinks: Sequence[Sink],
        temp_dir: str | None,
    ) -> TilePass:
        """The tile pass that feeds ``sinks`` (``TilePass``'s arguments)."""


class LocalExecutor:
    """The model in this process: ``factory(spec, modalities, progress)`` and a plain ``TilePass``."""

    def predictor(
        self,
        factory: PredictorFactory,
        spec: JobSpec,
        modalities: Sequence[str],
        progress: ProgressCallback | None,
    ) -> Predictor:
        return factory(spec, modalities, progress)

    def tile_pass(self, *args, **kwargs) -> TilePass:
        return TilePass(*args, **kwargs)
