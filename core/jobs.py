"""The job spec: a JSON-native description of one TerraMind run (style guide §3.10).

Data flows one way: UI / Processing -> ``JobSpec`` -> ``core.pipeline.run_job`` -> files -> layers.
A spec holds only plain values (paths, names, numbers), never layers, models or callables, so it can
be written to JSON and handed to a worker process unchanged.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Dict, Optional, Tuple

from .errors import InputError

SCHEMA_VERSION = 1

ProgressCallback = Callable[[float, str], None]
"""``progress(fraction in [0, 1], message)``."""
CancelCheck = Callable[[], bool]
"""``is_cancelled() -> bool``; polled between batches."""


class Task(str, Enum):
    """What a job produces. Values are public ids: add, never rename."""

    LULC = "lulc"  # generated land-use/land-cover map (classes 0-9)
    S1GRD = "s1grd"  # generated Sentinel-1 GRD, VV/VH in dB
    GENERATE = "generate"  # another generated modality, named in ``output_modality``
    EMBEDDINGS = "embeddings"  # patch embeddings (+ PCA false-colour map)


MODALITIES = ("S2L2A", "S2L1C", "S1GRD", "S1RTC", "DEM", "RGB")
"""Raw input modalities a raster can be assigned to."""
GENERATED_MODALITIES = ("LULC", "S1GRD", "S1RTC", "S2L2A", "DEM", "NDVI")
"""Modalities the generator can produce."""
MODEL_SIZES = ("tiny", "small", "base", "large")
DEVICES = ("auto", "cpu", "cuda", "mps")  # "cuda:N" is accepted too
PRECISIONS = ("auto", "float32", "bfloat16", "float16")


@dataclass(frozen=True)
class InputRaster:
    """One input raster and the modality it stands for.

    Attributes:
        path: absolute path of a raster file GDAL can read.
        modality: one of ``MODALITIES``.
        bands: 1-based band numbers of the file, in the modality's pretrained band order
            (e.g. for S2L2A: B01, B02, ..., B12). ``None``: guessed from descriptions and count.
        name: display name used in messages (the QGIS layer name); defaults to the file name.
    """

    path: str
    modality: str
    bands: Optional[Tuple[int, ...]] = None
    name: Optional[str] = None

    @property
    def label(self) -> str:
        """Name used in user messages."""
        return self.name or self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Area:
    """An area of interest: ``(xmin, ymin, xmax, ymax)`` in ``crs`` (``"EPSG:4326"`` or WKT)."""

    bounds: Tuple[float, float, float, float]
    crs: str


@dataclass(frozen=True)
class JobSpec:
    """One TerraMind run.

    Attributes:
        task: what to produce.
        inputs: input rasters; the optical one (S2L2A, S2L1C or RGB, else the first) defines the output grid.
        outputs: output kind -> absolute path. Kinds: ``"lulc"``, ``"s1grd"``, the lower-case name of the
            generated modality for ``Task.GENERATE``, ``"embeddings"`` and ``"pca"`` for ``Task.EMBEDDINGS``.
        output_modality: the modality to generate for ``Task.GENERATE`` (one of ``GENERATED_MODALITIES``).
        area: area of interest; ``None`` = the whole grid-defining raster.
        model_size: tiny, small, base or large.
        weights_dir: local folder holding checkpoint files (air-gapped sites); ``None`` = Hugging Face cache.
        cache_dir: Hugging Face cache folder; ``None`` = huggingface_hub's default.
        offline: never touch the network; use cached or local files only.
        device: auto, cpu, cuda, cuda:N or mps.
        precision: auto, float32, bfloat16 or float16.
        batch_size: tiles per forward pass (halved automatically on out-of-memory).
        tile_size: model window in pixels (multiple of 32).
        overlap: overlap between neighbouring windows in pixels.
        timesteps: DDIM steps of the diffusion decoders.
        seed: seed of token sampling and diffusion noise.
        temperature: token sampling temperature; 0 = argmax (deterministic).
        top_p: nucleus sampling threshold (0 disables).
        top_k: top-k sampling (0 disables).
        embedding_dtype: float32 or float16 for the embeddings file.
        schema_version: version of this schema.
    """

    task: Task
    inputs: Tuple[InputRaster, ...]
    outputs: Dict[str, str]
    output_modality: Optional[str] = None
    area: Optional[Area] = None
    model_size: str = "tiny"
    weights_dir: Optional[str] = None
    cache_dir: Optional[str] = None
    offline: bool = False
    device: str = "auto"
    precision: str = "auto"
    batch_size: int = 4
    tile_size: int = 224
    overlap: int = 32
    timesteps: int = 10
    seed: int = 0
    temperature: float = 0.0
    top_p: float = 0.8
    top_k: int = 0
    embedding_dtype: str = "float32"
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> Dict[str, Any]:
        """Plain-JSON dict of this spec."""
        d = dataclasses.asdict(self)
        d["task"] = self.task.value
        d["inputs"] = [dict(dataclasses.asdict(i), bands=list(i.bands) if i.bands else None) for i in self.inputs]
        d["area"] = None if self.area is None else {"bounds": list(self.area.bounds), "crs": self.area.crs}
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "JobSpec":
        """Build a spec from ``to_dict()`` output; unknown keys are rejected."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise InputError(f"Unknown job spec field(s) {unknown}; valid fields: {sorted(names)}.")
        d = dict(d)
        try:
            d["task"] = Task(d["task"])
        except (KeyError, ValueError) as exc:
            raise InputError(f"Job spec 'task' must be one of {[t.value for t in Task]}.") from exc
        d["inputs"] = tuple(
            InputRaster(**dict(i, bands=tuple(i["bands"]) if i.get("bands") else None)) for i in d.get("inputs", ())
        )
        if d.get("area") is not None:
            d["area"] = Area(bounds=tuple(d["area"]["bounds"]), crs=d["area"]["crs"])
        d["outputs"] = dict(d.get("outputs", {}))
        return cls(**d)

    @classmethod
    def from_json(cls, text: str) -> "JobSpec":
        return cls.from_dict(json.loads(text))


@dataclass(frozen=True)
class JobResult:
    """What ``run_job`` returns: the written files and anything the user should know."""

    outputs: Dict[str, str]
    warnings: Tuple[str, ...] = ()
    styles: Dict[str, str] = field(default_factory=dict)  # output kind -> .qml path
