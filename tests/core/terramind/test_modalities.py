"""User-name mapping and band orders (docs/model.md)."""

from __future__ import annotations

import pytest

from terramind_qgis.core import InputError
from terramind_qgis.core.terramind.modalities import (
    PRETRAINED_BANDS,
    input_modality_key,
    output_modality_key,
    pretrained_bands,
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("S2L2A", "untok_sen2l2a@224"),
        ("s2l1c", "untok_sen2l1c@224"),
        ("S2L1C_L8", "untok_sen2l1c@224"),
        ("S1RTC", "untok_sen1rtc@224"),
        ("S1GRD", "untok_sen1grd@224"),
        ("S1", "untok_sen1grd@224"),  # terratorch 1.2.13 maps plain "S1" to GRD for inputs too
        ("RGB", "untok_sen2rgb@224"),
        ("S2RGB", "untok_sen2rgb@224"),
        ("DEM", "untok_dem@224"),
        ("LULC", "tok_lulc@224"),
        ("NDVI", "tok_ndvi@224"),
        ("location", "coords"),
        ("untok_dem@224", "untok_dem@224"),
    ],
)
def test_input_names_map_to_reference_keys(name, key):
    assert input_modality_key(name) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [("S2L2A", "tok_sen2l2a@224"), ("S1", "tok_sen1grd@224"), ("S1RTC", "tok_sen1rtc@224"),
     ("lulc", "tok_lulc@224"), ("DEM", "tok_dem@224"), ("NDVI", "tok_ndvi@224")],
)  # fmt: skip
def test_output_names_map_to_token_keys(name, key):
    assert output_modality_key(name) == key


def test_unknown_names_list_valid_ones():
    with pytest.raises(InputError, match="Unknown modality 'Landsat8'.*S2L2A"):
        input_modality_key("Landsat8")
    with pytest.raises(InputError, match="LULC"):
        output_modality_key("RGB")


def test_pretrained_band_orders():
    assert pretrained_bands("S2L2A")[9:] == ("WATER_VAPOR", "SWIR_1", "SWIR_2")  # B09, B11, B12
    assert pretrained_bands("S2L1C")[10] == "CIRRUS" and len(pretrained_bands("S2L1C")) == 13
    assert pretrained_bands("RGB") == ("RED", "GREEN", "BLUE")  # code order, not the docs' B,G,R
    assert pretrained_bands("S1") == ("VV", "VH")
    assert set(PRETRAINED_BANDS) == {k for k in PRETRAINED_BANDS if k.startswith("untok_")}
    with pytest.raises(InputError, match="no pretrained band order"):
        pretrained_bands("LULC")
