"""QML styles are well-formed XML that QGIS loads with the intended renderer."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
import rasterio
from affine import Affine

from terramind_qgis.core.qml import gray_qml, paletted_qml, rgb_qml
from terramind_qgis.core.terramind.modalities import LULC_CLASSES, LULC_COLORS


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


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def _entries():
    return [(i, c, n) for i, (c, n) in enumerate(zip(LULC_COLORS, LULC_CLASSES))]


def test_paletted_qml_lists_every_class_with_colour_and_label(tmp_path):
    path = _write(tmp_path / "lulc.qml", paletted_qml(_entries()))
    root = ET.parse(path).getroot()
    renderer = root.find("pipe/rasterrenderer")
    assert renderer.get("type") == "paletted" and renderer.get("band") == "1"
    entries = renderer.findall("colorPalette/paletteEntry")
    assert [e.get("label") for e in entries] == list(LULC_CLASSES)
    assert [e.get("color") for e in entries] == [c.lower() for c in LULC_COLORS]


def test_gray_and_rgb_qml_carry_their_stretch(tmp_path):
    gray = ET.parse(_write(tmp_path / "g.qml", gray_qml(-25.0, 0.5))).getroot()
    ce = gray.find("pipe/rasterrenderer/contrastEnhancement")
    assert float(ce.find("minValue").text) == -25.0 and float(ce.find("maxValue").text) == 0.5
    rgb = ET.parse(_write(tmp_path / "c.qml", rgb_qml(1, 255, bands=(4, 3, 2)))).getroot()
    r = rgb.find("pipe/rasterrenderer")
    assert (r.get("type"), r.get("redBand"), r.get("blueBand")) == ("multibandcolor", "4", "2")
    assert not list(tmp_path.glob("*.part"))


def test_qgis_loads_the_styles(tmp_path, qgis_app):
    qgis_core = pytest.importorskip("qgis.core")
    lulc = _raster(tmp_path / "lulc.tif", 1, "uint8")
    layer = qgis_core.QgsRasterLayer(lulc, "lulc")
    assert layer.isValid()
    _msg, ok = layer.loadNamedStyle(_write(tmp_path / "lulc.qml", paletted_qml(_entries())))
    assert ok and layer.renderer().type() == "paletted"
    assert [c.label for c in layer.renderer().classes()] == list(LULC_CLASSES)
    rgb = qgis_core.QgsRasterLayer(_raster(tmp_path / "pca.tif", 3, "uint8"), "pca")
    _msg, ok = rgb.loadNamedStyle(_write(tmp_path / "pca.qml", rgb_qml(1, 255)))
    assert ok and rgb.renderer().type() == "multibandcolor"
    gray = qgis_core.QgsRasterLayer(_raster(tmp_path / "s1.tif", 2, "float32"), "s1")
    _msg, ok = gray.loadNamedStyle(_write(tmp_path / "s1.qml", gray_qml(-25, 0)))
    assert ok and gray.renderer().type() == "singlebandgray"
    assert gray.renderer().contrastEnhancement().minimumValue() == -25
