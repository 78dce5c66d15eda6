"""Decoders of TerraTorch segmentation models: ``UNetDecoder``, ``UperNetDecoder``, ``FCNDecoder``.

Weight-compatible with TerraTorch (attribute names are the checkpoint keys). ``UNetDecoder`` follows
TerraTorch's wrapper around segmentation_models_pytorch's ``UnetDecoder`` (smp >= 0.5): the first feature map
is duplicated, smp drops the first entry, and block i upsamples (nearest) to the size of the i-th next map,
so the last block stays at the size of the first (largest) map.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ..errors import InputError
from ..i18n import tr

__all__ = ["UNetDecoder", "UperNetDecoder", "FCNDecoder", "DECODERS"]


def _conv_norm_relu(cin: int, cout: int, kernel: int, batchnorm: bool) -> nn.Sequential:
    """smp ``Conv2dReLU``: conv (bias only without norm) -> BatchNorm or identity -> ReLU."""
    return nn.Sequential(
        nn.Conv2d(cin, cout, kernel, padding=kernel // 2, bias=not batchnorm),
        nn.BatchNorm2d(cout) if batchnorm else nn.Identity(),
        nn.ReLU(),
    )


class _UNetBlock(nn.Module):
    """Upsample (nearest) to a target size, concatenate the skip, two conv-norm-ReLU."""

    def __init__(self, cin: int, skip: int, cout: int, batchnorm: bool) -> None:
        super().__init__()
        self.conv1 = _conv_norm_relu(cin + skip, cout, 3, batchnorm)
        self.conv2 = _conv_norm_relu(cout, cout, 3, batchnorm)

    def forward(self, x: torch.Tensor, size: Sequence[int], skip: torch.Tensor | None) -> torch.Tensor:
        x = F.interpolate(x, size=tuple(size), mode="nearest")
        if skip is not None:
            x = torch.cat([x, skip], dim=1)
        return self.conv2(self.conv1(x))


class _SmpUnetDecoder(nn.Module):
    """The ``blocks`` of smp's ``UnetDecoder`` without centre block or attention."""

    def __init__(self, encoder_channels: Sequence[int], channels: Sequence[int], batchnorm: bool) -> None:
        super().__init__()
        enc = list(encoder_channels[1:])[::-1]  # smp drops the first map, then goes from the deepest
        cins = [enc[0], *channels[:-1]]
        skips = [*enc[1:], 0]
        self.blocks = nn.ModuleList(
            _UNetBlock(cin, skip, cout, batchnorm) for cin, skip, cout in zip(cins, skips, channels)
        )

    def forward(self, features: list[torch.Tensor]) -> torch.Tensor:
        sizes = [f.shape[2:] for f in features][::-1]
        feats = features[1:][::-1]
        x, skips = feats[0], feats[1:]
        for i, block in enumerate(self.blocks):
            x = block(x, sizes[i + 1], skips[i] if i < len(skips) else None)
        return x


class UNetDecoder(nn.Module):
    """TerraTorch ``UNetDecoder``: smp's U-Net decoder on the pyramid, first map duplicated.

    Args:
        embed_dim: channels of each input map, finest first (one per decoder block).
        channels: output channels of each block.
        use_batchnorm: ``True``/``"batchnorm"`` (default) or ``False`` (conv with bias, no norm).
        attention_type: only ``None`` is supported.
    """

    def __init__(
        self,
        embed_dim: Sequence[int],
        channels: Sequence[int],
        use_batchnorm: bool | str = "batchnorm",
        attention_type: str | None = None,
    ) -> None:
        super().__init__()
        if len(embed_dim) != len(channels):
            raise InputError(
                tr("decoder_channels {0} needs one entry per feature map ({1}).").format(
                    list(channels), len(embed_dim)
                )
            )
        if use_batchnorm not in (True, False, "batchnorm"):
            raise InputError(
                tr("decoder_use_batchnorm={0!r} is not supported (True or False).").format(use_batchnorm)
            )
        if attention_type is not None:
            raise InputError(
                tr("decoder_attention_type={0!r} is not supported (only None).").format(attention_type)
            )
        batchnorm = use_batchnorm is not False
        self.decoder = _SmpUnetDecoder([embed_dim[0], *embed_dim], list(channels), batchnorm)
        self.out_channels = channels[-1]

    def forward(self, x: list[torch.Tensor]) -> torch.Tensor:
        return self.decoder([x[0], *x])


class _ConvModule(nn.Module):
    """Conv (no bias) -> BatchNorm -> ReLU with TerraTorch's names ``conv``/``norm``."""

    def __init__(self, cin: int, cout: int, kernel: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, padding=kernel // 2, bias=False)
        self.norm = nn.BatchNorm2d(cout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.norm(self.conv(x)))


class UperNetDecoder(nn.Module):
    """TerraTorch ``UperNetDecoder`` (mmseg UPerHead): pyramid pooling on the last map + FPN fusion.

    Args:
        embed_dim: channels of each input map, finest first.
        pool_scales: output sizes of the adaptive average pools on the last map.
        channels: width of every lateral/FPN conv and of the output.
        align_corners: of every bilinear resize.
        scale_modules: only ``False`` is supported.
    """

    def __init__(
        self,
        embed_dim: Sequence[int],
        pool_scales: Sequence[int] = (1, 2, 3, 6),
        channels: int = 256,
        align_corners: bool = True,
        scale_modules: bool = False,
    ) -> None:
        super().__init__()
        if scale_modules:
            raise InputError(tr("decoder_scale_modules=True is not supported."))
        self.align_corners = bool(align_corners)
        self.psp_modules = nn.ModuleList(
            nn.Sequential(nn.AdaptiveAvgPool2d(s), _ConvModule(embed_dim[-1], channels, 1))
            for s in pool_scales
        )
        self.bottleneck = _ConvModule(embed_dim[-1] + len(pool_scales) * channels, channels, 3)
        self.lateral_convs = nn.ModuleList(_ConvModule(c, channels, 1) for c in embed_dim[:-1])
        self.fpn_convs = nn.ModuleList(_ConvModule(channels, channels, 3) for _ in embed_dim[:-1])
        self.fpn_bottleneck = _ConvModule(len(embed_dim) * channels, channels, 3)
        self.out_channels = channels

    def _resize(self, x: torch.Tensor, size: Sequence[int]) -> torch.Tensor:
        return F.interpolate(x, size=tuple(size), mode="bilinear", align_corners=self.align_corners)

    def forward(self, x: list[torch.Tensor]) -> torch.Tensor:
        top = x[-1]
        psp = [top, *(self._resize(m(top), top.shape[2:]) for m in self.psp_modules)]
        laterals = [conv(f) for conv, f in zip(self.lateral_convs, x)]
        laterals.append(self.bottleneck(torch.cat(psp, dim=1)))
        for i in range(len(laterals) - 1, 0, -1):  # top-down path
            laterals[i - 1] = laterals[i - 1] + self._resize(laterals[i], laterals[i - 1].shape[2:])
        outs = [conv(lat) for conv, lat in zip(self.fpn_convs, laterals)] + [laterals[-1]]
        size = outs[0].shape[2:]
        outs = [outs[0], *(self._resize(o, size) for o in outs[1:])]
        return self.fpn_bottleneck(torch.cat(outs, dim=1))


class _LayerNorm2d(nn.Module):
    """LayerNorm over channels of (B, C, H, W) (key ``ln``), eps 1e-6."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.ln = nn.LayerNorm(channels, eps=1e-6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.ln(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2).contiguous()


class FCNDecoder(nn.Module):
    """TerraTorch ``FCNDecoder``: ``num_convs`` x (2x ConvT -> 3x3 conv -> LayerNorm -> GELU) on one map.

    Args:
        embed_dim: channels of each input map.
        channels: width of every block.
        num_convs: number of 2x upsampling blocks (>= 1).
        in_index: which input map to decode.
    """

    def __init__(
        self, embed_dim: Sequence[int], channels: int = 256, num_convs: int = 4, in_index: int = -1
    ) -> None:
        super().__init__()
        if num_convs < 1:
            raise InputError(tr("decoder_num_convs={0} must be at least 1.").format(num_convs))
        self.in_index = in_index
        cin = embed_dim[in_index]
        blocks = []
        for i in range(num_convs):
            blocks.append(
                nn.Sequential(
                    nn.ConvTranspose2d(cin if i == 0 else channels, channels, kernel_size=2, stride=2),
                    nn.Conv2d(channels, channels, kernel_size=3, padding=1),
                    _LayerNorm2d(channels),
                    nn.GELU(),
                )
            )
        self.convs = nn.Sequential(*blocks)
        self.out_channels = channels

    def forward(self, x: list[torch.Tensor]) -> torch.Tensor:
        return self.convs(x[self.in_index])


#: Decoder name (as in TerraTorch configs) -> class.
DECODERS: dict[str, type[nn.Module]] = {c.__name__: c for c in (UNetDecoder, UperNetDecoder, FCNDecoder)}
