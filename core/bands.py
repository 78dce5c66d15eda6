"""Guess an input's modality and band mapping from its band count and descriptions; unit checks.

Band names follow the files users have (``B01`` ... ``B12``, ``VV``, ``VH``); the order of each tuple in
``MODALITY_BANDS`` is the pretrained channel order (docs/model.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .errors import InputError
from .i18n import tr
from .products import INPUT_ROLES

#: Role -> band names in the pretrained channel order (``core.products.INPUT_ROLES``).
MODALITY_BANDS: dict[str, tuple[str, ...]] = {r.modality: r.bands for r in INPUT_ROLES}

# Other spellings of band names found in band descriptions (upper case, non-alphanumerics removed).
_ALIASES: dict[str, tuple[str, ...]] = {
    "B01": ("B1", "COASTAL", "COASTALAEROSOL", "AEROSOL"),
    "B02": ("B2", "BLUE"),
    "B03": ("B3", "GREEN"),
    "B04": ("B4", "RED"),
    "B05": ("B5", "REDEDGE1", "RE1"),
    "B06": ("B6", "REDEDGE2", "RE2"),
    "B07": ("B7", "REDEDGE3", "RE3"),
    "B08": ("B8", "NIR", "NIRBROAD"),
    "B8A": ("NIRNARROW", "NIR08", "REDEDGE4", "RE4"),
    "B09": ("B9", "WATERVAPOR", "WATERVAPOUR", "WV"),
    "B10": ("CIRRUS", "SWIRCIRRUS"),
    "B11": ("SWIR1", "SWIR16"),
    "B12": ("SWIR2", "SWIR22"),
    "VV": ("SIGMA0VV", "GAMMA0VV", "VVDB"),
    "VH": ("SIGMA0VH", "GAMMA0VH", "VHDB"),
    "DEM": ("ELEVATION", "HEIGHT", "DSM", "DTM"),
    "RED": ("R", "B04", "B4"),
    "GREEN": ("G", "B03", "B3"),
    "BLUE": ("B", "B02", "B2"),
}


def _normalise(name: str | None) -> str:
    """Upper-case letters and digits of a band name, without a unit in brackets ("VV (dB)" -> "VV")."""
    return re.sub(r"[^A-Z0-9]", "", re.sub(r"\(.*?\)", "", (name or "").upper()))


def _find(band: str, names: Sequence[str]) -> int | None:
    """0-based index of the description matching ``band`` (or one of its aliases), else None."""
    wanted = {band, *_ALIASES.get(band, ())}
    for i, name in enumerate(names):
        if name in wanted:
            return i
    return None


def guess_modality(band_count: int, descriptions: Sequence[str | None]) -> str | None:
    """Guess the modality of a raster from its band descriptions, else its band count.

    Returns:
        One of ``MODALITY_BANDS`` or ``None`` when nothing fits (the user must choose).
    """
    names = [_normalise(d) for d in descriptions]
    for modality in ("S2L1C", "S2L2A", "S1GRD", "DEM"):  # most specific first: L1C is L2A plus B10
        if all(_find(b, names) is not None for b in MODALITY_BANDS[modality]):
            return modality
    by_count = {13: "S2L1C", 12: "S2L2A", 2: "S1GRD", 3: "RGB", 1: "DEM"}
    return by_count.get(band_count)


def guess_band_mapping(modality: str, band_count: int, descriptions: Sequence[str | None]) -> tuple[int, ...]:
    """1-based band numbers of the file, in ``modality``'s pretrained order.

    Matches band descriptions first; otherwise takes the bands in file order when the count matches, and
    drops B10 from a 13-band Level-1C-like file used as S2L2A.

    Raises:
        InputError: no mapping fits; the message says which bands are needed.
    """
    if modality not in MODALITY_BANDS:
        raise InputError(
            tr("Unknown modality {0!r}; choose one of {1}.").format(modality, sorted(MODALITY_BANDS))
        )
    wanted = MODALITY_BANDS[modality]
    names = [_normalise(d) for d in descriptions][:band_count]
    found = [_find(b, names) for b in wanted]
    if all(i is not None for i in found) and len(set(found)) == len(found):
        return tuple(i + 1 for i in found)
    if band_count == len(wanted):
        return tuple(range(1, band_count + 1))
    if modality == "S2L2A" and band_count == 13:
        return (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13)
    raise InputError(
        tr(
            "A {0} input needs {1} bands ({2}) but the raster has {3} "
            "and its band names do not identify them. Choose the bands "
            "in the band-mapping editor."
        ).format(modality, len(wanted), ", ".join(wanted), band_count)
    )


def check_band_mapping(modality: str, bands: Sequence[int], band_count: int, label: str) -> tuple[int, ...]:
    """Validate a user band mapping against the file; returns it as a tuple.

    Raises:
        InputError: wrong number of bands, or a band number outside ``1..band_count``.
    """
    wanted = MODALITY_BANDS[modality]
    bands = tuple(int(b) for b in bands)
    if len(bands) != len(wanted):
        raise InputError(
            tr("{0} input '{1}': {2} bands were mapped; {3} needs {4} ({5}).").format(
                modality, label, len(bands), modality, len(wanted), ", ".join(wanted)
            )
        )
    bad = [b for b in bands if not 1 <= b <= band_count]
    if bad:
        raise InputError(
            tr("{0} input '{1}' has {2} bands; band number(s) {3} do not exist.").format(
                modality, label, band_count, bad
            )
        )
    return bands


def check_units(modality: str, sample: np.ndarray, label: str) -> list[str]:
    """Warnings about suspicious units in a sample of valid pixels.

    Args:
        modality: the input's modality.
        sample: (C, N) valid pixel values in pretrained band order (float, no NaN).
        label: layer name for the messages.

    Returns:
        Human-readable warnings (empty if the values look as TerraMind expects).
    """
    if sample.size == 0:
        return []
    warnings: list[str] = []
    if modality in ("S1GRD", "S1RTC"):
        if np.min(sample) >= 0 and np.median(sample) < 1.0:
            warnings.append(
                tr(
                    "{0} input '{1}' looks like linear backscatter (all values "
                    ">= 0, median {2:.3g}); TerraMind expects decibels: convert "
                    "with 10*log10(x)."
                ).format(modality, label, float(np.median(sample)))
            )
    elif modality in ("S2L2A", "S2L1C"):
        high = float(np.percentile(sample, 99))
        if high <= 2.0:
            warnings.append(
                tr(
                    "{0} input '{1}' looks like reflectance in 0-1 (99th "
                    "percentile {2:.3g}); TerraMind expects digital numbers "
                    "(reflectance x 10000): multiply by 10000."
                ).format(modality, label, high)
            )
        elif high < 256:
            warnings.append(
                tr(
                    "{0} input '{1}' has implausibly small values for Sentinel-2 "
                    "(99th percentile {2:.3g}): it looks like an 8-bit or "
                    "percent rendering. TerraMind expects digital numbers "
                    "(reflectance x 10000), so the results will be wrong; use "
                    "the product's own bands."
                ).format(modality, label, high)
            )
        elif _has_offset(modality, sample):
            warnings.append(
                tr(
                    "{0} input '{1}' seems to include the +1000 offset of "
                    "Sentinel-2 processing baseline 04.00+. TerraMind was "
                    "pretrained on data both with and without it, so the values "
                    "are used as they are; subtract 1000 if the results look too "
                    "bright."
                ).format(modality, label)
            )
    elif modality == "RGB" and float(np.max(sample)) > 255:
        warnings.append(
            tr(
                "RGB input '{0}' has values above 255; TerraMind expects 8-bit (0-255) colour composites."
            ).format(label)
        )
    return warnings


def _has_offset(modality: str, sample: np.ndarray) -> bool:
    """True if (C, N) Sentinel-2 DN include the +1000 offset (see tests/data/README.md).

    Level-1C: the cirrus band B10 is about 1000-1070 with the offset and 10-60 without it. Level-2A: even
    the darkest visible pixels (0.1 percentile of B02-B04: water, shadow) stay above 1000.
    """
    if modality == "S2L1C" and sample.shape[0] == 13:
        return float(np.median(sample[10])) >= 500
    visible = sample[1:4] if sample.shape[0] >= 4 else sample
    return float(np.percentile(visible, 0.1)) >= 1000
