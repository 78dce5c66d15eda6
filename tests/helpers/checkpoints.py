"""Seeded checkpoints in the official full encoder-decoder layout (docs/model.md §2.3).

The official ``TerraMind_v1_<size>.pt`` is a plain float32 state_dict of the pre-training model: mask token,
encoder embeddings of every raw and tokenized modality and of coords, the decoder embeddings with
``to_logits`` tied to ``token_emb``, encoder and decoder blocks with their norms and ``decoder_proj_context``.
Values follow ``seeded_weights.py``, so a seed-0 tiny file holds exactly the weights of fixture ``a``.
"""

from __future__ import annotations

from pathlib import Path

import torch

from helpers.fixtures import seeded_state_dict
from terramind_qgis.core.terramind.layers import gated_hidden_features
from terramind_qgis.core.terramind.modalities import MODALITY_INFO
from terramind_qgis.core.terramind.registry import config_for

__all__ = ["official_checkpoint_layout", "write_backbone_checkpoint"]

_TOKENS = 196  # 14 x 14 grid at 224 px


def _block_shapes(
    prefix: str, dim: int, gated: bool, bias: bool, decoder: bool
) -> dict[str, tuple[int, ...]]:
    hidden = gated_hidden_features(dim, 4.0) if gated else 4 * dim
    linears = {"mlp.fc1": (hidden, dim), "mlp.fc2": (dim, hidden)}
    if gated:
        linears["mlp.fc3"] = (hidden, dim)
    if decoder:
        linears.update({"self_attn.qkv": (3 * dim, dim), "self_attn.proj": (dim, dim)})
        linears.update(
            {"cross_attn.q": (dim, dim), "cross_attn.kv": (2 * dim, dim), "cross_attn.proj": (dim, dim)}
        )
        norms = ("norm1", "query_norm", "context_norm", "norm2")
    else:
        linears.update({"attn.qkv": (3 * dim, dim), "attn.proj": (dim, dim)})
        norms = ("norm1", "norm2")
    out: dict[str, tuple[int, ...]] = {}
    for name in norms:
        out[f"{prefix}{name}.weight"] = (dim,)
        out[f"{prefix}{name}.bias"] = (dim,)  # zero buffer of the bias-free LayerNorm
    for name, shape in linears.items():
        out[f"{prefix}{name}.weight"] = shape
        if bias:
            out[f"{prefix}{name}.bias"] = (shape[0],)
    return out


def official_checkpoint_layout(size: str) -> tuple[dict[str, tuple[int, ...]], list[list[str]]]:
    """Keys, shapes and tied groups of the official full checkpoint of ``size``.

    Returns:
        ``({key: shape}, tied_groups)``; tied groups are ``to_logits``/``token_emb`` of each decoder
        embedding and the shared encoder/decoder ``mod_emb`` of each token modality.
    """
    cfg = config_for(size)
    D = cfg.dim
    shapes: dict[str, tuple[int, ...]] = {"mask_token": (1, 1, D)}
    tied: list[list[str]] = []
    for key, info in MODALITY_INFO.items():
        enc = f"encoder_embeddings.{key}."
        pos = (1, 512, D) if info.kind == "seq" else (1, _TOKENS, D)
        shapes[enc + "mod_emb"], shapes[enc + "pos_emb"] = (1, 1, D), pos
        if info.kind == "raw":
            shapes[enc + "proj.weight"] = (D, 256 * info.num_channels)
            continue
        shapes[enc + "token_emb.weight"] = (info.vocab_size, D)
        dec = f"decoder_embeddings.{key}."
        shapes[dec + "mod_emb"], shapes[dec + "pos_emb"] = (1, 1, D), pos
        shapes[dec + "token_emb.weight"] = shapes[dec + "to_logits.weight"] = (info.vocab_size, D)
        tied += [[dec + "token_emb.weight", dec + "to_logits.weight"], [enc + "mod_emb", dec + "mod_emb"]]
    for i in range(cfg.depth):
        shapes.update(_block_shapes(f"encoder.{i}.", D, cfg.gated, cfg.qkv_bias, decoder=False))
    shapes.update({"encoder_norm.weight": (D,), "encoder_norm.bias": (D,)})
    shapes.update({"decoder_proj_context.weight": (D, D), "decoder_proj_context.bias": (D,)})
    for i in range(cfg.decoder_depth):
        shapes.update(_block_shapes(f"decoder.{i}.", D, cfg.gated, cfg.qkv_bias, decoder=True))
    shapes.update({"decoder_norm.weight": (D,), "decoder_norm.bias": (D,)})
    return shapes, tied


def write_backbone_checkpoint(size: str, path: str | Path, seed: int = 0) -> Path:
    """Write a seeded full checkpoint of ``size`` in the official layout with ``torch.save``; return its path.

    Tied keys are one tensor in the file (stored once), as in the official release.
    """
    shapes, tied = official_checkpoint_layout(size)
    state = seeded_state_dict(shapes, seed, tied)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({k: state[k] for k in shapes}, path)
    return path
