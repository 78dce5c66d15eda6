"""Patched UNet of the TerraMind diffusion decoders (docs/model.md §7.3).

The noisy image (B, C, H, W) is patchified 4x4 channel-major to (B, 16C, H/4, W/4), the FSQ codes
(B, 5, h, w) are nearest-upsampled to that grid and concatenated after it, and an improved-diffusion
style UNet (model channels 256, multipliers 1-2-2-2, 3 res blocks per level, single-head attention at
down-sampling rates 4 and 8) predicts x0. Submodule names follow the official checkpoint keys
(``time_embed``, ``input_blocks``, ``middle_block``, ``output_blocks``, ``out``).
H and W must be multiples of 32 (4x patching, then 3 down-samplings).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

PATCH = 4
MODEL_CHANNELS = 256
CHANNEL_MULT = (1, 2, 2, 2)
NUM_RES_BLOCKS = 3
ATTENTION_RATES = (4, 8)


def timestep_embedding(t: torch.Tensor, dim: int, max_period: float = 10000.0) -> torch.Tensor:
    """Sinusoidal timestep embedding, cosines first.

    Args:
        t: (B,) timesteps (any numeric dtype).
        dim: even embedding width.

    Returns:
        (B, dim) float32.
    """
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class GroupNorm32(nn.GroupNorm):
    """GroupNorm(32 groups, eps 1e-5) computed in float32.

    A bfloat16 input on the CPU goes to torch's mixed-precision kernel, which computes the statistics
    and the normalisation in float32 with the float32 weights; elsewhere the input is converted to
    float32 and back (the kernels there need one dtype).
    """

    def __init__(self, channels: int) -> None:
        super().__init__(32, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dtype == torch.bfloat16 and x.device.type == "cpu" and self.weight.dtype == torch.float32:
            return F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)
        return super().forward(x.float()).type(x.dtype)


class ResBlock(nn.Module):
    """Residual block with additive timestep conditioning: (B, C_in, h, w) -> (B, C_out, h, w)."""

    def __init__(self, channels: int, out_channels: int, emb_channels: int) -> None:
        super().__init__()
        self.in_layers = nn.Sequential(
            GroupNorm32(channels), nn.SiLU(), nn.Conv2d(channels, out_channels, 3, padding=1)
        )
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb_channels, out_channels))
        self.out_layers = nn.Sequential(
            GroupNorm32(out_channels),
            nn.SiLU(),
            nn.Dropout(0.0),
            nn.Conv2d(out_channels, out_channels, 3, padding=1),
        )
        self.skip_connection = (
            nn.Identity() if out_channels == channels else nn.Conv2d(channels, out_channels, 1)
        )

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        h = self.in_layers(x)
        h = h + self.emb_layers(emb).type(h.dtype)[:, :, None, None]
        return self.skip_connection(x) + self.out_layers(h)


class AttentionBlock(nn.Module):
    """Single-head spatial self-attention with the legacy QKV layout (q, k, v stacked along channels).

    Uses ``scaled_dot_product_attention``; the reference scales q and k by ch^-1/4 each, which is the
    same product as SDPA's ch^-1/2 (equal up to float rounding).
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.norm = GroupNorm32(channels)
        self.qkv = nn.Conv1d(channels, channels * 3, 1)
        self.proj_out = nn.Conv1d(channels, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        flat = x.reshape(b, c, h * w)
        qkv = self.qkv(self.norm(flat))  # (B, 3C, T)
        q, k, v = qkv.transpose(1, 2).split(c, dim=-1)  # each (B, T, C)
        a = F.scaled_dot_product_attention(q, k, v)  # (B, T, C)
        return (flat + self.proj_out(a.transpose(1, 2))).reshape(b, c, h, w)


class Downsample(nn.Module):
    """Strided 3x3 convolution halving h and w."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.op = nn.Conv2d(channels, channels, 3, stride=2, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.op(x)


class Upsample(nn.Module):
    """Nearest x2 up-sampling followed by a 3x3 convolution."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


class TimestepSequential(nn.Sequential):
    """Sequential container passing the timestep embedding to its :class:`ResBlock` children."""

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        for layer in self:
            x = layer(x, emb) if isinstance(layer, ResBlock) else layer(x)
        return x


class PatchedUNet(nn.Module):
    """x0-predicting UNet on 4x4-patchified images, conditioned on FSQ codes by concatenation.

    Args:
        image_channels: C of the image (2 for S1, 12 for S2L2A, 1 for DEM/NDVI).
        cond_channels: channels of the code map (5).
    """

    def __init__(self, image_channels: int, cond_channels: int = 5) -> None:
        super().__init__()
        self.image_channels = image_channels
        mc, emb_dim = MODEL_CHANNELS, MODEL_CHANNELS * 4
        self.time_embed = nn.Sequential(nn.Linear(mc, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        in_ch = image_channels * PATCH * PATCH + cond_channels
        self.input_blocks = nn.ModuleList([TimestepSequential(nn.Conv2d(in_ch, mc, 3, padding=1))])
        skip_chans, ch, rate = [mc], mc, 1
        for level, mult in enumerate(CHANNEL_MULT):
            for _ in range(NUM_RES_BLOCKS):
                layers: list[nn.Module] = [ResBlock(ch, mult * mc, emb_dim)]
                ch = mult * mc
                if rate in ATTENTION_RATES:
                    layers.append(AttentionBlock(ch))
                self.input_blocks.append(TimestepSequential(*layers))
                skip_chans.append(ch)
            if level != len(CHANNEL_MULT) - 1:
                self.input_blocks.append(TimestepSequential(Downsample(ch)))
                skip_chans.append(ch)
                rate *= 2
        self.middle_block = TimestepSequential(
            ResBlock(ch, ch, emb_dim), AttentionBlock(ch), ResBlock(ch, ch, emb_dim)
        )
        self.output_blocks = nn.ModuleList()
        for level, mult in reversed(list(enumerate(CHANNEL_MULT))):
            for i in range(NUM_RES_BLOCKS + 1):
                layers = [ResBlock(ch + skip_chans.pop(), mult * mc, emb_dim)]
                ch = mult * mc
                if rate in ATTENTION_RATES:
                    layers.append(AttentionBlock(ch))
                if level and i == NUM_RES_BLOCKS:
                    layers.append(Upsample(ch))
                    rate //= 2
                self.output_blocks.append(TimestepSequential(*layers))
        self.out = nn.Sequential(
            GroupNorm32(ch), nn.SiLU(), nn.Conv2d(mc, image_channels * PATCH * PATCH, 3, padding=1)
        )

    def forward(self, sample: torch.Tensor, t: torch.Tensor | int, codes: torch.Tensor) -> torch.Tensor:
        """Predict x0.

        Args:
            sample: (B, C, H, W) noisy image, H and W multiples of 32.
            t: timestep (int or 0-d/1-d tensor, shared by the batch).
            codes: (B, 5, h, w) FSQ code map.

        Returns:
            (B, C, H, W) x0 prediction.
        """
        b, c, hh, ww = sample.shape
        nh, nw = hh // PATCH, ww // PATCH
        x = (
            sample.reshape(b, c, nh, PATCH, nw, PATCH)
            .permute(0, 1, 3, 5, 2, 4)
            .reshape(b, c * PATCH * PATCH, nh, nw)
        )
        x = torch.cat([x, F.interpolate(codes.to(x.dtype), (nh, nw), mode="nearest")], dim=1)
        t = torch.as_tensor(t, device=sample.device).reshape(-1)
        emb = self.time_embed(timestep_embedding(t, MODEL_CHANNELS).to(x.dtype))
        skips = []
        h = x
        for block in self.input_blocks:
            h = block(h, emb)
            skips.append(h)
        h = self.middle_block(h, emb)
        for block in self.output_blocks:
            h = block(torch.cat([h, skips.pop()], dim=1), emb)
        y = self.out(h)  # (B, 16C, nh, nw)
        return y.reshape(b, c, PATCH, PATCH, nh, nw).permute(0, 1, 4, 2, 5, 3).reshape(b, c, hh, ww)
