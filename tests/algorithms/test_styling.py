"""algorithms/styling.py: loaded Processing outputs get the dock's style via a kept-alive post-processor."""

from __future__ import annotations

import gc
import shutil

from helpers.paths import example
from qgis.core import (
    QgsMultiBandColorRenderer,
    QgsPalettedRasterRenderer,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsRasterLayer,
)

from terramind_qgis.algorithms import styling
from terramind_qgis.algorithms.styling import style_on_load


def _details(context, path):
    context.addLayerToLoadOnCompletion(
        path, QgsProcessingContext.LayerDetails("out", QgsProject.instance(), "OUTPUT")
    )
    return context.layerToLoadOnCompletionDetails(path)


def test_style_on_load_styles_loaded_lulc_without_qml(qgis_app, tmp_path):
    path = str(tmp_path / "lulc.tif")  # no lulc.qml next to it: only the post-processor can style it
    shutil.copy(example("LULC"), path)
    context = QgsProcessingContext()
    _details(context, path)
    style_on_load(context, path, "lulc", None)
    gc.collect()  # the styler must survive without a reference held by the caller
    processor = context.layerToLoadOnCompletionDetails(path).postProcessor()
    assert processor is not None
    layer = QgsRasterLayer(path, "lulc", "gdal")
    processor.postProcessLayer(layer, context, QgsProcessingFeedback())
    assert isinstance(layer.renderer(), QgsPalettedRasterRenderer)
    assert processor not in styling._PENDING  # released once it has run


def test_style_on_load_s1_false_colour(qgis_app, tmp_path):
    path = str(tmp_path / "s1.tif")
    shutil.copy(example("S1RTC"), path)
    context = QgsProcessingContext()
    _details(context, path)
    style_on_load(context, path, "s1grd", None)
    layer = QgsRasterLayer(path, "s1", "gdal")
    context.layerToLoadOnCompletionDetails(path).postProcessor().postProcessLayer(
        layer, context, QgsProcessingFeedback()
    )
    renderer = layer.renderer()
    assert isinstance(renderer, QgsMultiBandColorRenderer)
    assert (renderer.redBand(), renderer.greenBand(), renderer.blueBand()) == (1, 2, 1)


def test_style_on_load_ignores_outputs_not_loaded(qgis_app, tmp_path):
    context = QgsProcessingContext()
    before = len(styling._PENDING)
    style_on_load(context, str(tmp_path / "x.tif"), "lulc", None)
    assert len(styling._PENDING) == before
