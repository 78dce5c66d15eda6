"""v1 standardisation on the real TerraMesh example rasters (docs/model.md §4.1)."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
import torch
from helpers.paths import example

from terramind_qgis.core import InputError
from terramind_qgis.core.terramind.standardize import MEAN, STD, destandardize, standardize, stats_for


def _read(modality: str) -> np.ndarray:
    with rasterio.open(example(modality)) as src:
        return src.read()


def test_s2l2a_example_is_standardised_per_channel_and_round_trips():
    raw = _read("S2L2A")  # int16 DN, 12 bands, 224 x 224
    assert raw.shape == (12, 224, 224)
    z = standardize(torch.from_numpy(raw), "S2L2A")
    assert z.dtype == torch.float32
    # A real scene lands within a few std of the pre-training statistics in every band.
    assert z.mean(dim=(1, 2)).abs().max() < 3 and (z.std(dim=(1, 2)) < 3).all()
    band = 3  # RED: (x - 1853.91) / 2134.138
    torch.testing.assert_close(z[band], (torch.from_numpy(raw[band]).float() - 1853.91) / 2134.138)
    torch.testing.assert_close(
        destandardize(z, "untok_sen2l2a@224"), torch.from_numpy(raw).float(), rtol=1e-6, atol=1e-3
    )


def test_numpy_and_torch_agree_on_s1rtc_example():
    raw = _read("S1RTC").astype(np.float32)  # dB
    a = standardize(raw[None], "S1RTC")
    b = standardize(torch.from_numpy(raw[None]), "S1RTC")
    assert isinstance(a, np.ndarray) and a.dtype == np.float32
    np.testing.assert_allclose(a, b.numpy(), rtol=0, atol=1e-6)


def test_band_subset_uses_matching_statistics():
    raw = _read("S2L2A")[[3, 2, 1]]  # RED, GREEN, BLUE
    z = standardize(raw, "S2L2A", bands=["RED", "GREEN", "BLUE"])
    np.testing.assert_allclose(z[2], (raw[2] - 1503.317) / 2141.107, rtol=0, atol=1e-6)  # BLUE statistics
    assert stats_for("RGB") == ((87.271, 80.931, 66.667), (58.767, 47.663, 42.631))


def test_lulc_is_identity_and_output_names_resolve():
    lulc = torch.randint(0, 10, (1, 224, 224))
    assert torch.equal(standardize(lulc, "LULC"), lulc.float())
    logits = torch.randn(1, 10, 8, 8)
    assert torch.equal(destandardize(logits, "LULC"), logits)
    assert stats_for("S1") == (MEAN["untok_sen1grd@224"], STD["untok_sen1grd@224"])


def test_wrong_channel_count_and_unknown_band_raise():
    with pytest.raises(InputError, match="11 channels.*expected 12"):
        standardize(np.zeros((11, 4, 4)), "S2L2A")
    with pytest.raises(InputError, match="THERMAL.*valid bands"):
        standardize(np.zeros((1, 4, 4)), "S2L2A", bands=["THERMAL"])
    with pytest.raises(InputError, match="Unknown modality"):
        standardize(np.zeros((1, 4, 4)), "Landsat")
