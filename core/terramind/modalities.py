"""Modality keys, user-name mapping, pretrained band orders (docs/model.md).

Data only: this module imports neither torch nor numpy, so the pipeline and the UI can use it cheaply.
Modality *keys* (``untok_sen2l2a@224``) are the submodule names in the model's ModuleDicts and appear
verbatim in state_dict keys; *user names* (``"S2L2A"``, ``"s1grd"``, ``"RGB"``) are mapped to keys by
:func:`input_modality_key` / :func:`output_modality_key`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..i18n import tr

__all__ = [
    "ModalityInfo",
    "MODALITY_INFO",
    "RAW_MODALITIES",
    "PRETRAINED_BANDS",
    "OUTPUT_MODALITIES",
    "input_modality_key",
    "output_modality_key",
    "pretrained_bands",
]


@dataclass(frozen=True)
class ModalityInfo:
    """What the model needs to know about one modality key.

    Attributes:
        kind: ``"raw"`` (pixels, patch-embedded), ``"tok"`` (FSQ token ids) or ``"seq"`` (token sequence).
        num_channels: input channels of raw modalities / of the tokenizer input (0 for sequences).
        vocab_size: token vocabulary (0 for raw modalities).
        max_length: sequence length for ``"seq"`` modalities.
    """

    kind: str
    num_channels: int = 0
    vocab_size: int = 0
    max_length: int = 0


_FSQ_VOCAB = 15360  # 8*8*8*6*5 (docs/model.md §7.1)
_LULC_VOCAB = 4375  # 7*5*5*5*5

MODALITY_INFO: dict[str, ModalityInfo] = {
    "untok_sen2l2a@224": ModalityInfo("raw", num_channels=12),
    "untok_sen2l1c@224": ModalityInfo("raw", num_channels=13),
    "untok_sen2rgb@224": ModalityInfo("raw", num_channels=3),
    "untok_sen1grd@224": ModalityInfo("raw", num_channels=2),
    "untok_sen1rtc@224": ModalityInfo("raw", num_channels=2),
    "untok_dem@224": ModalityInfo("raw", num_channels=1),
    "tok_sen2l2a@224": ModalityInfo("tok", num_channels=12, vocab_size=_FSQ_VOCAB),
    "tok_sen1grd@224": ModalityInfo("tok", num_channels=2, vocab_size=_FSQ_VOCAB),
    "tok_sen1rtc@224": ModalityInfo("tok", num_channels=2, vocab_size=_FSQ_VOCAB),
    "tok_dem@224": ModalityInfo("tok", num_channels=1, vocab_size=_FSQ_VOCAB),
    "tok_ndvi@224": ModalityInfo("tok", num_channels=1, vocab_size=_FSQ_VOCAB),
    "tok_lulc@224": ModalityInfo("tok", num_channels=10, vocab_size=_LULC_VOCAB),
    "coords": ModalityInfo("seq", vocab_size=30000, max_length=4),
}

#: Canonical user name -> raw modality key (the backbone's pixel inputs).
RAW_MODALITIES: dict[str, str] = {
    "S2L2A": "untok_sen2l2a@224",
    "S2L1C": "untok_sen2l1c@224",
    "S1GRD": "untok_sen1grd@224",
    "S1RTC": "untok_sen1rtc@224",
    "DEM": "untok_dem@224",
    "RGB": "untok_sen2rgb@224",
}

#: Canonical user name -> generated (token) modality key.
OUTPUT_MODALITIES: dict[str, str] = {
    "S2L2A": "tok_sen2l2a@224",
    "S1GRD": "tok_sen1grd@224",
    "S1RTC": "tok_sen1rtc@224",
    "DEM": "tok_dem@224",
    "LULC": "tok_lulc@224",
    "NDVI": "tok_ndvi@224",
}

_S2_BANDS = (
    "COASTAL_AEROSOL", "BLUE", "GREEN", "RED", "RED_EDGE_1", "RED_EDGE_2", "RED_EDGE_3",
    "NIR_BROAD", "NIR_NARROW", "WATER_VAPOR",
)  # fmt: skip

#: Channel order of every pretrained patch embedding (docs/model.md §3.2), keyed by raw modality key.
PRETRAINED_BANDS: dict[str, tuple[str, ...]] = {
    "untok_sen2l2a@224": _S2_BANDS + ("SWIR_1", "SWIR_2"),  # B01..B09, B11, B12
    "untok_sen2l1c@224": _S2_BANDS + ("CIRRUS", "SWIR_1", "SWIR_2"),  # B01..B12 incl. B10
    "untok_sen2rgb@224": ("RED", "GREEN", "BLUE"),
    "untok_sen1grd@224": ("VV", "VH"),
    "untok_sen1rtc@224": ("VV", "VH"),
    "untok_dem@224": ("DEM",),
}

# First matching substring wins (docs/model.md §3.1). "sen1" alone maps to S1GRD (terratorch 1.2.13).
_INPUT_RULES = (
    ("sen2l2a", "untok_sen2l2a@224"),
    ("sen2l1c", "untok_sen2l1c@224"),
    ("sen1rtc", "untok_sen1rtc@224"),
    ("sen1grd", "untok_sen1grd@224"),
    ("rgb", "untok_sen2rgb@224"),
    ("dem", "untok_dem@224"),
    ("lulc", "tok_lulc@224"),
    ("ndvi", "tok_ndvi@224"),
    ("coord", "coords"),
    ("sen1", "untok_sen1grd@224"),
)
_OUTPUT_RULES = (
    ("sen2", "tok_sen2l2a@224"),
    ("sen1rtc", "tok_sen1rtc@224"),
    ("sen1", "tok_sen1grd@224"),
    ("dem", "tok_dem@224"),
    ("lulc", "tok_lulc@224"),
    ("ndvi", "tok_ndvi@224"),
    ("coord", "coords"),
)


def _normalise(name: str) -> str:
    n = name.lower()
    for old, new in (("s2", "sen2"), ("s1", "sen1"), ("text", "caption"), ("location", "coords")):
        n = n.replace(old, new)
    return n


def _map(name: str, rules: tuple[tuple[str, str], ...], valid: str) -> str:
    if not isinstance(name, str):
        raise InputError(tr("Modality name must be a string, got {0!r}.").format(name))
    if name in MODALITY_INFO:
        return name
    normalised = _normalise(name)
    for needle, key in rules:
        if needle in normalised:
            return key
    raise InputError(tr("Unknown modality {0!r}. Valid modalities: {1}.").format(name, valid))


def input_modality_key(name: str) -> str:
    """Map a user input name (``"S2L2A"``, ``"s1grd"``, ``"RGB"``, ``"S1"``) to its modality key.

    Raises:
        InputError: the name matches no modality; the message lists the valid names.
    """
    return _map(name, _INPUT_RULES, ", ".join(list(RAW_MODALITIES) + ["LULC", "NDVI"]))


def output_modality_key(name: str) -> str:
    """Map a user output name (``"LULC"``, ``"S1"``, ``"S1GRD"``, ``"DEM"``) to its token modality key.

    Raises:
        InputError: the name matches no output modality; the message lists the valid names.
    """
    return _map(name, _OUTPUT_RULES, ", ".join(OUTPUT_MODALITIES))


def pretrained_bands(name: str) -> tuple[str, ...]:
    """Band order of the pretrained patch embedding for a user name or raw key (docs/model.md §3.2).

    Raises:
        InputError: the modality is not a raw (pixel) modality with pretrained bands.
    """
    key = input_modality_key(name)
    if key not in PRETRAINED_BANDS:
        raise InputError(
            tr("Modality {0!r} has no pretrained band order; raw modalities are {1}.").format(
                name, ", ".join(RAW_MODALITIES)
            )
        )
    return PRETRAINED_BANDS[key]
