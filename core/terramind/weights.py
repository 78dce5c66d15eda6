"""Loading checkpoints into models: safe reading, key filtering, putting tensors in place (docs/model.md).

Finding and downloading the files is ``core.checkpoints``. Files are read with
``torch.load(map_location="cpu", weights_only=True)`` only.
"""

from __future__ import annotations

import bisect
import logging
import os
import pickle
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from ..checkpoints import WeightsSource, backbone_checkpoint_name, resolve_checkpoint
from ..errors import TerraMindError, WeightsError, is_out_of_memory
from ..i18n import tr

if TYPE_CHECKING:  # torch is imported where tensors are handled, so listing cached files stays cheap
    import torch
    from torch import nn

__all__ = [
    "LoadReport",
    "backbone_checkpoint",
    "load_checkpoint",
    "filter_checkpoint",
    "apply_checkpoint",
    "build_with_weights",
    "meta_tensor_names",
]

log = logging.getLogger(__name__)

Model = TypeVar("Model", bound="nn.Module")

#: Token width D of each size, to name the size of a mismatching checkpoint.
_SIZE_BY_DIM = {192: "tiny", 384: "small", 768: "base", 1024: "large"}


def backbone_checkpoint(
    size: str, ckpt_path: str | os.PathLike | None, source: WeightsSource | None
) -> Callable[[], tuple[str, dict[str, torch.Tensor]]]:
    """A loader of the ``size`` backbone checkpoint that resolves and reads it once, on its first call.

    ``build_with_weights`` may call a builder's ``load`` twice (meta build, then the fallback build); both
    get the same state_dict without a second read.

    Args:
        size: tiny, small, base or large.
        ckpt_path: an explicit file; ``None`` resolves ``terramind_v1_<size>`` through ``source``.
        source: where to look for (or download) the file.

    Returns:
        ``checkpoint()`` -> ``(path, state_dict)``.
    """
    cache: list[tuple[str, dict[str, torch.Tensor]]] = []

    def checkpoint() -> tuple[str, dict[str, torch.Tensor]]:
        if not cache:
            path = ckpt_path or resolve_checkpoint(backbone_checkpoint_name(size), source or WeightsSource())
            cache.append((str(path), load_checkpoint(path)))
        return cache[0]

    return checkpoint


def _load_error(path: Path, err: Exception) -> TerraMindError:
    """What went wrong reading a checkpoint, for the user; torch's own advice is never forwarded."""
    size_gb = path.stat().st_size / 1e9
    if is_out_of_memory(err):
        return TerraMindError(
            tr(
                "Memory ran out while loading the checkpoint {0} ({1:.1f} "
                "GB): the model needs about {2:.1f} GB of free memory for "
                "this file on top of what is already in use. The file is not "
                "at fault. Close other programs, choose a smaller model "
                "size, or run jobs in a separate process (Set Up Runtime)."
            ).format(path.name, size_gb, size_gb)
        )
    if isinstance(err, pickle.UnpicklingError):  # the safe (weights_only) loader refused the content
        return WeightsError(
            tr(
                "Checkpoint {0} was refused for safety and not loaded: it is "
                "not a plain file of tensors (it asks for Python objects or "
                "code, or it is corrupt). Only official TerraMind "
                "checkpoints are accepted; download the file again from its "
                "Hugging Face repository."
            ).format(path)
        )
    first_line = (str(err).splitlines() or [""])[0]
    return WeightsError(
        tr(
            "Checkpoint {0} cannot be read ({1}: {2}). The file is "
            "probably truncated or corrupt (e.g. an interrupted "
            "download): delete it and download it again."
        ).format(path, type(err).__name__, first_line)
    )


def load_checkpoint(path: str | os.PathLike) -> dict[str, torch.Tensor]:
    """Read a plain state_dict with ``torch.load(map_location="cpu", weights_only=True)``.

    The file is memory-mapped when possible, so unused tensors (e.g. the decoder for a backbone) are never
    read into memory.

    Raises:
        WeightsError: missing, truncated or corrupt file, content refused by the safe loader, or content
            that is not a tensor state_dict.
        TerraMindError: memory ran out while loading (the message says how much the file needs).
    """
    import torch

    path = Path(path)
    if not path.is_file():
        raise WeightsError(tr("Checkpoint file {0} does not exist.").format(path))
    try:
        try:
            obj = torch.load(path, map_location="cpu", weights_only=True, mmap=True)
        except RuntimeError as err:  # legacy (non-zip) files cannot be memory-mapped
            if "mmap" not in str(err) or is_out_of_memory(err):
                raise
            obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:
        raise _load_error(path, err) from None
    if isinstance(obj, Mapping) and not any(isinstance(v, torch.Tensor) for v in obj.values()):
        for wrapper in ("state_dict", "model"):
            if isinstance(obj.get(wrapper), Mapping):
                obj = obj[wrapper]
                break
    if not isinstance(obj, Mapping) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items()
    ):
        raise WeightsError(tr("Checkpoint {0} is not a plain state_dict of tensors.").format(path))
    return dict(obj)


@dataclass(frozen=True)
class LoadReport:
    """What :func:`filter_checkpoint` kept and left out (model keys unless stated otherwise).

    Attributes:
        loaded: model keys filled from the checkpoint.
        unused: checkpoint keys with no model key (e.g. ``decoder.*`` for a backbone).
        mismatched: ``(model key, checkpoint shape, model shape)`` for same-name tensors of another shape.
        missing: model keys the checkpoint did not fill (they keep the model's value).
    """

    loaded: tuple[str, ...]
    unused: tuple[str, ...]
    mismatched: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]
    missing: tuple[str, ...]

    def summary(self) -> str:
        """One-line human summary."""
        return tr(
            "{0} tensors loaded, {1} checkpoint tensors unused, {2} with "
            "another shape, {3} model tensors not in the checkpoint"
        ).format(len(self.loaded), len(self.unused), len(self.mismatched), len(self.missing))


def filter_checkpoint(
    state_dict: Mapping[str, torch.Tensor],
    model_state: Mapping[str, torch.Tensor],
    prefixes: Iterable[str] = ("",),
) -> tuple[dict[str, torch.Tensor], LoadReport]:
    """Keep the checkpoint entries that the model has with the same shape (pure; docs/model.md §2.2).

    Args:
        state_dict: checkpoint ``{key: tensor}``.
        model_state: the model's ``state_dict()`` (only keys and shapes are used).
        prefixes: checkpoint key ``k`` fills model key ``p + k`` for every prefix ``p`` (``""`` for the
            backbone, ``"sampler.model."`` for generation, both for TiM).

    Returns:
        ``({model key: tensor}, LoadReport)``.
    """
    prefixes = tuple(prefixes)
    kept: dict[str, torch.Tensor] = {}
    unused, mismatched = [], []
    for key, value in state_dict.items():
        hit = False
        for p in prefixes:
            target = p + key
            if target not in model_state:
                continue
            hit = True
            want = tuple(model_state[target].shape)
            if tuple(value.shape) == want:
                kept[target] = value
            else:
                mismatched.append((target, tuple(value.shape), want))
        if not hit:
            unused.append(key)
    missing = tuple(k for k in model_state if k not in kept)
    report = LoadReport(tuple(kept), tuple(unused), tuple(mismatched), missing)
    return kept, report


def _guess_size(state_dict: Mapping[str, torch.Tensor]) -> str:
    norm = state_dict.get("encoder_norm.weight")
    if norm is None or norm.dim() != 1:
        return ""
    size = _SIZE_BY_DIM.get(int(norm.shape[0]))
    return (
        " " + tr("It looks like a TerraMind {0} checkpoint (D={1}).").format(size, norm.shape[0])
        if size
        else ""
    )


def apply_checkpoint(
    model: nn.Module,
    state_dict: Mapping[str, torch.Tensor],
    prefixes: Iterable[str] = ("",),
    optional: Collection[str] = (),
    source: str = "checkpoint",
) -> LoadReport:
    """Filter ``state_dict`` for ``model``, check it fits, load it and log the report.

    Args:
        model: module to fill in place. If it has tensors on the ``meta`` device (see
            :func:`build_with_weights`), the checkpoint tensors are put in place of those (no copy, see
            :func:`_assign_tensors`); otherwise they are copied into the existing tensors.
        state_dict: checkpoint tensors.
        prefixes: see :func:`filter_checkpoint`.
        optional: model keys that a checkpoint is not expected to hold (they keep their value).
        source: file name for messages.

    Raises:
        WeightsError: tensors of another shape (e.g. a checkpoint of another size; the message summarises the
            mismatches), or required model tensors missing from the checkpoint.
    """
    kept, report = filter_checkpoint(state_dict, model.state_dict(), prefixes)
    if report.mismatched:
        examples = "; ".join(
            tr("{0}: file {1} vs model {2}").format(k, tuple(a), tuple(b))
            for k, a, b in report.mismatched[:3]
        )
        raise WeightsError(
            tr(
                "{0} does not fit this model: {1} tensors have another shape "
                "(e.g. {2}).{3} Choose the model size that matches the file."
            ).format(source, len(report.mismatched), examples, _guess_size(state_dict))
        )
    required = [k for k in report.missing if k not in optional]
    if required:
        raise WeightsError(
            tr(
                "{0} lacks {1} tensors this model needs (e.g. {2}); it is "
                "not a TerraMind 1.0 checkpoint for this model."
            ).format(source, len(required), ", ".join(required[:3]))
        )
    if meta_tensor_names(model):
        _assign_tensors(model, kept)
    else:
        model.load_state_dict(kept, strict=False)
    log.info("Loaded %s: %s", source, report.summary())
    if report.unused:
        log.debug("Unused checkpoint keys of %s: %s", source, ", ".join(report.unused))
    return report


def _slots(model: nn.Module) -> list[tuple[torch.Tensor, list[tuple[nn.Module, str, str, bool]]]]:
    """Every parameter and buffer of ``model`` with the slots that hold it.

    Returns:
        ``[(tensor, [(module, attribute, state key, is_parameter), ...]), ...]``: a tied tensor (one
        Parameter in several modules, or a module reachable by several paths) is listed once with all its
        slots; slots are in ``state_dict`` order (module pre-order, parameters before buffers).
    """
    groups: dict[int, tuple[torch.Tensor, list[tuple[nn.Module, str, str, bool]]]] = {}
    for prefix, module in model.named_modules(remove_duplicate=False):
        dot = f"{prefix}." if prefix else ""
        for table, is_param in ((module._parameters, True), (module._buffers, False)):
            for name, tensor in table.items():
                if tensor is not None:
                    slot = (module, name, dot + name, is_param)
                    groups.setdefault(id(tensor), (tensor, []))[1].append(slot)
    return list(groups.values())


def meta_tensor_names(model: nn.Module) -> list[str]:
    """State keys (non-persistent buffers included) of the parameters and buffers still on ``meta``."""
    return [slots[0][2] for tensor, slots in _slots(model) if tensor.is_meta]


class _Claimed:
    """Byte ranges of the tensors already put into a model, to keep distinct tensors from sharing memory."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def claim(self, t: torch.Tensor) -> bool:
        """Record the bytes of contiguous ``t``; False (nothing recorded) if they overlap claimed bytes."""
        start, end = t.data_ptr(), t.data_ptr() + t.numel() * t.element_size()
        i = bisect.bisect_right(self._starts, start)
        if (i and self._ends[i - 1] > start) or (i < len(self._starts) and self._starts[i] < end):
            return False
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True


def _own_storage(t: torch.Tensor) -> torch.Tensor:
    """``t`` (contiguous) on a storage of its own bytes, sharing memory with ``t`` (no copy).

    A memory-mapped checkpoint is one storage; without this, ``torch.save`` or ``copy.deepcopy`` of a
    parameter would write or copy the whole file.
    """
    start = t.storage_offset() * t.element_size()
    storage = t.untyped_storage()[start : start + t.numel() * t.element_size()]
    return t.new_empty(0).set_(storage, 0, t.shape, t.stride())


def _assign_tensors(model: nn.Module, kept: Mapping[str, torch.Tensor]) -> None:
    """Put ``kept[key]`` in place of every ``meta`` tensor whose state key is in ``kept``; copy into others.

    Values equal those of ``model.load_state_dict(kept, strict=False)`` (cast to the slot's dtype; the
    last key of a tied group in ``state_dict`` order wins), ties stay ties (one new Parameter per group,
    ``requires_grad`` kept), and distinct tensors never share memory (overlapping checkpoint tensors,
    e.g. one file tensor filling two model copies, are cloned).
    """
    import torch
    from torch import nn

    claimed = _Claimed()
    for old, slots in _slots(model):
        keys = [key for _, _, key, _ in slots if key in kept]
        if not keys:
            continue
        value = kept[keys[-1]].detach()
        if not old.is_meta:  # a tensor computed at construction (not meta): filled in place, as before
            with torch.no_grad():
                old.copy_(value)
            continue
        value = value.to(old.dtype).contiguous()
        if not claimed.claim(value):
            value = value.clone()
            claimed.claim(value)
        value = _own_storage(value)
        new = nn.Parameter(value, requires_grad=old.requires_grad) if slots[0][3] else value
        for module, name, _, is_param in slots:
            (module._parameters if is_param else module._buffers)[name] = new


def _meta_layer_weights() -> Any:
    """Torch-function mode that allocates layer weights on the ``meta`` device and computes the rest.

    ``torch.empty`` without a device (how ``nn.Linear``, ``nn.Conv2d``, ``nn.Embedding``, ``nn.LayerNorm``
    ... allocate their weights before ``reset_parameters`` fills them) returns a meta tensor: no memory,
    and the random fill is a no-op. Every other factory (``zeros``, ``arange``, ``tensor``, ``linspace``)
    runs for real on the CPU, so computed tensors that no checkpoint holds (sin-cos tables, FSQ levels,
    diffusion schedules, ``missing_mod_token``) get their values exactly as in a plain build. ``normal_``
    on a meta tensor returns it untouched: torch 2.x would run it through Python decompositions whose
    first use imports ``torch._dynamo`` (about 1 s once per process) to produce nothing.
    """
    import torch
    from torch.overrides import TorchFunctionMode

    skipped = (torch.Tensor.normal_, torch.nn.init.normal_)

    class MetaLayerWeights(TorchFunctionMode):
        def __torch_function__(
            self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None
        ) -> Any:
            kwargs = dict(kwargs or {})
            if func is torch.empty and kwargs.get("device") is None:
                kwargs["device"] = "meta"
            elif func in skipped:
                tensor = args[0] if args else kwargs.get("tensor")
                if isinstance(tensor, torch.Tensor) and tensor.is_meta:
                    return tensor
            return func(*args, **kwargs)

    return MetaLayerWeights()


def build_with_weights(construct: Callable[[], Model], load: Callable[[Model], None]) -> Model:
    """Build a model whose tensors come from checkpoints without random-initialising it first.

    ``construct()`` runs under :func:`_meta_layer_weights`: layer weights are allocated on ``meta`` (no
    memory, no init work) while computed tensors (sin-cos tables, FSQ levels, diffusion schedules) get
    their real values on the CPU. ``load(model)`` then fills it with :func:`apply_checkpoint`, which puts
    the checkpoint tensors in place of the meta ones (the strict checks and their :class:`WeightsError` are
    unchanged). If tensors are still on ``meta`` afterwards (parts with no checkpoint: new
    ``{name: channels}`` modalities, tokenizers without weights), the model is built again for real and
    ``load`` copies into it, so those parts get exactly the random initialisation of a plain build.

    Args:
        construct: builds the module (random initialisation when called outside ``meta``).
        load: fills a module in place from its checkpoint(s); may raise :class:`WeightsError`.

    Returns:
        The filled module on the CPU, in training mode as ``construct`` leaves it.
    """
    import torch

    # The global RNG is restored after the meta build, so that a fallback build draws as a plain one.
    with torch.random.fork_rng(devices=[]), _meta_layer_weights():
        model = construct()
    load(model)
    left = meta_tensor_names(model)
    if not left:
        return model
    log.debug("No checkpoint for %d tensors (e.g. %s): built with random initialisation", len(left), left[0])
    model = construct()
    load(model)
    return model
