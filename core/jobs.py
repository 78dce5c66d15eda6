"""The job spec: a JSON-native description of one TerraMind run, with its defaults and limits.

Data flows one way: UI / Processing -> ``JobSpec`` -> ``core.pipeline.run_job`` -> files -> layers.
A spec holds only plain values (paths, names, numbers), never layers, models or callables, so it can
be written to JSON and handed to a worker process unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import InputError
from .i18n import QT_TR_NOOP, tr
from .products import GENERATED_MODALITIES, MODALITIES, TASKS, Task, task_products
from .run_files import check_output_paths, same_file

#: Pixels per patch side (docs/model.md).
PATCH = 16
#: Embedding strides offered to users, in pixels; 16 = one vector per patch (no shifted runs).
STRIDES = (16, 8, 4)


def model_passes(stride: int) -> int:
    """Model runs per tile at embedding ``stride``: ``(16 / stride) ** 2`` (core/shifted_windows.py)."""
    return (PATCH // stride) ** 2


SCHEMA_VERSION = 1

#: ``progress(fraction in [0, 1], message)``.
ProgressCallback = Callable[[float, str], None]
#: ``is_cancelled() -> bool``; polled between batches.
CancelCheck = Callable[[], bool]


MODEL_SIZES = ("tiny", "small", "base", "large")
DEVICES = ("auto", "cpu", "cuda", "mps")  # "cuda:N" is accepted too
PRECISIONS = ("auto", "float32", "bfloat16", "float16")
_JSON_TYPES = {
    "model_size": str,
    "weights_dir": (str, type(None)),
    "cache_dir": (str, type(None)),
    "output_modality": (str, type(None)),
    "task_model": (str, type(None)),
    "task_config": (str, type(None)),
    "task_checkpoint": (str, type(None)),
    "offline": bool,
    "device": str,
    "precision": str,
    "batch_size": int,
    "tile_size": int,
    "overlap": int,
    "timesteps": int,
    "seed": int,
    "temperature": (int, float),
    "top_p": (int, float),
    "top_k": int,
    "embedding_dtype": str,
    "embedding_stride": int,
    "schema_version": int,
}
_TYPE_NAMES = {
    str: QT_TR_NOOP("a string"),
    bool: QT_TR_NOOP("true or false"),
    int: QT_TR_NOOP("an integer"),
    float: QT_TR_NOOP("a number"),
}


@dataclass(frozen=True)
class Limit:
    """Default and allowed range of an integer job option (the dock, Processing and Settings read these)."""

    default: int
    low: int
    high: int


#: Integer options of ``JobSpec``: default, lowest and highest value. ``validate_spec`` enforces the
#: ranges; tile size and overlap have further rules (multiples of 32 / 16, at most half a tile).
LIMITS: dict[str, Limit] = {
    "batch_size": Limit(4, 1, 256),
    "tile_size": Limit(224, 32, 4096),
    "overlap": Limit(32, 0, 2048),
    "timesteps": Limit(10, 1, 1000),
    "seed": Limit(0, 0, 2**31 - 1),
}


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
    bands: tuple[int, ...] | None = None
    name: str | None = None

    @property
    def label(self) -> str:
        """Name used in user messages."""
        return self.name or self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class DatedInputs:
    """The rasters of one date of a multi-date job (``Task.SEGMENT``).

    Attributes:
        date: label of the date (e.g. ``"2023-06-01"`` or ``"pre-event"``), for messages and provenance.
        inputs: one raster per modality (S2L2A, S1RTC, optionally S2L1C/S1GRD).
    """

    date: str
    inputs: tuple[InputRaster, ...]


@dataclass(frozen=True)
class Area:
    """An area of interest: ``(xmin, ymin, xmax, ymax)`` in ``crs`` (``"EPSG:4326"`` or WKT)."""

    bounds: tuple[float, float, float, float]
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
        dates: ``Task.SEGMENT``: the dated input sets, in date order (``inputs`` then hold what serves every
            date, e.g. the DEM); the first date's optical raster defines the output grid.
        task_model: ``Task.SEGMENT``: a catalogued fine-tune (``"TerraMind-base-Flood"``), or ``None`` with
            ``task_config`` and ``task_checkpoint`` (a TerraTorch config YAML and its checkpoint).
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
        embedding_stride: pixels between embedding vectors: 16 (one per patch), 8 or 4 (shifted windows,
            ``(16 / stride)**2`` model runs per tile; output pixel = stride x input pixel).
        schema_version: version of this schema.
    """

    task: Task
    inputs: tuple[InputRaster, ...]
    outputs: dict[str, str]
    output_modality: str | None = None
    dates: tuple[DatedInputs, ...] = ()
    task_model: str | None = None
    task_config: str | None = None
    task_checkpoint: str | None = None
    area: Area | None = None
    model_size: str = "tiny"
    weights_dir: str | None = None
    cache_dir: str | None = None
    offline: bool = False
    device: str = "auto"
    precision: str = "auto"
    batch_size: int = LIMITS["batch_size"].default
    tile_size: int = LIMITS["tile_size"].default
    overlap: int = LIMITS["overlap"].default
    timesteps: int = LIMITS["timesteps"].default
    seed: int = LIMITS["seed"].default
    temperature: float = 0.0
    top_p: float = 0.8
    top_k: int = 0
    embedding_dtype: str = "float32"
    embedding_stride: int = 16
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON dict of this spec."""
        d = dataclasses.asdict(self)
        d["task"] = self.task.value
        d["inputs"] = [_raster_dict(i) for i in self.inputs]
        d["dates"] = [{"date": s.date, "inputs": [_raster_dict(i) for i in s.inputs]} for s in self.dates]
        d["area"] = None if self.area is None else {"bounds": list(self.area.bounds), "crs": self.area.crs}
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> JobSpec:
        """Build a spec from ``to_dict()`` output (JSON values).

        Raises:
            InputError: an unknown field, or a field of the wrong JSON type (the message names it).
        """
        if not isinstance(d, dict):
            raise InputError(tr("A job spec must be a JSON object, got {0}.").format(type(d).__name__))
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise InputError(
                tr("Unknown job spec field(s) {0}; valid fields: {1}.").format(unknown, sorted(names))
            )
        for name, value in d.items():
            if name in _JSON_TYPES:
                _check_type(name, value, _JSON_TYPES[name])
        d = dict(d)
        try:
            d["task"] = Task(d["task"])
        except (KeyError, ValueError, TypeError) as exc:
            raise InputError(
                tr("Job spec 'task' must be one of {0}.").format([t.value for t in Task])
            ) from exc
        d["inputs"] = tuple(
            _input_from_dict(i, n) for n, i in enumerate(_list(d.get("inputs", ()), "inputs"))
        )
        d["dates"] = tuple(_dates_from_dict(s, n) for n, s in enumerate(_list(d.get("dates", ()), "dates")))
        if d.get("area") is not None:
            area = d["area"]
            _check_type("area", area, dict)
            bounds = _list(area.get("bounds"), "area.bounds")
            if len(bounds) != 4:
                raise InputError(tr("Job spec field 'area.bounds' must be [xmin, ymin, xmax, ymax]."))
            for b in bounds:
                _check_type("area.bounds", b, (int, float))
            _check_type("area.crs", area.get("crs"), str)
            d["area"] = Area(bounds=tuple(bounds), crs=area["crs"])
        outputs = d.get("outputs", {})
        _check_type("outputs", outputs, dict)
        for kind, path in outputs.items():
            _check_type(f"outputs.{kind}", path, str)  # no-i18n: a job spec field
        d["outputs"] = dict(outputs)
        return cls(**d)

    @classmethod
    def from_json(cls, text: str) -> JobSpec:
        return cls.from_dict(json.loads(text))


def _check_type(name: str, value: Any, types: Any) -> None:
    """Raise ``InputError`` naming the field unless ``value`` is of ``types`` (a bool is not an int)."""
    types = types if isinstance(types, tuple) else (types,)
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        names = [
            tr(_TYPE_NAMES[t]) if t in _TYPE_NAMES else "null" if t is type(None) else t.__name__
            for t in types
        ]
        wanted = functools.reduce(tr("{0} or {1}").format, names)
        raise InputError(
            tr("Job spec field '{0}' must be {1}, got {2}.").format(
                name, wanted, json.dumps(value, default=str)
            )
        )


def _list(value: Any, name: str) -> list:
    if not isinstance(value, (list, tuple)):
        raise InputError(
            tr("Job spec field '{0}' must be a list, got {1}.").format(name, json.dumps(value, default=str))
        )
    return list(value)


def _input_from_dict(d: Any, n: int) -> InputRaster:
    _check_type(f"inputs[{n}]", d, dict)
    unknown = sorted(set(d) - {"path", "modality", "bands", "name"})
    if unknown:
        raise InputError(tr("Unknown field(s) {0} in job spec 'inputs[{1}]'.").format(unknown, n))
    for key in ("path", "modality"):
        _check_type(f"inputs[{n}].{key}", d.get(key), str)
    _check_type(f"inputs[{n}].name", d.get("name"), (str, type(None)))
    bands = d.get("bands")
    if bands is not None:
        for b in _list(bands, f"inputs[{n}].bands"):
            _check_type(f"inputs[{n}].bands", b, int)
    return InputRaster(d["path"], d["modality"], tuple(bands) if bands else None, d.get("name"))


def _dates_from_dict(d: Any, n: int) -> DatedInputs:
    _check_type(f"dates[{n}]", d, dict)
    _check_type(f"dates[{n}].date", d.get("date"), str)
    inputs = _list(d.get("inputs", ()), f"dates[{n}].inputs")
    return DatedInputs(d["date"], tuple(_input_from_dict(i, k) for k, i in enumerate(inputs)))


def _raster_dict(raster: InputRaster) -> dict[str, Any]:
    return dict(dataclasses.asdict(raster), bands=list(raster.bands) if raster.bands else None)


def input_entries(spec: JobSpec) -> list[tuple[str, InputRaster]]:
    """Every input raster with its key: ``"<modality>@<date index>"`` for dated inputs (first), then the
    modality for the others. The key names the raster's channels in the tile batches."""
    dated = [(f"{r.modality}@{i}", r) for i, s in enumerate(spec.dates) for r in s.inputs]
    return dated + [(r.modality, r) for r in spec.inputs]


def split_key(key: str) -> tuple[str, int | None]:
    """``"S2L2A@1"`` -> ``("S2L2A", 1)``; ``"DEM"`` -> ``("DEM", None)``."""
    modality, _, date = key.partition("@")
    return modality, int(date) if date else None


@dataclass(frozen=True)
class JobResult:
    """What ``run_job`` returns: the written files and anything the user should know."""

    outputs: dict[str, str]
    warnings: tuple[str, ...] = ()
    styles: dict[str, str] = field(default_factory=dict)  # output kind -> .qml path


def job_label(spec: JobSpec) -> str:
    """A short description of a job for messages about it, e.g. "lulc from 'S2 scene'"."""
    entries = input_entries(spec)
    return tr("{0} from '{1}'").format(spec.task.value, entries[0][1].label) if entries else spec.task.value


def output_kinds(spec: JobSpec) -> tuple[str, ...]:
    """Output kinds ``spec.task`` can write: the first is required, unless the task takes any one of them.
    Tables (CSV) come last."""
    products = tuple(p.kind for p in task_products(spec.task, spec.output_modality))
    return products + TASKS[spec.task].tables


def validate_spec(spec: JobSpec, check_outputs: bool = True) -> None:
    """Check everything about a spec that needs no file access.

    Args:
        spec: the job.
        check_outputs: also check the output paths (off for a pre-flight estimate before they are chosen).

    Raises:
        InputError: the first problem found, with what to change.
    """
    if TASKS[spec.task].model == "task":
        _validate_task_model(spec)
    elif spec.dates:
        raise InputError(tr("Dated input sets are for task 'segment', not {0!r}.").format(spec.task.value))
    if not input_entries(spec):
        raise InputError(
            tr("The job has no input raster; add at least one optical (Sentinel-2 or RGB) layer.")
        )
    _check_modalities(spec.inputs)
    for s in spec.dates:
        _check_modalities(s.inputs, s.date)
    if not task_products(spec.task, spec.output_modality):
        raise InputError(tr("Choose the modality to generate: one of {0}.").format(GENERATED_MODALITIES))
    if check_outputs:
        _validate_outputs(spec)
    _validate_options(spec)


def _check_modalities(inputs: tuple[InputRaster, ...], date: str | None = None) -> None:
    """Known modalities, each at most once (per date of ``date``)."""
    seen = set()
    for inp in inputs:
        if inp.modality not in MODALITIES and date is None:
            raise InputError(
                tr("Input '{0}' has unknown modality {1!r}; choose one of {2}.").format(
                    inp.label, inp.modality, MODALITIES
                )
            )
        if inp.modality not in MODALITIES:
            raise InputError(
                tr("Input '{0}' of date '{1}' has unknown modality {2!r}; choose one of {3}.").format(
                    inp.label, date, inp.modality, MODALITIES
                )
            )
        if inp.modality in seen and date is None:
            raise InputError(
                tr("Two inputs are marked {0}; give each modality at most once.").format(inp.modality)
            )
        if inp.modality in seen:
            raise InputError(
                tr("Two inputs of date '{0}' are marked {1}; give each modality at most once.").format(
                    date, inp.modality
                )
            )
        seen.add(inp.modality)


def _validate_task_model(spec: JobSpec) -> None:
    """A fine-tuned model job: the model, and dates with the same modalities."""
    if not spec.task_model and not (spec.task_config and spec.task_checkpoint):
        raise InputError(tr("Choose a fine-tuned model, or a TerraTorch config file and its checkpoint."))
    if spec.task_model and (spec.task_config or spec.task_checkpoint):
        raise InputError(
            tr("Give either the model {0!r} or a config and checkpoint, not both.").format(spec.task_model)
        )
    if not spec.dates:
        raise InputError(
            tr("Add the input rasters of at least one date (Sentinel-2 L2A and Sentinel-1 RTC).")
        )
    first = sorted(r.modality for r in spec.dates[0].inputs)
    for s in spec.dates[1:]:
        if sorted(r.modality for r in s.inputs) != first:
            raise InputError(
                tr(
                    "Date '{0}' has inputs {1} but date '{2}' has {3}; give every date the same modalities."
                ).format(s.date, sorted((r.modality for r in s.inputs)), spec.dates[0].date, first)
            )
    shared = sorted({r.modality for r in spec.inputs} & set(first))
    if shared:
        raise InputError(
            tr("{0} is given per date and once for all dates; give it only once.").format(", ".join(shared))
        )


def _validate_outputs(spec: JobSpec) -> None:
    kinds = output_kinds(spec)
    unknown = sorted(set(spec.outputs) - set(kinds))
    if unknown:
        raise InputError(
            tr("Output kind(s) {0} do not belong to task {1!r}; use {2}.").format(
                unknown, spec.task.value, list(kinds)
            )
        )
    if TASKS[spec.task].any_output and not spec.outputs:
        raise InputError(tr("Choose an output file for at least one of {0}.").format(list(kinds)))
    if not TASKS[spec.task].any_output and kinds[0] not in spec.outputs:
        raise InputError(tr("Choose an output file for the {0} result.").format(kinds[0]))
    tables = TASKS[spec.task].tables
    for kind, p in spec.outputs.items():
        if kind in tables:
            if not p.lower().endswith(".csv"):
                raise InputError(tr("Output {0!r} must be a CSV file name ending in .csv.").format(p))
        elif not p.lower().endswith((".tif", ".tiff")):
            raise InputError(tr("Output {0!r} must be a GeoTIFF file name ending in .tif.").format(p))
    inputs = [r.path for _, r in input_entries(spec)] + [
        p for p in (spec.task_config, spec.task_checkpoint) if p
    ]
    rasters = [p for k, p in spec.outputs.items() if k not in tables]
    check_output_paths(rasters, inputs)
    for kind in tables:  # a table has no style or .aux.xml: only its own path must be new
        table = spec.outputs.get(kind)
        clash = next((p for p in rasters + inputs if table and same_file(table, p)), None)
        if clash:
            raise InputError(
                tr("Output {0!r} is the same file as {1!r}; choose another file name.").format(table, clash)
            )


def _validate_options(spec: JobSpec) -> None:
    problems = _choice_problems(spec) + _range_problems(spec) + _tiling_problems(spec)
    if not 0 <= spec.temperature <= 100 or not 0 <= spec.top_p <= 1 or not 0 <= spec.top_k <= 100_000:
        problems.append(
            tr("sampling needs 0 <= temperature <= 100, 0 <= top_p <= 1 and 0 <= top_k <= 100000")
        )
    if problems:
        raise InputError(tr("Invalid job options: {0}.").format("; ".join(problems)))


def _choice_problems(spec: JobSpec) -> list[str]:
    """Options that take one of a few values."""
    choices = (
        ("model_size", MODEL_SIZES),
        ("precision", PRECISIONS),
        ("embedding_dtype", ("float32", "float16")),
        ("embedding_stride", STRIDES),
    )
    problems = [
        tr("{0} must be one of {1}").format(name.replace("_", " "), ", ".join(map(str, allowed)))
        for name, allowed in choices
        if getattr(spec, name) not in allowed
    ]
    if spec.device not in DEVICES and not spec.device.startswith("cuda:"):
        problems.append(tr("device must be one of {0} or cuda:N").format(", ".join(DEVICES)))
    return problems


def _range_problems(spec: JobSpec) -> list[str]:
    """Integer options outside ``LIMITS``."""
    return [
        tr("{0} must be between {1} and {2}, got {3}").format(
            name.replace("_", " "), limit.low, limit.high, getattr(spec, name)
        )
        for name, limit in LIMITS.items()
        if not limit.low <= getattr(spec, name) <= limit.high
    ]


def _tiling_problems(spec: JobSpec) -> list[str]:
    """Tile size and overlap: whole 32-px blocks for the generator, whole patches for the backbone."""
    backbone = not TASKS[spec.task].generative
    step = 16 if backbone else 32
    problems = []
    if spec.tile_size < step or spec.tile_size % step:
        problems.append(tr("tile size must be a multiple of {0} (e.g. 224)").format(step))
    if not 0 <= spec.overlap <= spec.tile_size // 2:
        problems.append(tr("overlap must be between 0 and half the tile size"))
    elif backbone and spec.overlap % 16:
        problems.append(tr("overlap must be a multiple of 16 pixels for embeddings (one patch)"))
    return problems
