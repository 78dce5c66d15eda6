"""The plugin's vocabulary: what each task makes, what each output kind is, what each input role takes.

One table per fact, read by everything else: the pipeline and predictor (which model, how many channels),
the writers (data type, band names, class names, palette), the styles (``core.styles``), the dock and
Processing (titles, roles, outputs), the pre-flight check (which checkpoints) and the layer loader
(layer names, order in the group). Data only: no numpy, torch or QGIS.

Adding something is one entry:

- **A generated modality or model output** (say a fine-tuned segmentation head): add a ``Product`` to
  ``PRODUCTS`` with its ``kind`` (the ``JobSpec.outputs`` key and file suffix), ``title``, file ``dtype``,
  ``band_names``, ``unit``, ``style`` (a ``core.styles`` scheme) and, for classes, ``classes``; name the
  ``model_channels`` the predictor returns and the ``checkpoint`` that decodes it (a
  ``core.checkpoints.CHECKPOINTS`` name). A class product is written as the argmax of its channels.
- **A task** (say an embedding-workbench tool): add a ``Task`` member (its value is a public id: add,
  never rename) and a ``TaskInfo`` in ``TASKS`` with its title, the product kinds it writes (the first
  is required unless ``any_output``), and the ``model`` it needs (``"generate"``: the any-to-any
  generator with a tokenizer per product; ``"backbone"``: the encoder only). The dock's task list,
  Processing's outputs, the pre-flight checkpoint list and ``JobSpec`` validation follow from it.
- **An input role**: add an ``InputRole`` to ``INPUT_ROLES`` (its bands in the pretrained order).

``tests/core/test_products.py`` walks these tables through every consumer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .checkpoints import backbone_checkpoint_name, tokenizer_checkpoint_name
from .i18n import QT_TR_NOOP

__all__ = [
    "Task",
    "TaskInfo",
    "TASKS",
    "Product",
    "PRODUCTS",
    "LULC",
    "InputRole",
    "INPUT_ROLES",
    "ROLES",
    "MODALITIES",
    "OPTICAL_ROLES",
    "GENERATED_MODALITIES",
    "task_products",
    "generated_product",
    "product_for_modality",
    "required_checkpoints",
]


class Task(str, Enum):
    """What a job produces. Values are public ids: add, never rename."""

    LULC = "lulc"  # generated land-use/land-cover map (classes 0-9)
    S1GRD = "s1grd"  # generated Sentinel-1 GRD, VV/VH in dB
    GENERATE = "generate"  # another generated modality, named in ``JobSpec.output_modality``
    EMBEDDINGS = "embeddings"  # patch embeddings (+ PCA false-colour map)
    SEGMENT = "segment"  # class map of a fine-tuned task model (flood, burn scars, any TerraTorch fine-tune)


@dataclass(frozen=True)
class ClassInfo:
    """One class of a class product: pixel value, name and ``#rrggbb`` colour."""

    value: int
    name: str
    color: str


@dataclass(frozen=True)
class Product:
    """One output kind.

    Attributes:
        kind: ``JobSpec.outputs`` key and file-name suffix (``"lulc"``); a public id.
        title: layer name and Processing output title (English; the UI translates it).
        dtype: data type of the written file (``"uint8"`` or ``"float32"``).
        band_names: band names of the written file (empty: numbered, e.g. embeddings).
        unit: unit of the values (``"dB"``, ``"m"``, ``""``), added to each band's description, which QGIS
            shows in the legend.
        style: ``core.styles`` scheme: ``"classes"``, ``"s1_false_colour"``, ``"rgb"``, ``"gray"``.
        modality: the generated modality (``"LULC"``, ``"S1GRD"``...) the model decodes; ``None`` for
            products of the backbone (embeddings, PCA map).
        model_channels: channels the predictor returns for it (logits for classes); 0 = the backbone's width.
        checkpoint: the checkpoint (a ``checkpoints.CHECKPOINTS`` name) that decodes it; ``None``: none.
        classes: the classes of a class product, value order.
        rgb_bands: 1-based bands shown as red, green, blue by an ``"rgb"`` style.
        nodata: nodata value of the file (``None`` = NaN for floats).
        on_map: added to the map after a run (the full embeddings file is only kept on disk).
        display_range: fixed (min, max) of a ``"ramp"`` style (``None``: the file's value range).
    """

    kind: str
    title: str
    dtype: str
    band_names: tuple[str, ...]
    style: str
    unit: str = ""
    modality: str | None = None
    model_channels: int = 0
    checkpoint: str | None = None
    classes: tuple[ClassInfo, ...] = ()
    rgb_bands: tuple[int, int, int] = (1, 2, 3)
    nodata: float | None = None
    on_map: bool = True
    display_range: tuple[float, float] | None = None

    @property
    def band_descriptions(self) -> tuple[str, ...]:
        """Band descriptions written into the file, with the unit (``"VV (dB)"``): QGIS shows them in the
        legend."""
        return tuple(f"{name} ({self.unit})" if self.unit else name for name in self.band_names)

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.classes)

    @property
    def class_colors(self) -> tuple[str, ...]:
        return tuple(c.color for c in self.classes)


def _classes(names_and_colors: tuple[tuple[str, str], ...]) -> tuple[ClassInfo, ...]:
    return tuple(ClassInfo(i, n, c) for i, (n, c) in enumerate(names_and_colors))


#: LULC classes 0..9: ESRI 10 m land cover re-indexed, with the colours of IBM/terramind's plotting_utils
#: (see docs/model.md).
LULC_CLASSES: tuple[ClassInfo, ...] = _classes(
    (
        (QT_TR_NOOP("No data"), "#000000"),
        (QT_TR_NOOP("Water"), "#3171AD"),
        (QT_TR_NOOP("Trees"), "#469C76"),
        (QT_TR_NOOP("Flooded vegetation"), "#83CA70"),
        (QT_TR_NOOP("Crops"), "#EAE159"),
        (QT_TR_NOOP("Built area"), "#C07CB8"),
        (QT_TR_NOOP("Bare ground"), "#C19368"),
        (QT_TR_NOOP("Snow/ice"), "#6FB2E4"),
        (QT_TR_NOOP("Clouds"), "#F1F1F1"),
        (QT_TR_NOOP("Rangeland"), "#C66526"),
    )
)

_S2L2A_BANDS = ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12")
_S2L1C_BANDS = ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B10", "B11", "B12")
_S1_BANDS = ("VV", "VH")


_PRODUCT_LIST: tuple[Product, ...] = (
    Product(
        "lulc",
        QT_TR_NOOP("Land cover (generated)"),
        "uint8",
        ("LULC class",),  # no-i18n: band description stored in the file
        "classes",
        modality="LULC",
        model_channels=len(LULC_CLASSES),
        checkpoint=tokenizer_checkpoint_name("LULC"),
        classes=LULC_CLASSES,
        nodata=255,
    ),
    Product(
        "pca",
        QT_TR_NOOP("Patch embeddings, PCA colours"),
        "uint8",
        ("PC1", "PC2", "PC3"),
        "rgb",
        nodata=0,
    ),
    Product(
        "s1grd",
        QT_TR_NOOP("Sentinel-1 GRD (generated)"),
        "float32",
        _S1_BANDS,
        "s1_false_colour",
        unit="dB",
        modality="S1GRD",
        model_channels=2,
        checkpoint=tokenizer_checkpoint_name("S1GRD"),
    ),
    Product(
        "s1rtc",
        QT_TR_NOOP("Sentinel-1 RTC (generated)"),
        "float32",
        _S1_BANDS,
        "s1_false_colour",
        unit="dB",
        modality="S1RTC",
        model_channels=2,
        checkpoint=tokenizer_checkpoint_name("S1RTC"),
    ),
    Product(
        "s2l2a",
        QT_TR_NOOP("Sentinel-2 L2A (generated)"),
        "float32",
        _S2L2A_BANDS,
        "rgb",
        unit="DN",
        modality="S2L2A",
        model_channels=12,
        checkpoint=tokenizer_checkpoint_name("S2L2A"),
        rgb_bands=(4, 3, 2),
    ),
    Product(
        "dem",
        QT_TR_NOOP("DEM (generated)"),
        "float32",
        ("elevation",),
        "gray",
        unit="m",
        modality="DEM",
        model_channels=1,
        checkpoint=tokenizer_checkpoint_name("DEM"),
    ),
    Product(
        "ndvi",
        QT_TR_NOOP("NDVI (generated)"),
        "float32",
        ("NDVI",),
        "gray",
        modality="NDVI",
        model_channels=1,
        checkpoint=tokenizer_checkpoint_name("NDVI"),
    ),
    Product("embeddings", QT_TR_NOOP("Patch embeddings"), "float32", (), "gray", on_map=False),
    # Embedding workbench (core/workbench): class products without ``classes`` get theirs per run.
    Product(
        "similarity",
        QT_TR_NOOP("Embedding similarity"),
        "float32",
        ("cosine similarity",),  # no-i18n: band description stored in the file
        "ramp",
    ),
    Product("clusters", QT_TR_NOOP("Embedding clusters"), "uint8", ("cluster",), "classes", nodata=0),
    Product(
        "classification", QT_TR_NOOP("Embedding classification"), "uint8", ("class",), "classes", nodata=0
    ),
    Product(
        "confidence",
        QT_TR_NOOP("Classification confidence"),
        "float32",
        ("probability",),
        "ramp",
        display_range=(0.0, 1.0),
    ),
    Product(
        "change",
        QT_TR_NOOP("Embedding change (cosine distance)"),
        "float32",
        ("cosine distance",),  # no-i18n: band description stored in the file
        "ramp",
        display_range=(0.0, 1.0),
    ),
    Product(
        "change_reason",
        QT_TR_NOOP("Embedding change: why no value"),
        "uint8",
        ("reason",),
        "classes",
        classes=_classes(
            (
                (QT_TR_NOOP("valid"), "#FFFFFF"),
                (QT_TR_NOOP("nodata in A"), "#E41A1C"),
                (QT_TR_NOOP("nodata in B"), "#377EB8"),
                (QT_TR_NOOP("outside the overlap"), "#999999"),
            )
        ),
    ),
    # Fine-tuned task models: the classes (names, colours) come from the model at run time (core/tasks).
    Product("segment", QT_TR_NOOP("Classes (fine-tuned model)"), "uint8", ("class",), "classes", nodata=255),
    Product("probabilities", QT_TR_NOOP("Class probabilities (fine-tuned model)"), "float32", (), "gray"),
)

#: Output kind -> product, in the order layers appear in a run's group (top first).
PRODUCTS: dict[str, Product] = {p.kind: p for p in _PRODUCT_LIST}

LULC = PRODUCTS["lulc"]

#: Modalities the generator can produce (``JobSpec.output_modality``), in the order offered to users.
GENERATED_MODALITIES: tuple[str, ...] = ("LULC", "S1GRD", "S1RTC", "S2L2A", "DEM", "NDVI")


@dataclass(frozen=True)
class TaskInfo:
    """One task.

    Attributes:
        task: the public id.
        title: the dock's task list and Processing's algorithm title (English; the UI translates it).
        products: output kinds it writes, main one first; empty for ``Task.GENERATE`` (the chosen modality).
        short: a word or two for layer-group names (``Task.GENERATE``: the generated modality).
        model: ``"generate"`` (any-to-any generator: backbone + a tokenizer per product),
            ``"backbone"`` (the encoder alone) or ``"task"`` (a fine-tuned encoder-decoder, core/tasks).
        any_output: any one of ``products`` is enough (else the first is required).
        tables: further output kinds written as CSV tables (not layers), e.g. the per-class areas.
        run_defaults: ``(JobSpec option, value)`` pairs that replace the ``jobs.LIMITS`` defaults for this
            task (the window the fine-tuned models were run with).
        cpu_bfloat16: precision ``auto`` may pick bfloat16 on a CPU that computes it natively; ``False``
            for models whose bfloat16 accuracy was not measured (``core.device.choose_precision``).
    """

    task: Task
    title: str
    products: tuple[str, ...]
    model: str
    any_output: bool = False
    tables: tuple[str, ...] = ()
    run_defaults: tuple[tuple[str, int], ...] = ()
    short: str = ""
    cpu_bfloat16: bool = True

    def default(self, option: str, fallback: int) -> int:
        """This task's default of an integer ``JobSpec`` option (``fallback``: the general default)."""
        return dict(self.run_defaults).get(option, fallback)

    @property
    def generative(self) -> bool:
        """Runs diffusion / token sampling (exposes steps and seed of the sampler)."""
        return self.model == "generate"


TASKS: dict[Task, TaskInfo] = {
    t.task: t
    for t in (
        TaskInfo(
            Task.LULC,
            QT_TR_NOOP("Generate land cover (LULC)"),
            ("lulc",),
            "generate",
            short=QT_TR_NOOP("Land cover"),
        ),
        TaskInfo(
            Task.S1GRD,
            QT_TR_NOOP("Generate Sentinel-1 GRD"),
            ("s1grd",),
            "generate",
            short=QT_TR_NOOP("S1 GRD"),
        ),
        TaskInfo(Task.GENERATE, QT_TR_NOOP("Generate another modality"), (), "generate"),
        TaskInfo(
            Task.EMBEDDINGS,
            QT_TR_NOOP("Patch embeddings with PCA map"),
            ("embeddings", "pca"),
            "backbone",
            any_output=True,
            short=QT_TR_NOOP("Embeddings"),
        ),
        TaskInfo(
            Task.SEGMENT,
            QT_TR_NOOP("Map with a fine-tuned model"),
            ("segment", "probabilities"),
            "task",
            tables=("areas",),
            run_defaults=(("tile_size", 256), ("overlap", 48)),  # IBM's ImpactMesh setting: stride 208
            short=QT_TR_NOOP("Fine-tuned map"),
            cpu_bfloat16=False,
        ),
    )
}


def product_for_modality(modality: str) -> Product:
    """The product of a generated modality (``"S1RTC"`` -> the ``s1rtc`` product).

    Raises:
        KeyError: no product decodes that modality.
    """
    for p in PRODUCTS.values():
        if p.modality == modality:
            return p
    raise KeyError(modality)


def task_products(task: Task, output_modality: str | None = None) -> tuple[Product, ...]:
    """The products a task writes (``output_modality`` for ``Task.GENERATE``; empty if it is unset)."""
    info = TASKS[Task(task)]
    if info.products:
        return tuple(PRODUCTS[k] for k in info.products)
    if output_modality in GENERATED_MODALITIES:
        return (product_for_modality(output_modality),)
    return ()


def generated_product(task: Task, output_modality: str | None = None) -> Product | None:
    """The product the generator decodes for a task, ``None`` for backbone tasks."""
    if not TASKS[Task(task)].generative:
        return None
    products = task_products(task, output_modality)
    return products[0] if products else None


def required_checkpoints(task: Task, model_size: str, output_modality: str | None = None) -> list[str]:
    """Checkpoint names (``checkpoints.CHECKPOINTS`` keys) a job needs: the backbone, then each decoder.

    A fine-tuned model (``"task"``) holds its backbone; its files are named by ``core.tasks.catalog``.
    """
    if TASKS[Task(task)].model == "task":
        return []
    names = [backbone_checkpoint_name(model_size)]
    for p in task_products(task, output_modality):
        if p.checkpoint and p.checkpoint not in names:
            names.append(p.checkpoint)
    return names


@dataclass(frozen=True)
class InputRole:
    """One input role (a raw modality a raster can stand for).

    Attributes:
        modality: the public id (``InputRaster.modality``, Processing's ``INPUT_<modality>``).
        title: short name shown in the dock and in messages.
        description: Processing's parameter title (what the raster should hold).
        bands: band names in the pretrained channel order (``B01``..., ``VV``, ``VH``).
        unit: what the values are (shown in help and checks).
        optical: may define the output grid (an optical input is preferred as the grid).
        short: the label in the dock's narrow input list.
    """

    modality: str
    title: str
    description: str
    bands: tuple[str, ...]
    unit: str
    optical: bool = False
    short: str = ""


INPUT_ROLES: tuple[InputRole, ...] = (
    InputRole(
        "S2L2A",
        QT_TR_NOOP("Sentinel-2 L2A"),
        QT_TR_NOOP("Sentinel-2 L2A (12 bands)"),
        _S2L2A_BANDS,
        "DN",
        optical=True,
        short=QT_TR_NOOP("S2 L2A"),
    ),
    InputRole(
        "S2L1C",
        QT_TR_NOOP("Sentinel-2 L1C"),
        QT_TR_NOOP("Sentinel-2 L1C (13 bands)"),
        _S2L1C_BANDS,
        "DN",
        optical=True,
        short=QT_TR_NOOP("S2 L1C"),
    ),
    InputRole(
        "S1GRD",
        QT_TR_NOOP("Sentinel-1 GRD"),
        QT_TR_NOOP("Sentinel-1 GRD (VV, VH in dB)"),
        _S1_BANDS,
        "dB",
        short=QT_TR_NOOP("S1 GRD"),
    ),
    InputRole(
        "S1RTC",
        QT_TR_NOOP("Sentinel-1 RTC"),
        QT_TR_NOOP("Sentinel-1 RTC (VV, VH in dB)"),
        _S1_BANDS,
        "dB",
        short=QT_TR_NOOP("S1 RTC"),
    ),
    InputRole("DEM", QT_TR_NOOP("DEM"), QT_TR_NOOP("DEM (metres)"), ("DEM",), "m", short=QT_TR_NOOP("DEM")),
    InputRole(
        "RGB",
        QT_TR_NOOP("RGB"),
        QT_TR_NOOP("RGB (red, green, blue)"),
        ("RED", "GREEN", "BLUE"),
        "0-255",
        optical=True,
        short=QT_TR_NOOP("RGB"),
    ),
)

#: Modality -> role.
ROLES: dict[str, InputRole] = {r.modality: r for r in INPUT_ROLES}
#: Raw input modalities a raster can be assigned to, in the order offered to users.
MODALITIES: tuple[str, ...] = tuple(ROLES)
#: Roles that may define the output grid, preferred in this order.
OPTICAL_ROLES: tuple[str, ...] = tuple(r.modality for r in INPUT_ROLES if r.optical)
