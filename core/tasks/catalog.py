"""The fine-tuned models offered as one-click entries: where their files are, their classes and colours.

Files are resolved like the base weights (local weights folder, Hugging Face cache, download with progress,
offline mode) through the ``CHECKPOINTS`` names of :mod:`~..checkpoints`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InputError
from ..i18n import QT_TR_NOOP, tr

__all__ = ["CatalogModel", "TASK_MODELS", "catalog_model", "class_colors"]


@dataclass(frozen=True)
class CatalogModel:
    """A published fine-tune.

    Attributes:
        name: public id (``MODEL`` of ``terramind:segment``), e.g. ``"TerraMind-base-Flood"``.
        title: what the dock's model picker shows.
        checkpoint, config: ``CHECKPOINTS`` names of its weights and TerraTorch config.
        class_names: from the model card, used when the config names no classes and the counts agree.
        colors: ``#rrggbb`` per class.
    """

    name: str
    title: str
    checkpoint: str
    config: str
    class_names: tuple[str, ...]
    colors: tuple[str, ...]


TASK_MODELS: dict[str, CatalogModel] = {
    m.name: m
    for m in (
        CatalogModel(
            "TerraMind-base-Flood",
            QT_TR_NOOP("Flood (TerraMind-base-Flood, ImpactMesh)"),
            "terramind_v1_base_impactmesh_flood",
            "terramind_v1_base_impactmesh_flood_config",
            (QT_TR_NOOP("No water"), QT_TR_NOOP("Water")),
            ("#d9d9d9", "#1f78b4"),
        ),
        CatalogModel(
            "TerraMind-base-Fire",
            QT_TR_NOOP("Burn scars (TerraMind-base-Fire, ImpactMesh)"),
            "terramind_v1_base_impactmesh_fire",
            "terramind_v1_base_impactmesh_fire_config",
            (QT_TR_NOOP("Not burned"), QT_TR_NOOP("Burned")),
            ("#d9d9d9", "#e31a1c"),
        ),
    )
}

#: Colours of classes without catalogued colours (cycled).
_PALETTE = (
    "#d9d9d9", "#1f78b4", "#e31a1c", "#33a02c", "#ff7f00", "#6a3d9a",
    "#b15928", "#a6cee3", "#fb9a99", "#b2df8a", "#fdbf6f", "#cab2d6",
)  # fmt: skip


def catalog_model(name: str) -> CatalogModel:
    """The catalogued model ``name``.

    Raises:
        InputError: unknown name; the message lists the known ones.
    """
    if name not in TASK_MODELS:
        raise InputError(
            tr("Unknown fine-tuned model {0!r}; choose one of {1} or give a config and checkpoint.").format(
                name, ", ".join(TASK_MODELS)
            )
        )
    return TASK_MODELS[name]


def class_colors(count: int, colors: Sequence[str] = ()) -> list[str]:
    """``count`` colours: ``colors`` where given, then the palette."""
    return [colors[i] if i < len(colors) else _PALETTE[i % len(_PALETTE)] for i in range(count)]
