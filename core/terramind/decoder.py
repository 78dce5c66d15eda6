"""The TerraMind encoder-decoder used for generation (docs/model.md §6.1).

The encoder embeds the visible inputs (``x + pos/mod emb``), runs the pre-norm blocks and
``encoder_norm``. The decoder queries of a target modality are ``mask_token + pos/mod emb`` of its
token grid; they self-attend (no mask) and cross-attend to ``decoder_proj_context(h) + emb``, and
``decoder_norm`` output is projected onto the tied token embedding to give logits. Attribute names
(``mask_token``, ``encoder_embeddings``, ``decoder_embeddings``, ``encoder``, ``encoder_norm``,
``decoder_proj_context``, ``decoder``, ``decoder_norm``) are the official checkpoint keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import torch
from torch import nn

from .layers import Block, DecoderBlock, LayerNorm
from .registry import TerraMindConfig

__all__ = ["EncodedContext", "TerraMind"]


class EncodedContext(NamedTuple):
    """Encoder result.

    Attributes:
        h: (B, M, D) ``encoder_norm`` output over the visible tokens (inputs in dict order).
        emb: (B, M, D) positional + modality embeddings of the same tokens.
    """

    h: torch.Tensor
    emb: torch.Tensor


class TerraMind(nn.Module):
    """Encoder-decoder over modality tokens.

    Args:
        config: size hyper-parameters.
        encoder_embeddings: modality key -> encoder embedding (inputs, then chained outputs).
        decoder_embeddings: modality key -> ``ImageTokenDecoderEmbedding`` of every output.
    """

    def __init__(
        self,
        config: TerraMindConfig,
        encoder_embeddings: Mapping[str, nn.Module],
        decoder_embeddings: Mapping[str, nn.Module],
    ) -> None:
        super().__init__()
        D = config.dim
        self.config = config
        self.mask_token = nn.Parameter(torch.zeros(1, 1, D))
        nn.init.normal_(self.mask_token, std=0.02)
        self.encoder_embeddings = nn.ModuleDict(dict(encoder_embeddings))
        self.decoder_embeddings = nn.ModuleDict(dict(decoder_embeddings))
        self.encoder = nn.ModuleList(
            Block(**config.block_kwargs, norm_layer=LayerNorm) for _ in range(config.depth)
        )
        self.encoder_norm = LayerNorm(D)
        self.decoder_proj_context = nn.Linear(D, D)
        self.decoder = nn.ModuleList(
            DecoderBlock(**config.block_kwargs, norm_layer=LayerNorm) for _ in range(config.decoder_depth)
        )
        self.decoder_norm = LayerNorm(D)

    def encode(self, inputs: Mapping[str, torch.Tensor]) -> EncodedContext:
        """Encode visible inputs.

        Args:
            inputs: modality key -> standardised image (B, C, H, W) or token ids (B, h, w), in token order.

        Returns:
            :class:`EncodedContext` with (B, M, D) tensors, M the total token count.
        """
        parts = [self.encoder_embeddings[key](value) for key, value in inputs.items()]
        emb = torch.cat([p.emb for p in parts], dim=1)  # (B, M, D)
        x = torch.cat([p.x for p in parts], dim=1) + emb
        for block in self.encoder:
            x = block(x)
        return EncodedContext(self.encoder_norm(x), emb)

    def decode_logits(self, context: EncodedContext, target: str, grid: tuple[int, int]) -> torch.Tensor:
        """Predict the token logits of every position of a target modality in one pass.

        Args:
            context: encoder result.
            target: output modality key (in ``decoder_embeddings``).
            grid: (h, w) token grid of the target.

        Returns:
            (B, h*w, V) logits in row-major grid order.
        """
        emb = self.decoder_embeddings[target]
        ctx = self.decoder_proj_context(context.h) + context.emb  # (B, M, D)
        B = ctx.shape[0]
        y = (self.mask_token + emb.positional(tuple(grid))).expand(B, -1, -1)  # (B, N, D)
        for block in self.decoder:
            y = block(y, ctx)
        return emb.forward_logits(self.decoder_norm(y))
