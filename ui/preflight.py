"""Checks run before a job starts: layers, CRS, overlap, band mapping, area, output folder, weights; estimate.

Each check returns user messages that name the layer, band or folder and say what to do. The deeper
checks (units, file contents) happen in ``core`` when the job runs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
)

from ..core.device import MatmulRates
from ..core.errors import TerraMindError
from ..core.i18n import tr
from ..core.jobs import Area, JobSpec, Task
from ..core.products import OPTICAL_ROLES, TASKS, generated_product, required_checkpoints


@dataclass
class Preflight:
    """Outcome of the checks: ``errors`` block the run, ``warnings`` are shown next to the estimate."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def reference_role(roles: Sequence[str]) -> str | None:
    """Role whose layer defines the output grid: the optical one (S2L2A, S2L1C, RGB), else the first."""
    for role in OPTICAL_ROLES:
        if role in roles:
            return role
    return roles[0] if roles else None


def extent_in(layer: QgsRasterLayer, crs: QgsCoordinateReferenceSystem) -> QgsRectangle:
    """Extent of ``layer`` transformed to ``crs`` (densified edges)."""
    if layer.crs() == crs:
        return layer.extent()
    transform = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance())
    return transform.transformBoundingBox(layer.extent())


def check_layers(layers: dict[str, QgsRasterLayer], mappings: dict[str, tuple[int, ...]]) -> Preflight:
    """Check the chosen layers: valid, with a CRS, overlapping the grid layer, every model band mapped.

    Args:
        layers: role -> chosen layer (empty roles left out).
        mappings: role -> 1-based layer band per model band (0 = missing).
    """
    result = Preflight()
    if not layers:
        result.errors.append(tr("Choose at least one input layer (for example a Sentinel-2 L2A scene)."))
        return result
    for role, layer in layers.items():
        if not layer.isValid():
            result.errors.append(
                tr("The {role} layer “{name}” cannot be read; check its source.").format(
                    role=role, name=layer.name()
                )
            )
        elif not layer.crs().isValid():
            result.errors.append(
                tr("The {role} layer “{name}” has no CRS; set one in Layer Properties ▸ Source.").format(
                    role=role, name=layer.name()
                )
            )
        missing = [i + 1 for i, band in enumerate(mappings.get(role, ())) if band == 0]
        if missing:
            result.errors.append(
                tr(
                    "The {role} layer “{name}” has {count} band(s); model band(s) {missing} have no layer "
                    "band. "
                    "Choose them under Bands… or use a layer with all {role} bands."
                ).format(role=role, name=layer.name(), count=layer.bandCount(), missing=missing)
            )
    if result.errors:
        return result
    ref_role = reference_role(list(layers))
    ref = layers[ref_role]
    for role, layer in layers.items():
        if role != ref_role and layer.crs() != ref.crs():
            result.warnings.append(
                tr(
                    "The {role} layer “{name}” ({crs}) will be warped onto the grid of “{ref}” ({ref_crs})."
                ).format(
                    role=role,
                    name=layer.name(),
                    crs=layer.crs().authid(),
                    ref=ref.name(),
                    ref_crs=ref.crs().authid(),
                )
            )
        if role != ref_role and not extent_in(layer, ref.crs()).intersects(ref.extent()):
            result.errors.append(
                tr(
                    "The {role} layer “{name}” does not overlap the {ref_role} layer “{ref}”; "
                    "choose layers of the same place."
                ).format(role=role, name=layer.name(), ref_role=ref_role, ref=ref.name())
            )
    return result


def check_area(area: Area | None, reference: QgsRasterLayer, drawn_missing: bool) -> list[str]:
    """Errors for an area that is missing (nothing drawn) or outside the grid layer."""
    if drawn_missing:
        return [tr("Draw a rectangle on the map first (Area ▸ Draw…), or choose another area.")]
    if area is None:
        return []
    crs = QgsCoordinateReferenceSystem(area.crs)
    rect = QgsRectangle(*area.bounds)
    if crs.isValid() and crs != reference.crs():
        rect = QgsCoordinateTransform(crs, reference.crs(), QgsProject.instance()).transformBoundingBox(rect)
    if not rect.intersects(reference.extent()):
        return [
            tr(
                "The chosen area does not overlap the layer “{name}”; zoom to the layer or draw another "
                "rectangle."
            ).format(name=reference.name())
        ]
    return []


def check_task(task: Task, roles: Sequence[str], output_modality: str | None) -> list[str]:
    """Errors for a task the chosen inputs cannot do."""
    info = TASKS[task]
    product = generated_product(task, output_modality)
    if info.generative and product is None:
        return [tr("Choose which modality to generate.")]
    generated = product.modality if product is not None else None
    if generated is not None and list(roles) == [generated]:
        return [
            tr("{modality} is both the only input and the output; add another input layer.").format(
                modality=generated
            )
        ]
    return []


def check_output_folder(folder: str) -> list[str]:
    """Errors for an output folder that does not exist or cannot be written (``""`` = temporary files)."""
    if not folder:
        return []
    if not os.path.isdir(folder):
        return [
            tr("The output folder “{folder}” does not exist; create it or choose another.").format(
                folder=folder
            )
        ]
    if not os.access(folder, os.W_OK):
        return [tr("The output folder “{folder}” is not writable; choose another.").format(folder=folder)]
    return []


def missing_checkpoints(spec: JobSpec) -> list[str]:
    """File names of the checkpoints ``spec`` needs that are neither in the weights folder nor cached."""
    from ..core.checkpoints import CHECKPOINTS

    return [CHECKPOINTS[name][1] for name in missing_checkpoint_names(spec)]


def missing_checkpoint_names(spec: JobSpec) -> list[str]:
    """Registered names of the checkpoints ``spec`` needs that are not in the weights folder or cache."""
    from ..core.checkpoints import WeightsSource, cached_checkpoints

    source = WeightsSource(weights_dir=spec.weights_dir, cache_dir=spec.cache_dir, offline=spec.offline)
    cached = cached_checkpoints(source)
    needed = required_checkpoints(spec.task, spec.model_size, spec.output_modality)
    if spec.task_model:  # a catalogued fine-tune: its checkpoint and config
        from ..core.tasks.catalog import catalog_model

        entry = catalog_model(spec.task_model)
        needed += [entry.checkpoint, entry.config]
    return [name for name in needed if not cached.get(name)]


def check_weights(spec: JobSpec) -> tuple[list[str], list[str]]:
    """Errors (offline and a checkpoint missing) and warnings (a checkpoint will be downloaded first)."""
    from .missing_weights import describe, total_bytes

    try:
        missing = missing_checkpoint_names(spec)
    except ImportError as exc:  # no huggingface_hub in QGIS's Python: a worker runtime checks its own weights
        return [], [tr("Cannot check the weights here ({0}).").format(exc)]
    if not missing:
        return [], []
    if spec.offline:
        folder = spec.weights_dir or tr("a folder you then choose as the local weights folder (Weights…)")
        message = tr(
            "Offline mode is on and these weight files are not on this computer: {0}. Put them into {1} "
            "under these names, or switch offline mode off to download them."
        )
        return [message.format(describe(missing), folder)], []
    from ..core.checkpoints import size_text

    return [], [
        tr("These weight files will be downloaded first, about {0}: {1}.").format(
            size_text(total_bytes(missing)), describe(missing)
        )
    ]


def limit_messages(
    spec: JobSpec, folder: str, rates: MatmulRates | None = None
) -> tuple[list[str], list[str]]:
    """The limits Processing and the CLI enforce (``core.estimate``), for the dock: errors (the outputs do
    not fit the free space of ``folder``) and warnings (a large job, which the dock runs when asked)."""
    from ..core.estimate import estimate_job, free_space_problem, large_job_reason

    try:
        estimate = estimate_job(spec, rates)
    except TerraMindError:
        return [], []  # reported by estimate_text
    problem = free_space_problem(estimate, folder)
    large = large_job_reason(estimate)
    advice = tr("{0} Choose a smaller area, fewer diffusion steps or a smaller model.")
    return ([problem] if problem else []), ([advice.format(large)] if large else [])


def estimate_text(spec: JobSpec, rates: MatmulRates | None = None) -> str:
    """One line "About N tile(s), T on this device, D MB on disk." from ``core.estimate.estimate_job``.

    ``rates`` are this machine's calibrated matmul rates (``bridge.runtime.calibration``); without them the
    time assumes a typical computer and says so.
    """
    from ..core.estimate import estimate_job

    try:
        estimate = estimate_job(spec, rates)
    except TerraMindError as exc:
        return tr("No estimate: {0}").format(exc)
    if estimate.seconds < 60:
        duration = tr("{0:.0f} s").format(estimate.seconds)
    else:
        duration = tr("{0:.1f} min").format(estimate.seconds / 60)
    if rates is None:
        duration = tr("{0} (typical computer; measuring this one…)").format(duration)
    tiles = tr("{0} tile(s)").format(estimate.tiles)
    if estimate.passes > 1:
        tiles = tr("{0} tile(s) x {1} shifted model passes (stride {2} px)").format(
            estimate.tiles, estimate.passes, spec.embedding_stride
        )
    return tr("About {tiles}, {time} on this device, {disk:.1f} MB on disk.").format(
        tiles=tiles, time=duration, disk=estimate.disk_bytes / 1e6
    )
