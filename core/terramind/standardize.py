"""TerraMind v1 standardisation tables and helpers (docs/model.md §4.1).

``standardize``: ``(x - mean[c]) / std[c]``; ``destandardize``: ``x * std[c] + mean[c]``, per channel on
axis -3 of (C, H, W) or (B, C, H, W) arrays. Works on torch tensors and numpy arrays; torch is not
imported by this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import InputError
from ..i18n import tr
from .modalities import PRETRAINED_BANDS, input_modality_key, output_modality_key

__all__ = ["MEAN", "STD", "standardize", "destandardize", "stats_for"]

_S2L2A_MEAN = (
    1390.458, 1503.317, 1718.197, 1853.91, 2199.1, 2779.975,
    2987.011, 3083.234, 3132.22, 3162.988, 2424.884, 1857.648,
)  # fmt: skip
_S2L2A_STD = (
    2106.761, 2141.107, 2038.973, 2134.138, 2085.321, 1889.926,
    1820.257, 1871.918, 1753.829, 1797.379, 1434.261, 1334.311,
)  # fmt: skip
_S2L1C_MEAN = (
    2357.089, 2137.385, 2018.788, 2082.986, 2295.651, 2854.537, 3122.849,
    3040.56, 3306.481, 1473.847, 506.07, 2472.825, 1838.929,
)  # fmt: skip
_S2L1C_STD = (
    1624.683, 1675.806, 1557.708, 1833.702, 1823.738, 1733.977, 1732.131,
    1679.732, 1727.26, 1024.687, 442.165, 1331.411, 1160.419,
)  # fmt: skip

#: v1 per-channel means by modality key (channel order = PRETRAINED_BANDS).
MEAN: dict[str, tuple[float, ...]] = {
    "untok_sen2l2a@224": _S2L2A_MEAN,
    "tok_sen2l2a@224": _S2L2A_MEAN,
    "untok_sen2l1c@224": _S2L1C_MEAN,
    "untok_sen2rgb@224": (87.271, 80.931, 66.667),
    "untok_sen1grd@224": (-12.599, -20.293),
    "tok_sen1grd@224": (-12.599, -20.293),
    "untok_sen1rtc@224": (-10.93, -17.329),
    "tok_sen1rtc@224": (-10.93, -17.329),
    "untok_dem@224": (670.665,),
    "tok_dem@224": (670.665,),
    "tok_lulc@224": (0.0,),
    "tok_ndvi@224": (0.327,),
}
#: v1 per-channel standard deviations by modality key.
STD: dict[str, tuple[float, ...]] = {
    "untok_sen2l2a@224": _S2L2A_STD,
    "tok_sen2l2a@224": _S2L2A_STD,
    "untok_sen2l1c@224": _S2L1C_STD,
    "untok_sen2rgb@224": (58.767, 47.663, 42.631),
    "untok_sen1grd@224": (5.195, 5.890),
    "tok_sen1grd@224": (5.195, 5.890),
    "untok_sen1rtc@224": (4.391, 4.459),
    "tok_sen1rtc@224": (4.391, 4.459),
    "untok_dem@224": (951.272,),
    "tok_dem@224": (951.272,),
    "tok_lulc@224": (1.0,),
    "tok_ndvi@224": (0.322,),
}


def _table_key(modality: str) -> str:
    if modality in MEAN:
        return modality
    try:
        key = input_modality_key(modality)
    except InputError:
        key = output_modality_key(modality)
    if key not in MEAN:
        raise InputError(
            tr("No standardisation values for modality {0!r}; known: {1}.").format(modality, ", ".join(MEAN))
        )
    return key


def stats_for(
    modality: str, bands: Sequence[str] | None = None
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Return (mean, std) for a user name or modality key, optionally for a band subset in that order.

    Raises:
        InputError: unknown modality, or a band not in the modality's pretrained band list.
    """
    key = _table_key(modality)
    mean, std = MEAN[key], STD[key]
    if bands is None:
        return mean, std
    order = PRETRAINED_BANDS.get("un" + key if key.startswith("tok_") else key)
    if order is None:
        raise InputError(tr("Modality {0!r} has no named bands; pass bands=None.").format(modality))
    unknown = [b for b in bands if b not in order]
    if unknown:
        raise InputError(
            tr("Unknown {0} band(s) {1}; valid bands: {2}.").format(modality, unknown, ", ".join(order))
        )
    idx = [order.index(b) for b in bands]
    return tuple(mean[i] for i in idx), tuple(std[i] for i in idx)


def _torch_float32() -> Any:
    """``torch.float32``, imported only when torch tensors are used."""
    import torch

    return torch.float32


def _apply(x: Any, modality: str, bands: Sequence[str] | None, inverse: bool) -> Any:
    mean, std = stats_for(modality, bands)
    ndim = len(x.shape)
    if ndim < 3 and len(mean) > 1:
        raise InputError(
            tr("{0} array must be (C, H, W) or (B, C, H, W), got shape {1}.").format(modality, tuple(x.shape))
        )
    if len(mean) > 1 and x.shape[-3] != len(mean) and bands:
        raise InputError(
            tr("{0} array has {1} channels on axis -3; expected {2} ({3}).").format(
                modality, x.shape[-3], len(mean), ", ".join(bands)
            )
        )
    if len(mean) > 1 and x.shape[-3] != len(mean):
        raise InputError(
            tr("{0} array has {1} channels on axis -3; expected {2}.").format(
                modality, x.shape[-3], len(mean)
            )
        )
    if hasattr(x, "new_tensor"):  # torch.Tensor
        dtype = x.dtype if x.is_floating_point() else _torch_float32()
        m, s = x.new_tensor(mean, dtype=dtype), x.new_tensor(std, dtype=dtype)
    else:  # numpy array
        import numpy as np

        dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float32
        m, s = np.asarray(mean, dtype=dtype), np.asarray(std, dtype=dtype)
    if len(mean) > 1:
        shape = (len(mean), 1, 1)
        m, s = m.reshape(shape), s.reshape(shape)
    return x * s + m if inverse else (x - m) / s


def standardize(x: Any, modality: str, bands: Sequence[str] | None = None) -> Any:
    """Standardise raw values: ``(x - mean[c]) / std[c]`` on axis -3 (docs/model.md §4.1).

    Args:
        x: (C, H, W) or (B, C, H, W) tensor/array in physical units (DN, dB, metres, NDVI).
            Integer input is promoted to float32; floating input keeps its dtype.
        modality: user name (``"S2L2A"``) or modality key (``"untok_sen2l2a@224"``).
        bands: band names of the channels of ``x`` when it is a subset/permutation of the pretrained order.

    Raises:
        InputError: unknown modality or band, or a channel count that does not match.
    """
    return _apply(x, modality, bands, inverse=False)


def destandardize(x: Any, modality: str, bands: Sequence[str] | None = None) -> Any:
    """Invert :func:`standardize`: ``x * std[c] + mean[c]`` (arguments as there)."""
    return _apply(x, modality, bands, inverse=True)
