"""QGIS ``.qml`` layer styles as plain XML text (no QGIS import): paletted classes, grey, RGB.

The text is written by the run (``run_files.RunFiles.write_text``), through a temp file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Sequence, Tuple

_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"


def _style(renderer_attrs: dict) -> Tuple[ET.Element, ET.Element]:
    root = ET.Element("qgis", version="3.22.0", styleCategories="AllStyleCategories")
    pipe = ET.SubElement(root, "pipe")
    renderer = ET.SubElement(
        pipe, "rasterrenderer", dict(opacity="1", alphaBand="-1", nodataColor="", **renderer_attrs)
    )
    ET.SubElement(renderer, "rasterTransparency")
    return root, renderer


def _finish(root: ET.Element) -> str:
    pipe = root.find("pipe")
    ET.SubElement(pipe, "brightnesscontrast", brightness="0", contrast="0", gamma="1")
    ET.SubElement(pipe, "huesaturation", saturation="0", grayscaleMode="0", colorizeOn="0", invertColors="0")
    ET.SubElement(pipe, "rasterresampler", maxOversampling="2")
    ET.SubElement(root, "blendMode").text = "0"
    ET.indent(root)
    return _DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


def _contrast(parent: ET.Element, tag: str, vmin: float, vmax: float) -> None:
    ce = ET.SubElement(parent, tag)
    ET.SubElement(ce, "minValue").text = repr(float(vmin))
    ET.SubElement(ce, "maxValue").text = repr(float(vmax))
    ET.SubElement(ce, "algorithm").text = "StretchToMinimumMaximum"


def paletted_qml(classes: Sequence[Tuple[int, str, str]], band: int = 1) -> str:
    """A paletted (unique values) style.

    Args:
        classes: ``(value, "#rrggbb", label)`` per class.
        band: 1-based band the palette applies to.

    """
    root, renderer = _style({"type": "paletted", "band": str(band)})
    ET.SubElement(renderer, "minMaxOrigin")
    palette = ET.SubElement(renderer, "colorPalette")
    for value, color, label in classes:
        ET.SubElement(
            palette, "paletteEntry", value=str(int(value)), color=color.lower(), alpha="255", label=label
        )
    return _finish(root)


def gray_qml(vmin: float, vmax: float, band: int = 1) -> str:
    """A single-band grey style stretched from ``vmin`` (black) to ``vmax`` (white)."""
    root, renderer = _style({"type": "singlebandgray", "grayBand": str(band), "gradient": "BlackToWhite"})
    _contrast(renderer, "contrastEnhancement", vmin, vmax)
    return _finish(root)


def rgb_qml(vmin: float = 0.0, vmax: float = 255.0, bands: Tuple[int, int, int] = (1, 2, 3)) -> str:
    """A multiband colour style (bands as red, green, blue), each stretched ``vmin``..``vmax``."""
    r, g, b = (str(x) for x in bands)
    root, renderer = _style({"type": "multibandcolor", "redBand": r, "greenBand": g, "blueBand": b})
    for tag in ("redContrastEnhancement", "greenContrastEnhancement", "blueContrastEnhancement"):
        _contrast(renderer, tag, vmin, vmax)
    return _finish(root)
