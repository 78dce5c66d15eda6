"""Token sampling from decoder logits (terramind-spec.md §6.4).

As the reference: top-k and top-p filtering act on the *un-tempered* logits, top-p keeps the first token
whose cumulative probability crosses the threshold (the top-1 is always kept), then
``softmax(logits / temperature)`` is sampled. A temperature of 0 means argmax without filtering.
Randomness comes only from the ``torch.Generator`` passed in.
"""

from __future__ import annotations

import torch

__all__ = ["filter_logits", "sample_tokens"]

_ARGMAX_TEMPERATURE = 1e-10  # the reference treats |T| <= 1e-10 as greedy decoding


def filter_logits(logits: torch.Tensor, top_k: int = 0, top_p: float = 0.0) -> torch.Tensor:
    """Set logits outside the top-k / nucleus (top-p) set to -inf.

    Args:
        logits: (M, V) logits (not modified).
        top_k: keep the k largest logits (ties at the k-th value kept); 0 disables.
        top_p: keep the smallest prefix of the sorted distribution whose mass reaches ``top_p``
            (the crossing token included); values <= 0 or >= 1 disable it.

    Returns:
        (M, V) filtered copy.
    """
    out = logits.clone()
    if top_k and top_k > 0:
        k = min(int(top_k), out.shape[-1])
        kth = torch.topk(out, k, dim=-1).values[..., -1:]  # (M, 1)
        out = out.masked_fill(out < kth, float("-inf"))
    if 0.0 < top_p < 1.0:
        sorted_logits, order = torch.sort(out, dim=-1, descending=True)
        cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        remove = cumulative > top_p
        remove[..., 1:] = remove[..., :-1].clone()  # keep the token that crosses the threshold
        remove[..., 0] = False
        out = out.masked_fill(remove.scatter(-1, order, remove), float("-inf"))
    return out


def sample_tokens(
    logits: torch.Tensor,
    temperature: float = 1.0,
    top_k: int = 0,
    top_p: float = 0.0,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Choose one token per position.

    Args:
        logits: (B, N, V) logits.
        temperature: softmax temperature; <= 1e-10 selects the argmax (deterministic).
        top_k, top_p: filters as :func:`filter_logits`.
        generator: generator on the logits' device (global RNG if None).

    Returns:
        (B, N) int64 token ids.

    Raises:
        ValueError: negative temperature.
    """
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    B, N, V = logits.shape
    if temperature <= _ARGMAX_TEMPERATURE:
        return logits.argmax(dim=-1)
    flat = filter_logits(logits.reshape(B * N, V).float(), top_k, top_p)
    probs = (flat / temperature).softmax(dim=-1)
    return torch.multinomial(probs, 1, generator=generator).reshape(B, N)
