"""bridge/layers.py on the real sample scene: layers -> spec values, output files -> styled layers."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import rasterio
from helpers.paths import SEN1FLOODS, example
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsMultiBandColorRenderer,
    QgsPalettedRasterRenderer,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsSingleBandGrayRenderer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from terramind_qgis.bridge.adapters.layers import (
    add_result_layers,
    area_from_rectangle,
    band_info,
    input_from_layer,
)
from terramind_qgis.core.errors import InputError, OutputError
from terramind_qgis.core.jobs import InputRaster, JobResult, JobSpec, Task
from terramind_qgis.core.products import LULC


def _layer(path, name="layer"):
    layer = QgsRasterLayer(str(path), name, "gdal")
    assert layer.isValid(), path
    return layer


def test_band_info_reads_descriptions_of_real_sen1floods_rasters(qgis_app):
    count, desc = band_info(_layer(SEN1FLOODS / "Spain_7370579_S1Hand.tif"))
    assert (count, desc) == (2, ("VV", "VH"))  # descriptions set in the file (tests/data/README.md §2)
    count, desc = band_info(_layer(SEN1FLOODS / "Spain_7370579_S2Hand.tif"))
    assert count == 13 and desc[0] == "B1" and desc[-1] == "B12"


def test_input_from_layer_gives_absolute_path_modality_and_layer_name(qgis_app):
    layer = _layer(example("S2L2A"), "Chile S2")
    item = input_from_layer(layer, "S2L2A")
    assert item == InputRaster(
        path=str(example("S2L2A").resolve()), modality="S2L2A", bands=None, name="Chile S2"
    )
    mapped = input_from_layer(layer, "S2L2A", bands=range(1, 13))
    assert mapped.bands == tuple(range(1, 13))


def test_input_from_layer_rejects_band_outside_layer_naming_it(qgis_app):
    layer = _layer(example("S1RTC"), "Chile S1")
    with pytest.raises(InputError, match=r"Band\(s\) 3 .*'Chile S1'.* 2 band"):
        input_from_layer(layer, "S1RTC", bands=(1, 3))


def test_input_from_layer_rejects_unknown_modality(qgis_app):
    with pytest.raises(InputError, match="LANDSAT"):
        input_from_layer(_layer(example("S2L2A")), "LANDSAT")


def test_input_from_layer_rejects_non_file_layer(qgis_app):
    xyz = QgsRasterLayer(
        "type=xyz&url=http://127.0.0.1:9/%7Bz%7D/%7Bx%7D/%7By%7D.png&zmax=19&zmin=0", "tiles", "wms"
    )
    with pytest.raises(InputError, match="'tiles' comes from the 'wms' provider"):
        input_from_layer(xyz, "RGB")


def test_area_from_rectangle_keeps_bounds_and_crs(qgis_app):
    area = area_from_rectangle(QgsRectangle(1, 2, 3, 4), QgsCoordinateReferenceSystem("EPSG:32718"))
    assert area.bounds == (1.0, 2.0, 3.0, 4.0) and area.crs == "EPSG:32718"
    with pytest.raises(InputError, match="empty"):
        area_from_rectangle(QgsRectangle(), QgsCoordinateReferenceSystem("EPSG:32718"))


@pytest.fixture()
def outputs(tmp_path):
    """Real rasters standing in for a run's outputs (the reference LULC, S1RTC, S2RGB as a 3-band PCA map)."""
    paths = {
        "lulc": example("LULC"),
        "s1grd": example("S1RTC"),
        "pca": example("S2RGB"),
        "embeddings": example("S2L2A"),
    }
    out = {}
    for kind, src in paths.items():
        out[kind] = str(tmp_path / f"{kind}.tif")
        shutil.copy(src, out[kind])
    return out


@pytest.fixture()
def spec(outputs):
    return JobSpec(
        task=Task.LULC, inputs=(InputRaster(str(example("S2L2A")), "S2L2A", name="S2"),), outputs=outputs
    )


def _render(layer, size=224):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent())
    settings.setOutputSize(QSize(size, size))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


def test_add_result_layers_groups_and_styles_outputs(qgis_app, qgis_new_project, outputs, spec):
    project = QgsProject.instance()
    layers = add_result_layers(JobResult(outputs=outputs), spec, "TerraMind run 1")
    group = project.layerTreeRoot().children()[0]
    assert group.name() == "TerraMind run 1"
    assert [n.layer() for n in group.children()] == layers
    assert [lyr.source() for lyr in layers] == [
        outputs["lulc"],
        outputs["pca"],
        outputs["s1grd"],
    ]  # no embeddings

    lulc, pca, s1 = layers
    renderer = lulc.renderer()
    assert isinstance(renderer, QgsPalettedRasterRenderer)
    assert [c.label for c in renderer.classes()] == list(LULC.class_names)
    assert [c.color.name().upper() for c in renderer.classes()] == [c.upper() for c in LULC.class_colors]

    assert isinstance(s1.renderer(), QgsMultiBandColorRenderer)
    assert (s1.renderer().redBand(), s1.renderer().greenBand(), s1.renderer().blueBand()) == (1, 2, 1)
    with rasterio.open(outputs["s1grd"]) as ds:
        vv, vh = ds.read(1), ds.read(2)
    # without a .qml the style of core.styles is built from the layer's statistics: each band its own range
    renderer = s1.renderer()
    for ce, band in ((renderer.redContrastEnhancement(), vv), (renderer.greenContrastEnhancement(), vh)):
        assert abs(ce.minimumValue() - band.min()) < 1e-3 and abs(ce.maximumValue() - band.max()) < 1e-3

    assert isinstance(pca.renderer(), QgsMultiBandColorRenderer)
    assert (pca.renderer().redBand(), pca.renderer().greenBand(), pca.renderer().blueBand()) == (1, 2, 3)
    assert "TerraMind tiny" in s1.abstract() and "Synthetic" in s1.abstract()


def test_add_result_layers_lulc_renders_class_colours(qgis_app, qgis_new_project, outputs, spec):
    (lulc,) = add_result_layers(JobResult(outputs={"lulc": outputs["lulc"]}), spec, "run")
    image = _render(lulc)
    with rasterio.open(outputs["lulc"]) as ds:
        classes = ds.read(1)
    for value in np.unique(classes):
        row, col = np.argwhere(classes == value)[len(np.argwhere(classes == value)) // 2]
        colour = QColor(image.pixel(int(col), int(row))).name().upper()
        assert colour == LULC.class_colors[value].upper(), value


def test_add_result_layers_adds_embeddings_only_when_asked(qgis_app, qgis_new_project, outputs, spec):
    layers = add_result_layers(JobResult(outputs=outputs), spec, "run", add_embeddings=True)
    assert layers[-1].source() == outputs["embeddings"] and layers[-1].bandCount() == 12


def test_add_result_layers_prefers_core_qml(qgis_app, qgis_new_project, outputs, spec, tmp_path):
    styled = _layer(outputs["lulc"])
    styled.setRenderer(QgsSingleBandGrayRenderer(styled.dataProvider(), 1))
    qml = str(tmp_path / "lulc.qml")
    styled.saveNamedStyle(qml)
    (lulc,) = add_result_layers(
        JobResult(outputs={"lulc": outputs["lulc"]}, styles={"lulc": qml}), spec, "run"
    )
    assert isinstance(lulc.renderer(), QgsSingleBandGrayRenderer)


def test_add_result_layers_missing_file_raises_and_adds_nothing(qgis_app, qgis_new_project, outputs, spec):
    result = JobResult(outputs={"lulc": outputs["lulc"], "s1grd": outputs["s1grd"] + ".missing"})
    with pytest.raises(OutputError, match="missing"):
        add_result_layers(result, spec, "run")
    assert QgsProject.instance().mapLayers() == {}
    assert QgsProject.instance().layerTreeRoot().children() == []
