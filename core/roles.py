"""Guess which input role a raster plays, from its names, band descriptions, data type and value ranges,
and say why.

Evidence, strongest first: band descriptions that name every band of a role (``core.bands``); a role or a
product named in the layer or file name (``S1RTC_...``, ``..._MSIL2A_...``, ``LULC_...``) when the band
count fits; then the band count with the data type and the values (backscatter in dB is negative,
reflectance digital numbers reach thousands, land-cover classes are small integers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .bands import guess_modality
from .i18n import tr
from .products import ROLES

BandRange = tuple[float, float]

#: Name tokens (upper case) that name a role; a token matches when it starts or ends with one.
_ROLE_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("S2L1C", ("S2L1C", "MSIL1C", "L1C")),
    ("S2L2A", ("S2L2A", "MSIL2A", "L2A")),
    ("S1RTC", ("S1RTC", "RTC")),
    ("S1GRD", ("S1GRD", "GRDH", "GRD")),
    ("RGB", ("S2RGB", "RGB", "TCI")),
    ("DEM", ("DEM", "DSM", "DTM", "SRTM", "COP30", "ELEVATION")),
)
#: Name tokens of rasters that are no TerraMind input (generated or derived products).
_PRODUCT_NAMES = ("LULC", "LANDCOVER", "WORLDCOVER", "NDVI")
_INTEGER = ("uint8", "int8", "uint16", "int16", "uint32", "int32")


@dataclass(frozen=True)
class RoleGuess:
    """A guessed role (``None``: not an input TerraMind takes, or no idea) and the reason, for the user."""

    role: str | None
    reason: str


def guess_role(
    names: Sequence[str],
    band_count: int,
    descriptions: Sequence[str | None],
    dtype: str,
    ranges: Sequence[BandRange] = (),
) -> RoleGuess:
    """Guess the role of a raster.

    Args:
        names: layer name, file name, ... (any of them may name the role).
        band_count: number of bands.
        descriptions: band descriptions (``None`` where unset).
        dtype: numpy name of the data type (``"uint8"``, ``"float32"``...).
        ranges: (min, max) of each band's valid values; empty when unknown.
    """
    by_names = guess_from_names(names, band_count, descriptions)
    return by_names if by_names is not None else _by_values(band_count, dtype, ranges)


def guess_from_names(
    names: Sequence[str], band_count: int, descriptions: Sequence[str | None]
) -> RoleGuess | None:
    """The guess from the names and band descriptions alone (no values needed); ``None`` when only the
    data type and the values can tell (``guess_role``)."""
    tokens = [t for n in names for t in re.split(r"[^A-Z0-9]+", (n or "").upper()) if t]
    described = _by_descriptions(band_count, descriptions)
    if described is not None:
        named = _by_name(tokens, band_count)
        if described.role == "S1GRD" and named is not None and named.role == "S1RTC":  # same bands
            return RoleGuess("S1RTC", tr("{0}, and {1}").format(described.reason, named.reason))
        return described
    product = next((t for t in tokens if any(t.startswith(p) for p in _PRODUCT_NAMES)), None)
    if product is not None and band_count == 1:
        return RoleGuess(
            None, tr("the name says {0}, a product TerraMind makes, not one of its inputs").format(product)
        )
    return _by_name(tokens, band_count)


def is_role_word(token: str) -> bool:
    """An upper-case name token that names a role or a product (``"S1RTC"``, ``"MSIL2A"``, ``"LULC"``)."""
    words = [h for _, hints in _ROLE_NAMES for h in hints] + list(_PRODUCT_NAMES)
    return any(token.startswith(w) or token.endswith(w) for w in words)


def _by_descriptions(band_count: int, descriptions: Sequence[str | None]) -> RoleGuess | None:
    if not any(descriptions):
        return None
    role = guess_modality(0, descriptions)  # descriptions only, not the count
    if role is None:
        return None
    return RoleGuess(
        role, tr("the band descriptions name the {0} bands").format(", ".join(ROLES[role].bands))
    )


def _by_name(tokens: Sequence[str], band_count: int) -> RoleGuess | None:
    for role, hints in _ROLE_NAMES:
        token = next((t for t in tokens for h in hints if t.startswith(h) or t.endswith(h)), None)
        if token is None:
            continue
        needed = len(ROLES[role].bands)
        fits = band_count == needed or (role == "S2L2A" and band_count == 13)  # L1C-like files drop B10
        if fits:
            return RoleGuess(
                role, tr("the name contains {0} and it has {1} band(s)").format(token, band_count)
            )
    return None


def _by_values(band_count: int, dtype: str, ranges: Sequence[BandRange]) -> RoleGuess:
    low = min((r[0] for r in ranges), default=None)
    high = max((r[1] for r in ranges), default=None)
    guess = _by_count_and_values(band_count, dtype, low, high)
    if low is None:
        return guess
    return RoleGuess(guess.role, tr("{0} (values {1:.4g} to {2:.4g})").format(guess.reason, low, high))


def _by_count_and_values(band_count: int, dtype: str, low: float | None, high: float | None) -> RoleGuess:
    if band_count in (12, 13):
        role = "S2L2A" if band_count == 12 else "S2L1C"
        if high is not None and high <= 2:
            return RoleGuess(
                role,
                tr(
                    "{0} bands like Sentinel-2 {1}; they look like reflectance 0-1, TerraMind expects x 10000"
                ).format(band_count, role[2:]),
            )
        return RoleGuess(role, tr("{0} bands like Sentinel-2 {1}").format(band_count, role[2:]))
    if band_count == 2:
        if high is not None and low < 0 and high <= 10:
            return RoleGuess("S1GRD", tr("2 bands of negative values like backscatter in dB"))
        if high is not None and low >= 0 and high <= 2:
            return RoleGuess("S1GRD", tr("2 bands like linear backscatter; convert to dB: 10*log10(x)"))
        return RoleGuess("S1GRD", tr("2 bands, as Sentinel-1 VV and VH"))
    if band_count == 3:
        if high is None or (low >= 0 and high <= 255):
            return RoleGuess("RGB", tr("3 bands of 0-255 colour values"))
        return RoleGuess(None, tr("3 bands, but not 0-255 colour values"))
    if band_count == 1:
        return _one_band(dtype, low, high)
    return RoleGuess(None, tr("{0} bands match no TerraMind input").format(band_count))


def _one_band(dtype: str, low: float | None, high: float | None) -> RoleGuess:
    if low is None:
        return RoleGuess("DEM", tr("one band, as an elevation model"))
    if dtype in _INTEGER and low >= 0 and high <= 30:
        return RoleGuess(
            None, tr("one band of small whole numbers: classes such as land cover, not an input")
        )
    if -1.0 <= low and high <= 1.0:
        return RoleGuess(None, tr("one band between -1 and 1: an index such as NDVI, not an input"))
    return RoleGuess("DEM", tr("one band of elevations"))
