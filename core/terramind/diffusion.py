"""DDIM sampling of the TerraMind diffusion decoders, as pure functions (docs/model.md §7.3).

Schedule: linear betas 1e-4..0.02 over 1000 training steps, rescaled to zero terminal SNR
(Lin et al. 2023, arXiv:2305.08891, Alg. 1), all in float32. Inference uses "trailing" timesteps and
deterministic DDIM (eta = 0, DDIM paper eq. 12) with "sample" prediction: the network predicts x0, the
noise estimate is derived from the unclipped x0, and x0 is clipped to [-1, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable

import torch

NUM_TRAIN_TIMESTEPS = 1000


def zero_terminal_snr_alphas_cumprod(
    num_train_timesteps: int = NUM_TRAIN_TIMESTEPS, beta_start: float = 1e-4, beta_end: float = 0.02
) -> torch.Tensor:
    """Return alpha-bar (cumulative product of 1 - beta) of the zero-terminal-SNR linear schedule.

    Returns:
        (num_train_timesteps,) float32; the last entry is 0.
    """
    betas = torch.linspace(beta_start, beta_end, num_train_timesteps, dtype=torch.float32)
    sqrt_ab = (1 - betas).cumprod(0).sqrt()
    first, last = sqrt_ab[0].clone(), sqrt_ab[-1].clone()
    sqrt_ab = (sqrt_ab - last) * (first / (first - last))  # shift last to 0, keep the first
    ab = sqrt_ab**2
    alphas = torch.cat([ab[0:1], ab[1:] / ab[:-1]])
    betas = 1 - alphas
    return torch.cumprod(1.0 - betas, dim=0)


def trailing_timesteps(num_steps: int, num_train_timesteps: int = NUM_TRAIN_TIMESTEPS) -> list[int]:
    """Return the "trailing" DDIM timesteps, e.g. 10 -> [999, 899, ..., 99].

    Raises:
        ValueError: if ``num_steps`` is not in [1, num_train_timesteps].
    """
    if not 1 <= int(num_steps) <= num_train_timesteps:
        raise ValueError(f"timesteps must be between 1 and {num_train_timesteps}, got {num_steps}")
    step = num_train_timesteps // int(num_steps)
    return [t - 1 for t in range(num_train_timesteps, 0, -step)]


def ddim_step(
    x0_pred: torch.Tensor, x_t: torch.Tensor, alpha_t: torch.Tensor, alpha_prev: torch.Tensor
) -> torch.Tensor:
    """One deterministic DDIM step (eta = 0) for an x0-predicting model (DDIM eq. 12).

    Args:
        x0_pred: (B, C, H, W) network prediction of x0 (unclipped).
        x_t: (B, C, H, W) current sample.
        alpha_t: 0-d float32 alpha-bar at the current timestep.
        alpha_prev: 0-d float32 alpha-bar at the previous timestep (1 after the last step).

    Returns:
        (B, C, H, W) sample at the previous timestep.
    """
    x0_pred = x0_pred.float()
    eps = (x_t - alpha_t**0.5 * x0_pred) / (1 - alpha_t) ** 0.5
    x0 = x0_pred.clamp(-1.0, 1.0)
    return alpha_prev**0.5 * x0 + (1 - alpha_prev) ** 0.5 * eps


def initial_noise(
    shape: Sequence[int], generator: torch.Generator | None, device: torch.device
) -> torch.Tensor:
    """Draw the starting noise on the CPU (so a seeded CPU generator gives the same noise on every device).

    Args:
        shape: (B, C, H, W).
        generator: CPU generator, or None for the global RNG.
        device: where the noise is moved to.
    """
    return torch.randn(tuple(shape), generator=generator, dtype=torch.float32).to(device)


def ddim_sample(
    denoise: Callable[[torch.Tensor, int], torch.Tensor],
    noise: torch.Tensor,
    timesteps: Sequence[int],
    alphas_cumprod: torch.Tensor,
) -> torch.Tensor:
    """Run the DDIM loop from ``noise`` over ``timesteps``.

    Args:
        denoise: ``denoise(x_t, t) -> x0 prediction`` (B, C, H, W).
        noise: (B, C, H, W) starting sample x_T.
        timesteps: descending timesteps (see :func:`trailing_timesteps`); each step moves to the next one,
            the last one to alpha-bar 1.
        alphas_cumprod: (T,) float32 alpha-bar table on any device.

    Returns:
        (B, C, H, W) float32 sample in [-1, 1] (the clipped x0 of the last step).
    """
    timesteps = [int(t) for t in timesteps]
    ab = alphas_cumprod.detach().to("cpu", torch.float32)
    x = noise.float()
    for i, t in enumerate(timesteps):
        alpha_prev = ab[timesteps[i + 1]] if i + 1 < len(timesteps) else torch.tensor(1.0)
        x = ddim_step(denoise(x, t), x, ab[t].to(x.device), alpha_prev.to(x.device))
    return x
