"""core/roles.py on real rasters: the role from names, descriptions, data type and values, with a reason."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers.paths import BIGEARTHNET, ROOT, SEN1FLOODS

from terramind_qgis.core.roles import guess_role

SAMPLE = ROOT / "resources" / "sample"


def _facts(path):
    with rasterio.open(path) as src:
        data = src.read(masked=True).astype("float64")
        ranges = [(float(b.min()), float(b.max())) for b in data]
        return src.count, src.descriptions, src.dtypes[0], ranges


def _guess(path, names=None):
    count, descriptions, dtype, ranges = _facts(path)
    return guess_role(names if names is not None else [path.name], count, descriptions, dtype, ranges)


@pytest.mark.parametrize(
    "path, role, why",
    [
        (SAMPLE / "S1RTC_433D_629L_3_1.tif", "S1RTC", "S1RTC"),  # was offered as GRD by its band count
        (SAMPLE / "S2L2A_433D_629L_3_1.tif", "S2L2A", "S2L2A"),
        (SAMPLE / "DEM_433D_629L_3_1.tif", "DEM", "DEM"),
        (SEN1FLOODS / "Spain_7370579_S2Hand.tif", "S2L1C", "band descriptions"),
        (BIGEARTHNET / "S1A_IW_GRDH_1SDV_20170925T043256_35VPK_69_24_S1GRD_VV_VH_dB.tif", "S1GRD", "VV, VH"),
    ],
)
def test_role_from_names_and_descriptions(path, role, why):
    guess = _guess(path)
    assert guess.role == role and why in guess.reason, guess


def test_land_cover_is_no_input_by_name_or_by_values():
    lulc = SAMPLE / "LULC_433D_629L_3_1.tif"
    by_name = _guess(lulc)
    assert by_name.role is None and "LULC" in by_name.reason
    by_values = _guess(lulc, names=["scene.tif"])  # nameless: small whole numbers are classes, not a DEM
    assert by_values.role is None and "small whole numbers" in by_values.reason


def test_values_tell_db_from_linear_backscatter_and_dem_from_classes():
    count, descriptions, dtype, ranges = _facts(SAMPLE / "S1RTC_433D_629L_3_1.tif")
    db = guess_role(["scene"], count, [None, None], dtype, ranges)
    assert db.role == "S1GRD" and "dB" in db.reason
    linear = [tuple(10 ** (np.array(r) / 10)) for r in ranges]
    lin = guess_role(["scene"], count, [None, None], dtype, linear)
    assert lin.role == "S1GRD" and "linear" in lin.reason and "10*log10" in lin.reason
    count, _, dtype, ranges = _facts(SAMPLE / "DEM_433D_629L_3_1.tif")
    assert guess_role(["scene"], count, [None], dtype, ranges).role == "DEM"
