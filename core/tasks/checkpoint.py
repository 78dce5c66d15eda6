"""Reading fine-tuned checkpoints safely: Lightning or plain state_dicts, ``weights_only=True`` always.

A Lightning checkpoint pickles its hyper-parameters, callbacks and loops next to the ``state_dict``; those
name arbitrary classes (the task, the loss, jsonargparse namespaces) that ``weights_only`` refuses. We list
them without loading (``torch.serialization.get_unsafe_globals_in_checkpoint``) and let torch materialise
each one as an *inert stand-in*: a placeholder class that is never imported, never called and keeps no
state. Only the tensors of the ``state_dict`` are used; a file whose weights themselves would need real code
(a pickled model object, non-tensor values among the weights) is refused.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from ..errors import WeightsError
from ..i18n import tr

__all__ = ["TaskCheckpoint", "read_task_checkpoint"]

log = logging.getLogger(__name__)

#: Key prefix of the model's weights in a TerraTorch task's Lightning ``state_dict``.
LIGHTNING_PREFIX = "model."  # no-i18n: a state_dict key prefix


class _Inert:
    """Stand-in for a pickled global: accepts any construction and state, keeps nothing, does nothing."""

    def __new__(cls, *args: Any, **kwargs: Any) -> _Inert:
        return object.__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __setstate__(self, state: Any) -> None:
        pass

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def append(self, value: Any) -> None:
        pass

    def extend(self, values: Any) -> None:
        pass

    def __repr__(self) -> str:
        return f"<inert stand-in for {self.stands_for}>"  # no-i18n: a repr for debugging


def _stand_in(name: str) -> type:
    """A fresh inert class standing in for the global ``name`` (``module.Qualified``)."""
    return type(name.rsplit(".", 1)[-1], (_Inert,), {"stands_for": name, "__module__": __name__})


@dataclass(frozen=True)
class TaskCheckpoint:
    """The model weights of a fine-tune file.

    Attributes:
        state_dict: ``{model key: tensor}`` (Lightning ``model.`` prefix removed).
        layout: ``"lightning"`` or ``"plain"``.
        stand_ins: globals of the file that were materialised as inert stand-ins.
        ignored: Lightning ``state_dict`` keys outside the model (e.g. the loss's class weights).
    """

    state_dict: dict[str, torch.Tensor]
    layout: str
    stand_ins: tuple[str, ...]
    ignored: tuple[str, ...]


def _load(path: Path, stand_ins: list[str]) -> Any:
    safe = [(_stand_in(name), name) for name in stand_ins]
    with torch.serialization.safe_globals(safe):
        try:
            return torch.load(path, map_location="cpu", weights_only=True, mmap=True)
        except RuntimeError as err:  # legacy (non-zip) files cannot be memory-mapped
            if "mmap" not in str(err):
                raise
            return torch.load(path, map_location="cpu", weights_only=True)


def _unsafe_globals(path: Path) -> list[str]:
    try:
        return list(torch.serialization.get_unsafe_globals_in_checkpoint(path))
    except Exception:  # legacy format or not a zip: weights_only load below reports the problem
        return []


def read_task_checkpoint(path: str | os.PathLike) -> TaskCheckpoint:
    """Read the model weights of a TerraTorch fine-tune (Lightning ``.ckpt`` or plain state_dict ``.pt``).

    Raises:
        WeightsError: missing or unreadable file, or content that is not a state_dict of tensors (named).
    """
    path = Path(path)
    if not path.is_file():
        raise WeightsError(tr("Checkpoint file {0} does not exist.").format(path))
    stand_ins = _unsafe_globals(path)
    try:
        obj = _load(path, stand_ins)
    except Exception as err:  # torch raises RuntimeError, UnpicklingError, EOFError, ... on bad files
        first = (str(err).splitlines() or [""])[0]
        raise WeightsError(
            tr(
                "Checkpoint {0} cannot be read safely ({1}: {2}). It may be "
                "truncated or corrupt (download it again), or need code to "
                "load, which is never run."
            ).format(path, type(err).__name__, first)
        ) from err
    if stand_ins:
        log.info("%s: %d pickled globals read as inert stand-ins: %s", path.name, len(stand_ins), stand_ins)
    if isinstance(obj, _Inert):
        raise WeightsError(
            tr(
                "Checkpoint {0} is a pickled {1} object, which would need "
                "its code to load. Save the model's state_dict (or use the "
                "Lightning .ckpt) instead."
            ).format(path, obj.stands_for)
        )
    if not isinstance(obj, Mapping):
        raise WeightsError(
            tr("Checkpoint {0} holds a {1}, not a state_dict.").format(path, type(obj).__name__)
        )
    layout, ignored = "plain", []
    if isinstance(obj.get("state_dict"), Mapping):
        layout, obj = "lightning", obj["state_dict"]
        ignored = [k for k in obj if not k.startswith(LIGHTNING_PREFIX)]
        obj = {k[len(LIGHTNING_PREFIX) :]: v for k, v in obj.items() if k.startswith(LIGHTNING_PREFIX)}
    elif obj and all(isinstance(k, str) and k.startswith(LIGHTNING_PREFIX) for k in obj):
        obj = {k[len(LIGHTNING_PREFIX) :]: v for k, v in obj.items()}
    bad = [str(k) for k, v in obj.items() if not isinstance(k, str) or not isinstance(v, torch.Tensor)]
    if bad:
        raise WeightsError(
            tr("Checkpoint {0}: {1} entries of its state_dict are not tensors (e.g. {2}).").format(
                path, len(bad), ", ".join(bad[:3])
            )
        )
    if not obj:
        raise WeightsError(tr("Checkpoint {0} holds no model weights.").format(path))
    return TaskCheckpoint(dict(obj), layout, tuple(stand_ins), tuple(ignored))
