"""Per-modality input/output embeddings and fixed sin-cos positions (docs/model.md §3.3-3.4, §5.1, §6.1).

Every embedding returns :class:`Embedded` ``(x, emb)``: ``x`` the token content (B, N, D) and ``emb`` the
positional + modality embedding (B, N, D); the encoder adds them. Attribute names (``mod_emb``,
``pos_emb``, ``proj``, ``token_emb``, ``to_logits``) are the checkpoint contract. ``pos_emb`` is a
persistent buffer because the official checkpoints store it and the reference keeps the stored values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from ..errors import InputError
from ..i18n import tr

__all__ = [
    "Embedded",
    "build_2d_sincos_posemb",
    "build_1d_sincos_posemb",
    "interpolate_pos_emb",
    "ImageEncoderEmbedding",
    "ImageTokenEncoderEmbedding",
    "ImageTokenDecoderEmbedding",
    "SequenceEncoderEmbedding",
    "SequenceDecoderEmbedding",
]


class Embedded(NamedTuple):
    """Output of an embedding module.

    Attributes:
        x: token content, (B, N, D).
        emb: positional + modality embedding, (B, N, D).
    """

    x: torch.Tensor
    emb: torch.Tensor


def build_2d_sincos_posemb(h: int, w: int, dim: int, temperature: float = 10000.0) -> torch.Tensor:
    """Fixed 2-D sin-cos table (docs/model.md §5.1), float32 (1, h*w, D).

    Channel blocks of width D/4: sin(i*omega), cos(i*omega), sin(j*omega), cos(j*omega) with
    ``omega_k = temperature ** -(k / (D/4))``, where (i, j) runs over ``meshgrid(arange(w), arange(h),
    indexing="ij")`` flattened, i.e. i is the row index of the (square) token grid.
    """
    if dim % 4:
        raise ValueError(f"2-D sin-cos embedding needs dim divisible by 4, got {dim}")
    grid_i, grid_j = torch.meshgrid(
        torch.arange(w, dtype=torch.float32), torch.arange(h, dtype=torch.float32), indexing="ij"
    )  # each (w, h)
    pos_dim = dim // 4
    omega = 1.0 / (temperature ** (torch.arange(pos_dim, dtype=torch.float32) / pos_dim))  # (D/4,)
    out_i = grid_i.reshape(-1, 1) * omega[None]  # (N, D/4)
    out_j = grid_j.reshape(-1, 1) * omega[None]  # (N, D/4)
    table = torch.cat([out_i.sin(), out_i.cos(), out_j.sin(), out_j.cos()], dim=1)  # (N, D)
    return table.unsqueeze(0)


def build_1d_sincos_posemb(max_len: int, dim: int, temperature: float = 10000.0) -> torch.Tensor:
    """Fixed 1-D sin-cos table, float32 (1, max_len, D): ``[sin(p*omega), cos(p*omega)]``, omega over D/2."""
    if dim % 2:
        raise ValueError(f"1-D sin-cos embedding needs an even dim, got {dim}")
    pos_dim = dim // 2
    omega = 1.0 / (temperature ** (torch.arange(pos_dim, dtype=torch.float32) / pos_dim))  # (D/2,)
    out = torch.arange(max_len, dtype=torch.float32).reshape(-1, 1) * omega[None]  # (L, D/2)
    return torch.cat([out.sin(), out.cos()], dim=1).unsqueeze(0)


def interpolate_pos_emb(pos_emb: torch.Tensor, grid: tuple[int, int]) -> torch.Tensor:
    """Resize a square (1, n*n, D) table to a (gh, gw) token grid with bicubic interpolation.

    Matches the reference (``F.interpolate(mode="bicubic", align_corners=False)``, the sin-cos is not
    recomputed). Computed in float32 and returned in the table's dtype, (1, gh*gw, D).
    """
    _, n0, dim = pos_emb.shape
    side = math.isqrt(n0)
    table = pos_emb.float().reshape(1, side, side, dim).permute(0, 3, 1, 2)  # (1, D, n, n)
    table = F.interpolate(table, size=grid, mode="bicubic", align_corners=False)  # (1, D, gh, gw)
    return table.permute(0, 2, 3, 1).reshape(1, grid[0] * grid[1], dim).to(pos_emb.dtype)


class _GridPositions(nn.Module):
    """Shared part of the image embeddings: ``mod_emb`` (1, 1, D) and a 2-D sin-cos ``pos_emb`` buffer."""

    def __init__(self, dim: int, patch_size: int, image_size: int) -> None:
        super().__init__()
        self.dim = dim
        self.patch_size = patch_size
        self.grid_size = (image_size // patch_size, image_size // patch_size)
        self.mod_emb = nn.Parameter(torch.zeros(1, 1, dim))
        nn.init.normal_(self.mod_emb, std=0.02)
        self.register_buffer("pos_emb", build_2d_sincos_posemb(*self.grid_size, dim), persistent=True)

    def positional(self, grid: tuple[int, int]) -> torch.Tensor:
        """Positional + modality embedding for a (gh, gw) token grid, (1, gh*gw, D)."""
        pos = self.pos_emb if tuple(grid) == self.grid_size else interpolate_pos_emb(self.pos_emb, grid)
        return pos + self.mod_emb


class ImageEncoderEmbedding(_GridPositions):
    """Patch embedding of a raw image: (B, C, H, W) -> tokens (B, H/16 * W/16, D) (docs/model.md §3.3).

    Patches are flattened channel-fastest: weight column ``(ph * P + pw) * C + c`` multiplies pixel
    (ph, pw) of channel c; ``proj`` has no bias.

    Args:
        num_channels: input channels C.
        dim: token width D.
        patch_size: patch side P in pixels (16).
        image_size: construction image side; sets the ``pos_emb`` grid (224 -> 14x14).
    """

    def __init__(self, num_channels: int, dim: int, patch_size: int = 16, image_size: int = 224) -> None:
        super().__init__(dim, patch_size, image_size)
        self.num_channels = num_channels
        self.proj = nn.Linear(num_channels * patch_size * patch_size, dim, bias=False)

    def forward(self, x: torch.Tensor) -> Embedded:
        """(B, C, H, W) with H, W multiples of P -> :class:`Embedded` of (B, N, D).

        In float32 the patches are laid out as the weight's columns. With weights in a reduced precision
        they are laid out channel-major, (c, ph, pw), which keeps rows of P pixels contiguous: one fast
        copy that also converts the dtype, against a conversion plus a slow channel-fastest copy. The
        weight's columns are put in the same order, so the products are the same.
        """
        B, C, H, W = x.shape
        P, weight = self.patch_size, self.proj.weight
        gh, gw = H // P, W // P
        if weight.dtype == torch.float32:  # patches (B, gh, gw, P, P, C)
            patches = x.to(weight.dtype).reshape(B, C, gh, P, gw, P).permute(0, 2, 4, 3, 5, 1)
            tokens = self.proj(patches.reshape(B, gh * gw, P * P * C))  # (B, N, D)
        else:
            view = x.reshape(B, C, gh, P, gw, P).permute(0, 2, 4, 1, 3, 5)  # (B, gh, gw, C, P, P)
            patches = torch.empty(view.shape, dtype=weight.dtype, device=weight.device).copy_(view)
            by_channel = weight.reshape(self.dim, P, P, C).permute(0, 3, 1, 2).reshape(self.dim, C * P * P)
            tokens = F.linear(patches.reshape(B, gh * gw, C * P * P), by_channel)  # (B, N, D)
        return Embedded(tokens, self.positional((gh, gw)).expand(B, -1, -1))

    def select_bands(self, bands: Sequence[str], pretrained_bands: Sequence[str]) -> None:
        """Replace ``proj`` by one for ``bands``, a subset or permutation of the bands (model.md §3.4).

        Column block i of the new (D, P*P, len(bands)) weight view is block
        ``pretrained_bands.index(bands[i])`` of the current weight, copied exactly.

        Raises:
            InputError: a band is not in ``pretrained_bands`` or ``bands`` is empty.
        """
        unknown = [b for b in bands if b not in pretrained_bands]
        if unknown or not bands:
            raise InputError(
                tr("Unknown band(s) {0}; valid bands in pretrained order: {1}.").format(
                    unknown or list(bands), ", ".join(pretrained_bands)
                )
            )
        if len(pretrained_bands) != self.num_channels:
            raise ValueError(
                f"{len(pretrained_bands)} pretrained bands for a {self.num_channels}-channel embedding"
            )
        idx = torch.tensor([list(pretrained_bands).index(b) for b in bands], device=self.proj.weight.device)
        old = self.proj.weight.detach().reshape(self.dim, -1, self.num_channels)  # (D, P*P, C_old)
        new = nn.Linear(old.shape[1] * len(bands), self.dim, bias=False).to(old.device, old.dtype)
        with torch.no_grad():
            new.weight.copy_(old.index_select(2, idx).reshape(self.dim, -1))  # (D, P*P*C_new)
        self.proj = new
        self.num_channels = len(bands)


def _token_grid(ids: torch.Tensor) -> tuple[torch.Tensor, tuple[int, int]]:
    """Token ids (B, h, w) or (B, N with N a square) -> flat ids (B, N) and the grid (h, w)."""
    B = ids.shape[0]
    if ids.dim() == 3:
        return ids.reshape(B, -1), (ids.shape[1], ids.shape[2])
    side = math.isqrt(ids.shape[1])
    if side * side != ids.shape[1]:
        raise InputError(
            tr("A flat token sequence must have a square length; got {0} tokens.").format(ids.shape[1])
        )
    return ids, (side, side)


class ImageTokenEncoderEmbedding(_GridPositions):
    """Embedding of FSQ token ids of an image modality: (B, h, w) ids -> (B, h*w, D) (docs/model.md §3.3).

    Args:
        vocab_size: token vocabulary V.
        dim: token width D.
        patch_size: pixels per token side (16).
        image_size: construction image side (sets the ``pos_emb`` grid).
    """

    def __init__(self, vocab_size: int, dim: int, patch_size: int = 16, image_size: int = 224) -> None:
        super().__init__(dim, patch_size, image_size)
        self.vocab_size = vocab_size
        self.token_emb = nn.Embedding(vocab_size, dim)

    def forward(self, ids: torch.Tensor) -> Embedded:
        """ids (B, h, w) or (B, N) integer -> :class:`Embedded` of (B, N, D)."""
        flat, grid = _token_grid(ids)
        return Embedded(self.token_emb(flat), self.positional(grid).expand(flat.shape[0], -1, -1))


class ImageTokenDecoderEmbedding(ImageTokenEncoderEmbedding):
    """Decoder-side embedding of an image token modality with tied output logits (docs/model.md §6.1).

    ``to_logits.weight`` is the very Parameter ``token_emb.weight``. Arguments as the encoder's.
    """

    def __init__(self, vocab_size: int, dim: int, patch_size: int = 16, image_size: int = 224) -> None:
        super().__init__(vocab_size, dim, patch_size, image_size)
        self.to_logits = nn.Linear(dim, vocab_size, bias=False)
        self.to_logits.weight = self.token_emb.weight

    def forward_embed(self, ids: torch.Tensor) -> Embedded:
        """ids (B, h, w) or (B, N) -> :class:`Embedded` of (B, N, D)."""
        return self.forward(ids)

    def forward_logits(self, x: torch.Tensor) -> torch.Tensor:
        """Decoder output (B, M, D) -> logits (B, M, V)."""
        return self.to_logits(x)


def _sequence_positions(pos_emb: torch.Tensor, mask: torch.Tensor, max_length: int) -> torch.Tensor:
    """Positions = running count of unmasked tokens; masked tokens get zero (B, L, D)."""
    B, L = mask.shape
    pos_id = (~mask).long().cumsum(dim=1) - 1  # (B, L)
    pos_id = pos_id.masked_fill(mask | (pos_id >= max_length), 0)
    pos = pos_emb[0][pos_id]  # (B, L, D)
    return pos.masked_fill(mask.unsqueeze(-1), 0.0)


class SequenceEncoderEmbedding(nn.Module):
    """Embedding of a token sequence such as coordinates (docs/model.md §3.3).

    The ``pos_emb`` buffer keeps the reference shape (1, 512, D) (its ``[:max_length]`` slices the batch
    axis), which the checkpoints store.

    Args:
        vocab_size: vocabulary V (30000 for coords).
        max_length: sequence length used (4 for coords).
        dim: token width D.
        max_sincos: rows of the 1-D sin-cos table (512).
        padding_idx: id of the padding token.
    """

    def __init__(
        self, vocab_size: int, max_length: int, dim: int, max_sincos: int = 512, padding_idx: int = 0
    ) -> None:
        super().__init__()
        self.max_length = max_length
        self.register_buffer("pos_emb", build_1d_sincos_posemb(max_sincos, dim), persistent=True)
        self.mod_emb = nn.Parameter(torch.zeros(1, 1, dim))
        nn.init.normal_(self.mod_emb, std=0.02)
        self.token_emb = nn.Embedding(vocab_size, dim, padding_idx=padding_idx)

    def forward(self, ids: torch.Tensor, input_mask: torch.Tensor | None = None) -> Embedded:
        """ids (B, L); ``input_mask`` bool (B, L), True = not a valid input token -> :class:`Embedded`."""
        mask = torch.zeros_like(ids, dtype=torch.bool) if input_mask is None else input_mask.bool()
        pos = _sequence_positions(self.pos_emb, mask, self.pos_emb.shape[1])
        return Embedded(self.token_emb(ids), pos + self.mod_emb)


class SequenceDecoderEmbedding(SequenceEncoderEmbedding):
    """Decoder-side sequence embedding with tied ``to_logits`` (model.md §6.1); arguments as the encoder's."""

    def __init__(
        self, vocab_size: int, max_length: int, dim: int, max_sincos: int = 512, padding_idx: int = 0
    ) -> None:
        super().__init__(vocab_size, max_length, dim, max_sincos, padding_idx)
        self.to_logits = nn.Linear(dim, vocab_size, bias=False)
        self.to_logits.weight = self.token_emb.weight

    def forward_embed(self, ids: torch.Tensor, target_mask: torch.Tensor) -> Embedded:
        """ids (B, L); ``target_mask`` bool (B, L), True = not a target position -> :class:`Embedded`."""
        pos = _sequence_positions(self.pos_emb, target_mask.bool(), self.max_length)
        return Embedded(self.token_emb(ids), pos + self.mod_emb)

    def forward_logits(self, x: torch.Tensor) -> torch.Tensor:
        """Decoder output (B, M, D) -> logits (B, M, V)."""
        return self.to_logits(x)
