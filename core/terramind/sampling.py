"""Token sampling from decoder logits (docs/model.md §6.4).

As the reference: top-k and top-p filtering act on the *un-tempered* logits, top-p keeps the first token
whose cumulative probability crosses the threshold (the top-1 is always kept), then
``softmax(logits / temperature)`` is sampled. A temperature of 0 means argmax without filtering.
Randomness comes only from the ``torch.Generator`` passed in. :class:`GenerationSampler` runs the
chained one-pass generation of several outputs (docs/model.md §6.4, fixtures README).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import torch
from torch import nn

if TYPE_CHECKING:
    from .decoder import TerraMind

__all__ = ["filter_logits", "sample_tokens", "GenerationSampler", "seeded_generator", "timed"]

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


@contextmanager
def timed(profile: dict[str, float] | None, stage: str) -> Iterator[None]:
    """Add the seconds spent in the ``with`` body to ``profile[stage]`` (no-op when ``profile`` is None)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        if profile is not None:
            profile[stage] = profile.get(stage, 0.0) + time.perf_counter() - start


def seeded_generator(seed: int | None, device: torch.device | str) -> torch.Generator | None:
    """A generator on ``device`` seeded with ``seed`` (any int); None (global RNG) if ``seed`` is None."""
    if seed is None:
        return None
    gen = torch.Generator(device=device)
    gen.manual_seed(int(seed) % 2**63)
    return gen


class GenerationSampler(nn.Module):
    """Chained one-pass token generation around the encoder-decoder (kept as ``model`` for the
    checkpoint prefix ``sampler.model.``).

    Token choice is an argmax over thousands of logits: it runs in float32 even inside a bfloat16 or
    float16 autocast, where it changed 1.9% of the tokens on real scenes (docs/precision.md).

    Args:
        model: the encoder-decoder.
    """

    #: ``core.device.cast_matmul_weights`` leaves this module's weights in float32.
    keeps_float32 = True

    def __init__(self, model: TerraMind) -> None:
        super().__init__()
        self.model = model

    def generate(
        self,
        inputs: Mapping[str, torch.Tensor],
        targets: Sequence[str],
        grid: tuple[int, int],
        temperature: float = 1.0,
        top_k: int = 0,
        top_p: float = 0.8,
        seed: int | None = None,
        profile: dict[str, float] | None = None,
    ) -> dict[str, torch.Tensor]:
        """Generate the tokens of every target, each conditioned on the inputs and earlier targets.

        Args:
            inputs: modality key -> standardised image (B, C, H, W) or token ids (B, h, w).
            targets: output modality keys, in generation order.
            grid: (h, w) token grid of the outputs.
            temperature, top_k, top_p: sampling parameters (see :func:`.sampling.sample_tokens`).
            seed: target ``i`` samples with a generator seeded ``seed + i`` (None: global RNG).
            profile: if given, seconds spent are added under ``"encoder"`` and ``"decoder"``.

        Returns:
            modality key -> (B, h*w) int64 token ids in row-major grid order.
        """
        visible = dict(inputs)
        out: dict[str, torch.Tensor] = {}
        device = self.model.mask_token.device
        for i, target in enumerate(targets):
            with timed(profile, "encoder"), torch.autocast(device.type, enabled=False):
                context = self.model.encode(visible)
            with timed(profile, "decoder"):
                with torch.autocast(device.type, enabled=False):
                    logits = self.model.decode_logits(context, target, grid)  # (B, N, V)
                gen = seeded_generator(None if seed is None else seed + i, device)
                ids = sample_tokens(logits, temperature, top_k, top_p, gen)  # (B, N)
            out[target] = ids
            if i + 1 < len(targets) and target in self.model.encoder_embeddings:
                visible[target] = ids.reshape(ids.shape[0], *grid)
        return out
