"""Sigmoid-bounded finite scalar quantisation (FSQ) of the TerraMind tokenizers (docs/model.md §7.2).

Each of the 5 latent channels is squashed with a sigmoid and rounded to one of ``L_j`` levels; the code
is ``q_j / (L_j - 1)`` in [0, 1] and the token id is ``sum_j q_j * basis_j`` with channel 0 varying
fastest (basis = cumprod([1, L_0, ..., L_3])).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch
from torch import nn

#: FSQ levels of the v1 image tokenizers (vocabulary 15360).
IMAGE_LEVELS = (8, 8, 8, 6, 5)
#: FSQ levels of the v1 LULC tokenizer (vocabulary 4375).
LULC_LEVELS = (7, 5, 5, 5, 5)


class Quantized(NamedTuple):
    """Result of :meth:`FiniteScalarQuantizer.quantize`.

    Attributes:
        codes: (B, L, h, w) float32 code vectors in [0, 1].
        tokens: (B, h, w) int32 token ids.
    """

    codes: torch.Tensor
    tokens: torch.Tensor


class FiniteScalarQuantizer(nn.Module):
    """FSQ with sigmoid bounding and round-half-to-even.

    Args:
        levels: number of levels per latent channel, e.g. ``(8, 8, 8, 6, 5)``.
    """

    def __init__(self, levels: Sequence[int]) -> None:
        super().__init__()
        levels_t = torch.tensor([int(v) for v in levels], dtype=torch.int32)
        basis = torch.cumprod(torch.tensor([1] + [int(v) for v in levels[:-1]]), dim=0).to(torch.int32)
        self.register_buffer("levels", levels_t, persistent=False)
        self.register_buffer("basis", basis, persistent=False)
        self.vocab_size = math.prod(int(v) for v in levels)

    def quantize(self, latent: torch.Tensor) -> Quantized:
        """Quantise latents.

        Args:
            latent: (B, L, h, w) output of the tokenizer's ``quant_proj``.

        Returns:
            codes (B, L, h, w) in [0, 1] and token ids (B, h, w) int32.
        """
        z = latent.movedim(1, -1)  # (B, h, w, L)
        number = torch.round(torch.sigmoid(z) * (self.levels - 1))
        codes = number / (self.levels - 1)
        tokens = (number * self.basis).sum(dim=-1).to(torch.int32)
        return Quantized(codes.movedim(-1, 1), tokens)

    def codes_from_tokens(self, tokens: torch.Tensor) -> torch.Tensor:
        """Convert token ids back to code vectors.

        Args:
            tokens: (B, h, w) integer token ids in [0, vocab_size).

        Returns:
            (B, L, h, w) float32 codes in [0, 1].
        """
        number = (tokens.long().unsqueeze(-1) // self.basis) % self.levels  # (B, h, w, L)
        return (number / (self.levels - 1)).to(torch.float32).movedim(-1, 1)

    def forward(self, latent: torch.Tensor) -> Quantized:
        """Alias of :meth:`quantize`."""
        return self.quantize(latent)
