"""TerraTorch necks between a ViT backbone and a convolutional decoder (``terratorch.models.necks``).

Each neck maps a list of feature maps to a list of feature maps and reports the channel list it produces
(``out_channels(channels_in)``); only ``LearnedInterpolateToPyramidal`` has weights.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from ..errors import InputError
from ..i18n import tr

__all__ = [
    "SelectIndices",
    "ReshapeTokensToImage",
    "InterpolateToPyramidal",
    "LearnedInterpolateToPyramidal",
    "NECKS",
    "build_necks",
]


class SelectIndices(nn.Module):
    """Keep the feature maps at ``indices`` (negative indices count from the end)."""

    def __init__(self, channels: Sequence[int], indices: Sequence[int]) -> None:
        super().__init__()
        n = len(channels)
        bad = [i for i in indices if not -n <= i < n]
        if bad or not indices:
            raise InputError(
                tr("SelectIndices indices {0} do not fit the backbone's {1} layers.").format(list(indices), n)
            )
        self.indices = [int(i) for i in indices]
        self.out_channels = [channels[i] for i in self.indices]

    def forward(self, features: list[torch.Tensor]) -> list[torch.Tensor]:
        return [features[i] for i in self.indices]


class ReshapeTokensToImage(nn.Module):
    """(B, N, D) tokens of a square grid -> (B, D, h, w) images (h = w = sqrt(N), row-major tokens).

    Args:
        remove_cls_token: drop the first token first (TerraMind has none; its configs set ``False``).
        effective_time_dim: tokens hold ``t`` consecutive grids; their channels are stacked date-major.
    """

    def __init__(
        self, channels: Sequence[int], remove_cls_token: bool = True, effective_time_dim: int = 1
    ) -> None:
        super().__init__()
        self.remove_cls_token = bool(remove_cls_token)
        self.effective_time_dim = int(effective_time_dim)
        self.out_channels = [c * self.effective_time_dim for c in channels]

    def forward(self, features: list[torch.Tensor]) -> list[torch.Tensor]:
        out = []
        for x in features:
            if self.remove_cls_token:
                x = x[:, 1:]
            B, N, D = x.shape
            t = self.effective_time_dim
            h = int(math.sqrt(N // t))
            if t * h * h != N:
                raise InputError(
                    tr("ReshapeTokensToImage: {0} tokens do not form {1} square grid(s).").format(N, t)
                )
            x = x.reshape(B, t, h, h, D).permute(0, 1, 4, 2, 3)  # (B, t, D, h, w)
            out.append(x.reshape(B, t * D, h, h))
        return out


class InterpolateToPyramidal(nn.Module):
    """Upsample map i of n by ``scale_factor ** (n - i)`` so that the list becomes a pyramid."""

    def __init__(self, channels: Sequence[int], scale_factor: int = 2, mode: str = "nearest") -> None:
        super().__init__()
        self.scale_factor = scale_factor
        self.mode = mode
        self.out_channels = list(channels)

    def forward(self, features: list[torch.Tensor]) -> list[torch.Tensor]:
        n = len(features)
        return [
            F.interpolate(x, scale_factor=self.scale_factor ** (n - i), mode=self.mode)
            for i, x in enumerate(features)
        ]


class LearnedInterpolateToPyramidal(nn.Module):
    """Four maps of one resolution -> strides 1/4, 1/2, 1 and 2 of it (learned up-convolutions).

    ``fpn1``: ConvT(C, C/2) -> BN -> GELU -> ConvT(C/2, C/4); ``fpn2``: ConvT(C, C/2); ``fpn3``: identity;
    ``fpn4``: 2x2 max-pool. Attribute names are TerraTorch's checkpoint keys.
    """

    def __init__(self, channels: Sequence[int]) -> None:
        super().__init__()
        if len(channels) != 4:
            raise InputError(
                tr(
                    "LearnedInterpolateToPyramidal needs exactly 4 feature maps, "
                    "got {0}; select 4 layers with SelectIndices first."
                ).format(len(channels))
            )
        c0, c1, c2, c3 = channels
        self.fpn1 = nn.Sequential(
            nn.ConvTranspose2d(c0, c0 // 2, 2, 2),
            nn.BatchNorm2d(c0 // 2),
            nn.GELU(),
            nn.ConvTranspose2d(c0 // 2, c0 // 4, 2, 2),
        )
        self.fpn2 = nn.Sequential(nn.ConvTranspose2d(c1, c1 // 2, 2, 2))
        self.fpn3 = nn.Sequential(nn.Identity())
        self.fpn4 = nn.Sequential(nn.MaxPool2d(kernel_size=2, stride=2))
        self.out_channels = [c0 // 4, c1 // 2, c2, c3]

    def forward(self, features: list[torch.Tensor]) -> list[torch.Tensor]:
        return [fpn(x) for fpn, x in zip((self.fpn1, self.fpn2, self.fpn3, self.fpn4), features)]


#: Neck name (as in TerraTorch configs) -> class.
NECKS: dict[str, type[nn.Module]] = {
    cls.__name__: cls
    for cls in (SelectIndices, ReshapeTokensToImage, InterpolateToPyramidal, LearnedInterpolateToPyramidal)
}


def build_necks(
    specs: Sequence[Mapping[str, Any]], channels: Sequence[int]
) -> tuple[nn.Sequential, list[int]]:
    """Build the ``necks`` list of a config in order (an ``nn.Sequential``, keys ``neck.<i>.``).

    Returns:
        The necks and the channel list they produce.

    Raises:
        InputError: unknown neck name or argument.
    """
    modules, channels = [], list(channels)
    for spec in specs:
        args = dict(spec)
        name = args.pop("name", None)
        if name not in NECKS:
            raise InputError(
                tr("Neck {0!r} is not supported; supported necks: {1}.").format(name, ", ".join(NECKS))
            )
        try:
            neck = NECKS[name](channels, **args)
        except TypeError:
            raise InputError(
                tr("Neck {0} does not take the option(s) {1}.").format(name, sorted(args))
            ) from None
        modules.append(neck)
        channels = list(neck.out_channels)
    return nn.Sequential(*modules), channels
