"""Write QGIS ``.qml`` layer styles as plain XML (no QGIS import): paletted classes, grey, RGB."""

from __future__ import annotations

import os
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


def _finish(root: ET.Element, path: str) -> str:
    pipe = root.find("pipe")
    ET.SubElement(pipe, "brightnesscontrast", brightness="0", contrast="0", gamma="1")
    ET.SubElement(pipe, "huesaturation", saturation="0", grayscaleMode="0", colorizeOn="0", invertColors="0")
    ET.SubElement(pipe, "rasterresampler", maxOversampling="2")
    ET.SubElement(root, "blendMode").text = "0"
    ET.indent(root)
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(_DOCTYPE)
        f.write(ET.tostring(root, encoding="unicode"))
        f.write("\n")
    os.replace(tmp, path)
    return path


def _contrast(parent: ET.Element, tag: str, vmin: float, vmax: float) -> None:
    ce = ET.SubElement(parent, tag)
    ET.SubElement(ce, "minValue").text = repr(float(vmin))
    ET.SubElement(ce, "maxValue").text = repr(float(vmax))
    ET.SubElement(ce, "algorithm").text = "StretchToMinimumMaximum"


def write_paletted_qml(path: str, classes: Sequence[Tuple[int, str, str]], band: int = 1) -> str:
    """Write a paletted (unique values) style.

    Args:
        path: the ``.qml`` file to write.
        classes: ``(value, "#rrggbb", label)`` per class.
        band: 1-based band the palette applies to.

    Returns:
        ``path``.
    """
    root, renderer = _style({"type": "paletted", "band": str(band)})
    ET.SubElement(renderer, "minMaxOrigin")
    palette = ET.SubElement(renderer, "colorPalette")
    for value, color, label in classes:
        ET.SubElement(
            palette, "paletteEntry", value=str(int(value)), color=color.lower(), alpha="255", label=label
        )
    return _finish(root, path)


def write_gray_qml(path: str, vmin: float, vmax: float, band: int = 1) -> str:
    """Write a single-band grey style stretched from ``vmin`` (black) to ``vmax`` (white)."""
    root, renderer = _style({"type": "singlebandgray", "grayBand": str(band), "gradient": "BlackToWhite"})
    _contrast(renderer, "contrastEnhancement", vmin, vmax)
    return _finish(root, path)


def write_rgb_qml(
    path: str, vmin: float = 0.0, vmax: float = 255.0, bands: Tuple[int, int, int] = (1, 2, 3)
) -> str:
    """Write a multiband colour style (bands as red, green, blue), each stretched ``vmin``..``vmax``."""
    r, g, b = (str(x) for x in bands)
    root, renderer = _style({"type": "multibandcolor", "redBand": r, "greenBand": g, "blueBand": b})
    for tag in ("redContrastEnhancement", "greenContrastEnhancement", "blueContrastEnhancement"):
        _contrast(renderer, tag, vmin, vmax)
    return _finish(root, path)
