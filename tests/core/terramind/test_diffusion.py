"""Zero-terminal-SNR schedule, trailing timesteps and the DDIM step (docs/model.md §7.3)."""

from __future__ import annotations

import pytest
import torch
from helpers.fixtures import load_fixture

from terramind_qgis.core.terramind.diffusion import (
    ddim_sample,
    ddim_step,
    trailing_timesteps,
    zero_terminal_snr_alphas_cumprod,
)


def test_alphas_cumprod_match_spec_reference_values():
    ab = zero_terminal_snr_alphas_cumprod()
    # docs/model.md §7.3 "Reference values (verified)"
    expected = {
        0: 0.9998999834,
        19: 0.9941946864,
        99: 0.8963781595,
        499: 0.0760287270,
        899: 1.06130428e-4,
        979: 2.00583918e-6,
        999: 0.0,
    }
    for t, v in expected.items():
        assert ab[t].item() == pytest.approx(v, rel=1e-6, abs=1e-12)


def test_alphas_cumprod_match_reference_at_fixture_timesteps():
    """Within a few float32 ulps: the float32 schedule's last bits depend on the CPU kernels torch picks
    (vectorised linspace/cumprod/sqrt; an AVX-512 machine differs from the reference by up to 2 ulps)."""
    diffusion = load_fixture("e_tiny_generate_s2l2a_to_lulc_s1grd")["runs"][0]["expected"]["outputs"][
        "S1GRD"
    ]["diffusion"]
    ab = zero_terminal_snr_alphas_cumprod()
    assert trailing_timesteps(10) == diffusion["timesteps"]
    expected = diffusion["alphas_cumprod_at_timesteps"]
    torch.testing.assert_close(
        ab[diffusion["timesteps"]], expected, rtol=4 * torch.finfo(torch.float32).eps, atol=0
    )
    assert ab[999].item() == 0.0 == expected[0].item()  # zero terminal SNR, exactly


def test_trailing_timesteps_follow_reference_spacing():
    assert trailing_timesteps(50)[:3] == [999, 979, 959] and trailing_timesteps(50)[-1] == 19  # model.md §7.3
    assert trailing_timesteps(1) == [999]
    assert trailing_timesteps(3) == [999, 666, 333, 0]  # arange(1000, 0, -333) - 1 has 4 entries
    with pytest.raises(ValueError):
        trailing_timesteps(0)


def test_ddim_step_derives_noise_from_unclipped_x0_and_clips_x0():
    x_t = torch.tensor([0.5, -2.0])
    x0 = torch.tensor([3.0, -0.25])  # first entry is clipped to 1
    a_t, a_prev = torch.tensor(0.25), torch.tensor(0.64)
    eps = (x_t - 0.5 * x0) / (0.75**0.5)
    expected = 0.8 * x0.clamp(-1, 1) + 0.6 * eps
    torch.testing.assert_close(ddim_step(x0, x_t, a_t, a_prev), expected)
    # the last step (alpha_prev = 1) returns the clipped prediction
    torch.testing.assert_close(ddim_step(x0, x_t, a_t, torch.tensor(1.0)), x0.clamp(-1, 1))


def test_ddim_sample_calls_model_at_each_timestep_and_ends_in_clipped_x0():
    seen = []
    target = torch.full((1, 2, 4, 4), 1.7)

    def denoise(x, t):
        seen.append(t)
        return target

    out = ddim_sample(
        denoise,
        torch.randn(1, 2, 4, 4, generator=torch.Generator().manual_seed(0)),
        trailing_timesteps(10),
        zero_terminal_snr_alphas_cumprod(),
    )
    assert seen == trailing_timesteps(10)
    assert torch.equal(out, torch.ones_like(target))
