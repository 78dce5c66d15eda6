"""How each output kind looks in QGIS: one ``.qml`` style per product, written as plain XML (no QGIS import).

The scheme comes from ``Product.style`` (``core.products``):

- ``"classes"``: paletted, one entry per class with its colour and name;
- ``"s1_false_colour"``: Sentinel-1 VV and VH in dB as a false-colour composite (red = VV, green = VH,
  blue = VV), each band stretched over its own range so that the weaker VH shows. Not VV - VH (the ratio in
  dB) in blue: a multiband renderer can only show bands the file has, and a third band would change the
  two-band product; with red = blue = VV the hue already shows the VV/VH balance (README, "Outputs");
- ``"rgb"``: the product's ``rgb_bands`` as red, green, blue, over one common range;
- ``"gray"``: the first band, black to white;
- ``"ramp"``: the first band on a colour ramp (``RAMP``) over the product's ``display_range`` or the values.

Core writes ``style_xml`` next to each output (``run_files.style_path``, through the run's files);
``bridge.adapters.layers.apply_style`` loads that file, or the same XML built from the layer's statistics
when there is no file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from .i18n import tr
from .products import Product

#: (minimum, maximum) of one band's valid values.
BandRange = tuple[float, float]

_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
#: Colour ramp of ``"ramp"`` styles, low to high (plasma).
RAMP = ("#0d0887", "#7e03a8", "#cc4778", "#f89540", "#f0f921")
_RGB_TAGS = ("redContrastEnhancement", "greenContrastEnhancement", "blueContrastEnhancement")


def style_xml(product: Product, ranges: Sequence[BandRange]) -> str:
    """The ``.qml`` document of ``product`` for a file whose bands span ``ranges`` (1-based band i: i-1)."""
    if product.style == "classes":
        root = _paletted(product)
    elif product.style == "s1_false_colour" and len(ranges) >= 2:
        root = _multiband((1, 2, 1), [ranges[0], ranges[1], ranges[0]])
    elif product.style == "rgb" and len(ranges) >= max(product.rgb_bands):
        used = [ranges[b - 1] for b in product.rgb_bands]
        common = (min(lo for lo, _ in used), max(hi for _, hi in used))
        root = _multiband(product.rgb_bands, [common] * 3)
    elif product.style == "ramp":
        root = _ramp(product.display_range or (ranges[0] if ranges else (0.0, 1.0)))
    else:
        root = _gray(ranges[0] if ranges else (0.0, 1.0))
    return _serialise(root)


def _renderer(attrs: dict) -> tuple[ET.Element, ET.Element]:
    root = ET.Element("qgis", version="3.22.0", styleCategories="AllStyleCategories")
    pipe = ET.SubElement(root, "pipe")
    base = dict(opacity="1", alphaBand="-1", nodataColor="")
    renderer = ET.SubElement(pipe, "rasterrenderer", dict(base, **attrs))
    ET.SubElement(renderer, "rasterTransparency")
    return root, renderer


def _serialise(root: ET.Element) -> str:
    pipe = root.find("pipe")
    ET.SubElement(pipe, "brightnesscontrast", brightness="0", contrast="0", gamma="1")
    ET.SubElement(pipe, "huesaturation", saturation="0", grayscaleMode="0", colorizeOn="0", invertColors="0")
    ET.SubElement(pipe, "rasterresampler", maxOversampling="2")
    ET.SubElement(root, "blendMode").text = "0"
    ET.indent(root)
    return _DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


def _contrast(parent: ET.Element, tag: str, band_range: BandRange) -> None:
    ce = ET.SubElement(parent, tag)
    ET.SubElement(ce, "minValue").text = repr(float(band_range[0]))
    ET.SubElement(ce, "maxValue").text = repr(float(band_range[1]))
    ET.SubElement(ce, "algorithm").text = "StretchToMinimumMaximum"


def _paletted(product: Product) -> ET.Element:
    root, renderer = _renderer({"type": "paletted", "band": "1"})
    ET.SubElement(renderer, "minMaxOrigin")
    palette = ET.SubElement(renderer, "colorPalette")
    for c in product.classes:
        ET.SubElement(
            palette, "paletteEntry", value=str(c.value), color=c.color.lower(), alpha="255", label=tr(c.name)
        )
    return root


def _gray(band_range: BandRange) -> ET.Element:
    root, renderer = _renderer({"type": "singlebandgray", "grayBand": "1", "gradient": "BlackToWhite"})
    _contrast(renderer, "contrastEnhancement", band_range)
    return root


def _multiband(bands: tuple[int, int, int], ranges: Sequence[BandRange]) -> ET.Element:
    r, g, b = (str(x) for x in bands)
    root, renderer = _renderer({"type": "multibandcolor", "redBand": r, "greenBand": g, "blueBand": b})
    for tag, band_range in zip(_RGB_TAGS, ranges):
        _contrast(renderer, tag, band_range)
    return root


def _ramp(band_range: BandRange) -> ET.Element:
    lo, hi = float(band_range[0]), float(band_range[1])
    hi = hi if hi > lo else lo + 1e-6
    attrs = {"type": "singlebandpseudocolor", "band": "1", "classificationMin": repr(lo)}
    root, renderer = _renderer(dict(attrs, classificationMax=repr(hi)))
    ET.SubElement(renderer, "minMaxOrigin")
    shader = ET.SubElement(ET.SubElement(renderer, "rastershader"), "colorrampshader")
    shader.attrib.update(
        colorRampType="INTERPOLATED",
        classificationMode="2",
        clip="0",
        minimumValue=repr(lo),
        maximumValue=repr(hi),
    )
    for i, color in enumerate(RAMP):
        value = lo + (hi - lo) * i / (len(RAMP) - 1)
        ET.SubElement(shader, "item", value=repr(value), color=color, alpha="255", label=f"{value:.3g}")
    return root
