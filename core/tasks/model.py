"""``build_task_model``: a TerraTorch ``EncoderDecoderFactory`` segmentation model on a TerraMind backbone.

``model_args`` is the ``model.init_args.model_args`` block of a TerraTorch config (``task: segmentation``).
The model is ``encoder`` (TerraMind, or :class:`.temporal.TemporalWrapper` around it) -> ``neck`` ->
``decoder`` -> ``head``, with TerraTorch's state_dict keys; inputs are reflect-padded to a multiple of twice
the patch size, logits are resized bilinearly to the padded size and centre-cropped back. Options this
implementation does not support are refused with an :class:`InputError` that names them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from ..errors import InputError
from ..i18n import tr
from .decoders import DECODERS
from .necks import build_necks
from .temporal import TemporalWrapper

__all__ = ["SegmentationHead", "TaskModel", "build_task_model", "backbone_size"]

_BACKBONE = re.compile(r"^terramind_v1_(tiny|small|base|large)$")
#: ``backbone_*`` options passed on to :func:`~..terramind.encoder.build_backbone` under the same names.
_BACKBONE_ARGS = ("pretrained", "modalities", "bands", "merge_method", "ckpt_path")
_TEMPORAL_ARGS = ("use_temporal", "temporal_pooling", "temporal_n_timestamps", "temporal_subset_lengths")
_MERGES = ("mean", "max", "concat")
_HEAD_ARGS = ("dropout", "channel_list")


class SegmentationHead(nn.Module):
    """TerraTorch segmentation head: optional 3x3 conv-ReLU layers, dropout, 1x1 conv to classes.

    Keys: ``head.0`` (extra layers, ``head.0.<i>.0``), ``head.1`` (dropout), ``head.2`` (classifier).
    """

    def __init__(
        self,
        in_channels: int,
        num_classes: int,
        channel_list: Sequence[int] | None = None,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        if channel_list:
            widths = [in_channels, *channel_list]
            pre: nn.Module = nn.Sequential(
                *(
                    nn.Sequential(nn.Conv2d(a, b, kernel_size=3, padding=1), nn.ReLU())
                    for a, b in zip(widths[:-1], widths[1:])
                )
            )
            in_channels = widths[-1]
        else:
            pre = nn.Identity()
        self.head = nn.Sequential(
            pre, nn.Dropout(dropout) if dropout else nn.Identity(), nn.Conv2d(in_channels, num_classes, 1)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(x)


class TaskModel(nn.Module):
    """Encoder -> necks -> decoder -> head, returning logits at the input size.

    Attributes:
        temporal: inputs are (B, C, T, H, W) (the encoder is a :class:`TemporalWrapper`).
        modalities: input names the model takes, in configured order.
        num_classes: output channels.
        model_args: the configuration the model was built from.
    """

    def __init__(
        self,
        encoder: nn.Module,
        neck: nn.Sequential,
        decoder: nn.Module,
        head: SegmentationHead,
        *,
        patch_size: int,
        rescale: bool,
        model_args: Mapping[str, Any],
    ) -> None:
        super().__init__()
        self.encoder = encoder
        self.neck = neck
        self.decoder = decoder
        self.head = head
        self.pad_multiple = 2 * patch_size
        self.rescale = rescale
        self.temporal = isinstance(encoder, TemporalWrapper)
        backbone = encoder.encoder if self.temporal else encoder
        self.modalities: list[str] = list(backbone.modalities)
        self.num_classes = head.head[-1].out_channels
        self.model_args = dict(model_args)

    @property
    def num_dates(self) -> int | None:
        """Dates a temporal model needs (``None``: any count, or not temporal)."""
        return self.encoder.num_dates if self.temporal else None

    def _pad(self, x: torch.Tensor) -> torch.Tensor:
        """Reflect-pad H, W to a multiple of twice the patch size, split evenly (as ``pad_images``)."""
        m = self.pad_multiple
        h, w = x.shape[-2:]
        ph, pw = (m - h % m) % m, (m - w % m) % m
        if not ph and not pw:
            return x
        pads = (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2)
        lead = x.shape[:-3]
        flat = x.reshape(-1, *x.shape[-3:])  # reflect padding works on (N, C, H, W)
        return F.pad(flat, pads, mode="reflect").reshape(*lead, x.shape[-3], h + ph, w + pw)

    def forward(self, inputs: Mapping[str, torch.Tensor]) -> torch.Tensor:
        """Logits (B, num_classes, H, W) for standardized ``{modality: (B, C, [T,] H, W)}`` inputs.

        Raises:
            InputError: missing or unknown modality, wrong rank, date count or channels.
        """
        given = dict(inputs)
        missing = [m for m in self.modalities if m not in given]
        if missing:
            raise InputError(
                tr("Missing input(s) {0}; this model needs {1}.").format(
                    ", ".join(missing), ", ".join(self.modalities)
                )
            )
        rank = 5 if self.temporal else 4
        for name, x in given.items():
            if x.dim() != rank:
                layout = "(B, C, T, H, W)" if self.temporal else "(B, C, H, W)"  # no-i18n: tensor layouts
                raise InputError(tr("{0} input must be {1}, got {2}.").format(name, layout, tuple(x.shape)))
        size = next(iter(given.values())).shape[-2:]
        padded = {k: self._pad(v) for k, v in given.items()}
        padded_size = next(iter(padded.values())).shape[-2:]
        if self.temporal:
            features = self.encoder(padded)
        else:
            features = self.encoder(padded, all_layers=True)
        features = self.neck(list(features))
        logits = self.head(self.decoder(features))
        if self.rescale and logits.shape[-2:] != padded_size:
            logits = F.interpolate(logits, size=tuple(padded_size), mode="bilinear")
        top = max((logits.shape[-2] - size[0]) // 2, 0)
        left = max((logits.shape[-1] - size[1]) // 2, 0)
        return logits[..., top : top + size[0], left : left + size[1]]


def backbone_size(model_args: Mapping[str, Any]) -> str:
    """``"tiny"``/``"small"``/``"base"``/``"large"`` of a ``terramind_v1_<size>`` backbone.

    Raises:
        InputError: any other backbone.
    """
    name = model_args.get("backbone")
    match = _BACKBONE.match(name) if isinstance(name, str) else None
    if not match:
        raise InputError(
            tr(
                "backbone={0!r} is not supported; fine-tunes of terramind_v1_tiny/small/base/large are."
            ).format(name)
        )
    return match.group(1)


def _split(model_args: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Group the ``backbone_``/``decoder_``/``head_`` options; refuse unknown top-level options."""
    groups: dict[str, dict[str, Any]] = {"backbone": {}, "decoder": {}, "head": {}, "": {}}
    for key, value in model_args.items():
        for prefix in ("backbone_", "decoder_", "head_"):
            if key.startswith(prefix):
                groups[prefix[:-1]][key[len(prefix) :]] = value
                break
        else:
            groups[""][key] = value
    known = {"backbone", "decoder", "necks", "num_classes", "rescale"}
    extra = sorted(set(groups[""]) - known)
    if extra:
        raise InputError(tr("Model option(s) {0} are not supported.").format(", ".join(extra)))
    return groups


def _refuse_unknown(kind: str, given: Mapping[str, Any], known: Sequence[str]) -> None:
    extra = sorted(set(given) - set(known))
    if extra:
        raise InputError(
            tr("{0} option(s) {1} are not supported.").format(kind, ", ".join((f"{kind}_{k}" for k in extra)))
        )


def _build_encoder(size: str, opts: Mapping[str, Any], pretrained: bool | None) -> tuple[nn.Module, int]:
    from ..terramind.encoder import TerraMindViT, build_backbone
    from ..terramind.registry import config_for

    _refuse_unknown("backbone", opts, [*_BACKBONE_ARGS, *_TEMPORAL_ARGS])
    kwargs = {k: v for k, v in opts.items() if k in _BACKBONE_ARGS}
    kwargs.setdefault("merge_method", "mean")
    if kwargs["merge_method"] not in _MERGES:
        raise InputError(
            tr("backbone_merge_method={0!r} is not supported for segmentation; use one of {1}.").format(
                kwargs["merge_method"], ", ".join(_MERGES)
            )
        )
    if pretrained is not None:
        kwargs["pretrained"] = pretrained
        if not pretrained:
            kwargs.pop("ckpt_path", None)
    if kwargs.get("pretrained") or kwargs.get("ckpt_path"):
        backbone = build_backbone(size, **kwargs)
    else:  # no .to()/.eval() here: the model may be under construction on ``meta``
        backbone = TerraMindViT(
            config_for(size), kwargs.get("modalities") or ["S2L2A"], kwargs["merge_method"]
        )
        if kwargs.get("bands"):
            backbone.select_bands(kwargs["bands"])
    if not opts.get("use_temporal", False):
        unused = [f"backbone_{k}" for k in _TEMPORAL_ARGS[1:] if opts.get(k) is not None]
        if unused:
            raise InputError(tr("{0} need backbone_use_temporal: true.").format(", ".join(unused)))
        return backbone, config_for(size).patch_size
    pooling = opts.get("temporal_pooling", "mean")
    if pooling == "keep":
        raise InputError(
            tr(
                "backbone_temporal_pooling='keep' returns per-date features; "
                "segmentation decoders need one map."
            )
        )
    wrapper = TemporalWrapper(
        backbone, pooling, opts.get("temporal_n_timestamps"), opts.get("temporal_subset_lengths")
    )
    return wrapper, config_for(size).patch_size


def build_task_model(model_args: Mapping[str, Any], *, pretrained_backbone: bool | None = None) -> TaskModel:
    """Build a segmentation model from a TerraTorch ``model_args`` block, in eval mode on the CPU.

    Args:
        model_args: e.g. ``{"backbone": "terramind_v1_base", "backbone_modalities": [...],
            "backbone_use_temporal": True, "backbone_temporal_pooling": "concat", ..., "necks": [...],
            "decoder": "UNetDecoder", "decoder_channels": [...], "head_dropout": 0.1, "num_classes": 2}``.
        pretrained_backbone: override ``backbone_pretrained`` (``False`` when a fine-tuned checkpoint
            will provide every weight anyway).

    Raises:
        InputError: an unsupported backbone, neck, decoder or option (named in the message).
    """
    size = backbone_size(model_args)
    groups = _split(model_args)
    encoder, patch_size = _build_encoder(size, groups["backbone"], pretrained_backbone)
    neck, channels = build_necks(model_args.get("necks") or [], encoder.out_channels)
    name = model_args.get("decoder", "FCNDecoder")
    if name not in DECODERS:
        raise InputError(
            tr("decoder={0!r} is not supported; supported decoders: {1}.").format(name, ", ".join(DECODERS))
        )
    try:
        decoder = DECODERS[name](channels, **groups["decoder"])
    except TypeError:
        raise InputError(
            tr("{0} does not take option(s) {1}.").format(name, sorted(groups["decoder"]))
        ) from None
    num_classes = model_args.get("num_classes")
    if not isinstance(num_classes, int) or num_classes < 1:
        raise InputError(
            tr("num_classes must be a positive integer for segmentation, got {0!r}.").format(num_classes)
        )
    _refuse_unknown("head", groups["head"], _HEAD_ARGS)
    head = SegmentationHead(decoder.out_channels, num_classes, **groups["head"])
    model = TaskModel(
        encoder,
        neck,
        decoder,
        head,
        patch_size=patch_size,
        rescale=bool(model_args.get("rescale", True)),
        model_args=model_args,
    )
    return model.eval()
