"""Modality and band-mapping guesses on the real sample files; unit warnings."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers.paths import BIGEARTHNET, SAMPLE_IDS, SEN1FLOODS, example

from terramind_qgis.core.bands import (
    MODALITY_BANDS,
    check_band_mapping,
    check_units,
    guess_band_mapping,
    guess_modality,
)
from terramind_qgis.core.errors import InputError

BEN_S2 = BIGEARTHNET / "S2B_MSIL2A_20170924T93020_69_24_S2L2A_12band.tif"
BEN_S1 = BIGEARTHNET / "S1A_IW_GRDH_1SDV_20170925T043256_35VPK_69_24_S1GRD_VV_VH_dB.tif"


def _info(path):
    with rasterio.open(path) as src:
        return src.count, src.descriptions, src.read().astype(np.float64)


@pytest.mark.parametrize(
    "path,expected",
    [
        (SEN1FLOODS / "Spain_7370579_S2Hand.tif", "S2L1C"),  # descriptions B1..B12 with B10
        (SEN1FLOODS / "Spain_7370579_S1Hand.tif", "S1GRD"),  # VV, VH
        (BEN_S2, "S2L2A"),  # B01..B12 without B10
        (example("S2L2A"), "S2L2A"),  # no descriptions: 12 bands
        (example("S2L1C"), "S2L1C"),  # 13 bands
        (example("DEM"), "DEM"),
        (example("S2RGB"), "RGB"),
    ],
)
def test_guess_modality_on_real_files(path, expected):
    count, desc, _ = _info(path)
    assert guess_modality(count, desc) == expected


def test_guess_modality_unknown_count_is_none():
    assert guess_modality(7, [None] * 7) is None


def test_guess_band_mapping_follows_descriptions_in_any_order():
    desc = ["B12", "B02", "B8A", "B01", "B03", "B04", "B05", "B06", "B07", "B08", "B09", "B11"]
    mapping = guess_band_mapping("S2L2A", 12, desc)
    assert [desc[i - 1] for i in mapping] == list(MODALITY_BANDS["S2L2A"])


def test_guess_band_mapping_drops_b10_for_l1c_file_used_as_l2a():
    count, desc, _ = _info(SEN1FLOODS / "Spain_7370579_S2Hand.tif")
    mapping = guess_band_mapping("S2L2A", count, desc)
    assert mapping == (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13)  # B10 is file band 11
    assert guess_band_mapping("S2L2A", 13, [None] * 13) == mapping


def test_guess_band_mapping_wrong_count_raises_clear_error():
    with pytest.raises(InputError, match="S1GRD input needs 2 bands"):
        guess_band_mapping("S1GRD", 3, [None] * 3)


def test_check_band_mapping_rejects_missing_band_numbers():
    with pytest.raises(InputError, match=r"'vv.tif' has 1 bands; band number\(s\) \[2\]"):
        check_band_mapping("S1GRD", (1, 2), 1, "vv.tif")
    with pytest.raises(InputError, match="S1GRD needs 2"):
        check_band_mapping("S1GRD", (1,), 2, "vv.tif")


def test_check_units_flags_linear_backscatter_but_not_db():
    _, _, db = _info(BEN_S1)
    sample = db.reshape(2, -1)
    assert check_units("S1GRD", sample, "s1") == []
    warnings = check_units("S1GRD", 10 ** (sample / 10), "s1")
    assert len(warnings) == 1 and "linear" in warnings[0] and "'s1'" in warnings[0]


@pytest.mark.parametrize("sample_id", SAMPLE_IDS)
def test_check_units_offset_verdicts_match_data_readme(sample_id):
    # Expected verdicts: the offset table of tests/data/README.md.
    l1c = {
        "282D_485L_3_3": True,
        "38D_378R_2_3": False,
        "433D_629L_3_1": True,
        "609U_541L_3_0": True,
        "637U_59R_1_3": False,
    }
    l2a = {"433D_629L_3_1": True}
    for modality, table in (("S2L1C", l1c), ("S2L2A", l2a)):
        _, _, data = _info(example(modality, sample_id))
        warned = any("+1000 offset" in w for w in check_units(modality, data.reshape(len(data), -1), "x"))
        assert warned == table.get(sample_id, False), (modality, sample_id)


def test_check_units_flags_reflectance_scaled_to_one():
    _, _, data = _info(BEN_S2)
    warnings = check_units("S2L2A", data.reshape(12, -1) / 10000, "s2")
    assert len(warnings) == 1 and "multiply by 10000" in warnings[0]
