"""Transformer building blocks of TerraMind and its tokenizer ViTs (docs/model.md §5.3, §6.1).

Submodule attribute names (``qkv``, ``proj``, ``fc1``, ``norm1``, ``query_norm`` ...) are the checkpoint
contract and must not be renamed. Attention runs through ``F.scaled_dot_product_attention`` with the
reference scale ``head_dim ** -0.5``. Linears run through ``core.onednn.linear``: with bfloat16 weights on
the CPU, bias and activation are applied inside oneDNN's product; otherwise it is the module's own call.

Attention masks follow the reference convention: a bool tensor that is ``True`` where attention is
**blocked**, shaped (B, Nq, Nk) or (B, 1, Nk) (broadcast over heads). Blocked logits receive
``-finfo.max`` as in the reference ``masked_fill``, so fully blocked rows stay finite (uniform weights).
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

from ..onednn import linear

__all__ = [
    "LayerNorm",
    "Attention",
    "CrossAttention",
    "Mlp",
    "GatedMlp",
    "Block",
    "DecoderBlock",
    "gated_hidden_features",
]

NormFactory = Callable[[int], nn.Module]


class LayerNorm(nn.Module):
    """LayerNorm over the last dim whose bias can be a fixed zero buffer (docs/model.md §1.2).

    With ``bias=False`` the module still owns a persistent ``bias`` buffer of zeros, so the state_dict
    holds ``weight`` and ``bias`` exactly like the official checkpoints.

    Args:
        dim: normalised (last) dimension D.
        eps: variance epsilon; TerraMind uses 1e-6.
        bias: learnable bias Parameter if True, else a persistent zero buffer.
    """

    def __init__(self, dim: int, eps: float = 1e-6, bias: bool = False) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))
        if bias:
            self.bias = nn.Parameter(torch.zeros(dim))
        else:
            self.register_buffer("bias", torch.zeros(dim), persistent=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(..., D) -> (..., D)."""
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, self.eps)


def _additive_mask(mask: torch.Tensor | None, dtype: torch.dtype) -> torch.Tensor | None:
    """Bool mask (B, Nq|1, Nk), True = blocked -> additive float mask (B, 1, Nq|1, Nk) or None."""
    if mask is None:
        return None
    blocked = torch.zeros(mask.shape, dtype=dtype, device=mask.device)
    blocked = blocked.masked_fill(mask.bool(), -torch.finfo(dtype).max)
    return blocked.unsqueeze(1)  # (B, 1, Nq|1, Nk): same mask for every head


class Attention(nn.Module):
    """Multi-head self-attention with a fused qkv projection.

    Args:
        dim: token width D (a multiple of ``num_heads``).
        num_heads: number of heads; head dim = D / num_heads (64 in every TerraMind size).
        qkv_bias: bias in the ``qkv`` Linear (D -> 3D).
        proj_bias: bias in the output ``proj`` Linear (D -> D).
    """

    def __init__(self, dim: int, num_heads: int, qkv_bias: bool = True, proj_bias: bool = True) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"dim {dim} is not divisible by num_heads {num_heads}")
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim, bias=proj_bias)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """(B, N, D) -> (B, N, D); ``mask`` bool (B, N|1, N), True = blocked."""
        B, N, D = x.shape
        qkv = linear(self.qkv, x).reshape(B, N, 3, self.num_heads, D // self.num_heads)  # (B, N, 3, h, hd)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)  # each (B, h, N, hd)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=_additive_mask(mask, q.dtype), scale=self.scale)
        y = y.transpose(1, 2).reshape(B, N, D)  # (B, N, D)
        return linear(self.proj, y)


class CrossAttention(nn.Module):
    """Multi-head attention of queries onto a context (docs/model.md §6.1).

    Args:
        dim: token width D of queries and context.
        num_heads: number of heads.
        qkv_bias: bias in ``q`` (D -> D) and ``kv`` (D -> 2D; first half K, second half V).
        proj_bias: bias in the output ``proj`` Linear.
    """

    def __init__(self, dim: int, num_heads: int, qkv_bias: bool = True, proj_bias: bool = True) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"dim {dim} is not divisible by num_heads {num_heads}")
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.q = nn.Linear(dim, dim, bias=qkv_bias)
        self.kv = nn.Linear(dim, dim * 2, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim, bias=proj_bias)

    def forward(
        self, x: torch.Tensor, context: torch.Tensor, mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        """x (B, N, D), context (B, M, D) -> (B, N, D); ``mask`` bool (B, N|1, M), True = blocked."""
        B, N, D = x.shape
        M = context.shape[1]
        hd = D // self.num_heads
        q = linear(self.q, x).reshape(B, N, self.num_heads, hd).transpose(1, 2)  # (B, h, N, hd)
        kv = linear(self.kv, context).reshape(B, M, 2, self.num_heads, hd)  # (B, M, 2, h, hd)
        k, v = kv.permute(2, 0, 3, 1, 4).unbind(0)  # each (B, h, M, hd)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=_additive_mask(mask, q.dtype), scale=self.scale)
        y = y.transpose(1, 2).reshape(B, N, D)  # (B, N, D)
        return linear(self.proj, y)


class Mlp(nn.Module):
    """Two-layer MLP ``fc2(act(fc1 x))``.

    Args:
        in_features: input width.
        hidden_features: width of ``fc1`` output.
        out_features: output width (defaults to ``in_features``).
        act_layer: activation class; ``nn.GELU`` (exact erf) in TerraMind, ``nn.Tanh`` in the
            tokenizers' post-MLP.
        bias: biases in ``fc1`` and ``fc2``.
    """

    def __init__(
        self,
        in_features: int,
        hidden_features: int,
        out_features: int | None = None,
        act_layer: Callable[[], nn.Module] = nn.GELU,
        bias: bool = True,
    ) -> None:
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden_features, bias=bias)
        self.act = act_layer()
        self.fc2 = nn.Linear(hidden_features, out_features or in_features, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(..., in) -> (..., out)."""
        return linear(self.fc2, linear(self.fc1, x, self.act))


def gated_hidden_features(dim: int, mlp_ratio: float) -> int:
    """Hidden width of the SwiGLU MLP: int(2 * mlp_ratio * D / 3) (2048 for base, 2730 for large)."""
    return int(2 * int(dim * mlp_ratio) / 3)


class GatedMlp(Mlp):
    """SwiGLU MLP ``fc2(act(fc1 x) * fc3 x)`` used by base and large (docs/model.md §5.3).

    Args:
        in_features: input width D.
        hidden_features: gate width H (already reduced, see :func:`gated_hidden_features`).
        out_features: output width (defaults to ``in_features``).
        act_layer: gate activation, ``nn.SiLU``.
        bias: biases in ``fc1``, ``fc2``, ``fc3`` (False in TerraMind).
    """

    def __init__(
        self,
        in_features: int,
        hidden_features: int,
        out_features: int | None = None,
        act_layer: Callable[[], nn.Module] = nn.SiLU,
        bias: bool = False,
    ) -> None:
        super().__init__(in_features, hidden_features, out_features, act_layer, bias)
        self.fc3 = nn.Linear(in_features, hidden_features, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(..., in) -> (..., out)."""
        return linear(self.fc2, linear(self.fc1, x, self.act) * linear(self.fc3, x))


def _make_mlp(dim: int, mlp_ratio: float, gated: bool, bias: bool) -> nn.Module:
    if gated:
        return GatedMlp(dim, gated_hidden_features(dim, mlp_ratio), bias=bias)
    return Mlp(dim, int(dim * mlp_ratio), bias=bias)


class Block(nn.Module):
    """Pre-norm transformer block without layer-scale: ``x + attn(norm1 x)``, then ``x + mlp(norm2 x)``.

    Used by the TerraMind encoder (bias-free :class:`LayerNorm`, the default) and by the tokenizer ViTs
    (pass ``norm_layer=lambda d: nn.LayerNorm(d, eps=1e-6)``).

    Args:
        dim: token width D.
        num_heads: attention heads.
        mlp_ratio: MLP hidden width / D (4).
        qkv_bias, proj_bias, mlp_bias: biases of the attention and MLP Linears.
        gated: SwiGLU :class:`GatedMlp` (base/large) instead of the GELU :class:`Mlp` (tiny/small).
        norm_layer: factory ``dim -> nn.Module`` for ``norm1``/``norm2``.
    """

    def __init__(
        self,
        dim: int,
        num_heads: int,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        proj_bias: bool = True,
        mlp_bias: bool = True,
        gated: bool = False,
        norm_layer: NormFactory = LayerNorm,
    ) -> None:
        super().__init__()
        self.norm1 = norm_layer(dim)
        self.attn = Attention(dim, num_heads, qkv_bias=qkv_bias, proj_bias=proj_bias)
        self.norm2 = norm_layer(dim)
        self.mlp = _make_mlp(dim, mlp_ratio, gated, mlp_bias)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """(B, N, D) -> (B, N, D); ``mask`` bool (B, N|1, N), True = blocked."""
        x = x + self.attn(self.norm1(x), mask)
        return x + self.mlp(self.norm2(x))


class DecoderBlock(nn.Module):
    """Pre-norm decoder block: self-attention, cross-attention onto the context, MLP (docs/model.md §6.1).

    ``x = x + self_attn(norm1 x)``; ``x = x + cross_attn(query_norm x, context_norm context)``;
    ``x = x + mlp(norm2 x)``. Arguments as in :class:`Block`.
    """

    def __init__(
        self,
        dim: int,
        num_heads: int,
        mlp_ratio: float = 4.0,
        qkv_bias: bool = True,
        proj_bias: bool = True,
        mlp_bias: bool = True,
        gated: bool = False,
        norm_layer: NormFactory = LayerNorm,
    ) -> None:
        super().__init__()
        self.norm1 = norm_layer(dim)
        self.self_attn = Attention(dim, num_heads, qkv_bias=qkv_bias, proj_bias=proj_bias)
        self.cross_attn = CrossAttention(dim, num_heads, qkv_bias=qkv_bias, proj_bias=proj_bias)
        self.query_norm = norm_layer(dim)
        self.context_norm = norm_layer(dim)
        self.norm2 = norm_layer(dim)
        self.mlp = _make_mlp(dim, mlp_ratio, gated, mlp_bias)

    def forward(
        self,
        x: torch.Tensor,
        context: torch.Tensor,
        sa_mask: torch.Tensor | None = None,
        xa_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """x (B, N, D), context (B, M, D) -> (B, N, D).

        Args:
            sa_mask: bool (B, N|1, N) self-attention mask, True = blocked.
            xa_mask: bool (B, N|1, M) cross-attention mask, True = blocked.
        """
        x = x + self.self_attn(self.norm1(x), sa_mask)
        x = x + self.cross_attn(self.query_norm(x), self.context_norm(context), xa_mask)
        return x + self.mlp(self.norm2(x))
