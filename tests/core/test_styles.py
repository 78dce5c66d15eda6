"""Each product's ``.qml`` is well-formed XML that QGIS loads with the intended renderer and ranges."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import rasterio
from affine import Affine
from qgis.core import QgsRasterLayer

from terramind_qgis.core.products import LULC, PRODUCTS
from terramind_qgis.core.run_files import style_path
from terramind_qgis.core.styles import style_xml


def _raster(path, count, dtype):
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=8,
        height=8,
        count=count,
        dtype=dtype,
        crs="EPSG:32633",
        transform=Affine(10, 0, 500000, 0, -10, 5000000),
    ) as dst:
        dst.write(np.arange(count * 64).reshape(count, 8, 8).astype(dtype) % 10)
    return str(path)


def write_style(path, product, ranges):
    with open(path, "w", encoding="utf-8") as f:
        f.write(style_xml(product, ranges))
    return path


def test_class_style_lists_every_class_with_colour_and_label(tmp_path):
    root = ET.parse(write_style(str(tmp_path / "lulc.qml"), LULC, [])).getroot()
    renderer = root.find("pipe/rasterrenderer")
    assert renderer.get("type") == "paletted" and renderer.get("band") == "1"
    entries = renderer.findall("colorPalette/paletteEntry")
    assert [e.get("label") for e in entries] == list(LULC.class_names)
    assert [e.get("color") for e in entries] == [c.lower() for c in LULC.class_colors]


def test_value_styles_carry_their_stretch(tmp_path):
    gray = ET.parse(write_style(str(tmp_path / "g.qml"), PRODUCTS["dem"], [(-25.0, 0.5)])).getroot()
    ce = gray.find("pipe/rasterrenderer/contrastEnhancement")
    assert float(ce.find("minValue").text) == -25.0 and float(ce.find("maxValue").text) == 0.5
    ranges = [(float(i), float(10 * i + 5)) for i in range(12)]
    rgb = ET.parse(write_style(str(tmp_path / "c.qml"), PRODUCTS["s2l2a"], ranges)).getroot()
    r = rgb.find("pipe/rasterrenderer")
    assert (r.get("type"), r.get("redBand"), r.get("greenBand"), r.get("blueBand")) == (
        "multibandcolor",
        "4",
        "3",
        "2",
    )
    assert float(r.find("redContrastEnhancement/minValue").text) == 1.0  # common range of B02-B04
    assert float(r.find("redContrastEnhancement/maxValue").text) == 35.0


def test_qgis_loads_the_styles(tmp_path, qgis_app):
    layer = QgsRasterLayer(_raster(tmp_path / "lulc.tif", 1, "uint8"), "lulc")
    assert layer.isValid()
    _msg, ok = layer.loadNamedStyle(write_style(style_path(layer.source()), LULC, []))
    assert ok and layer.renderer().type() == "paletted"
    assert [c.label for c in layer.renderer().classes()] == list(LULC.class_names)
    rgb = QgsRasterLayer(_raster(tmp_path / "pca.tif", 3, "uint8"), "pca")
    _msg, ok = rgb.loadNamedStyle(write_style(style_path(rgb.source()), PRODUCTS["pca"], [(1, 255)] * 3))
    assert ok and rgb.renderer().type() == "multibandcolor"
    gray = QgsRasterLayer(_raster(tmp_path / "dem.tif", 1, "float32"), "dem")
    _msg, ok = gray.loadNamedStyle(write_style(style_path(gray.source()), PRODUCTS["dem"], [(-25, 0)]))
    assert ok and gray.renderer().type() == "singlebandgray"
    assert gray.renderer().contrastEnhancement().minimumValue() == -25
