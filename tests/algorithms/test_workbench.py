"""processing.run of the embedding-workbench algorithms on a real tile (its 12 S2 bands as embeddings).

Seeds and training polygons are regions of the tile's real LULC map, given in EPSG:4326 so that the
algorithms' reprojection into the raster's CRS is exercised; results are compared with the core functions
fed the regions in the raster's own CRS.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from helpers.paths import example
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPalettedRasterRenderer,
    QgsProcessingException,
    QgsProject,
    QgsSingleBandPseudoColorRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant
from rasterio.features import shapes

from terramind_qgis.core.workbench.classify_raster import classify_map
from terramind_qgis.core.workbench.geometry_pixels import Features

SAMPLE = "433D_629L_3_1"
S2 = str(example("S2L2A", SAMPLE))


@pytest.fixture(scope="module")
def regions():
    """(class, GeoJSON polygon in the raster CRS) of LULC regions of 20..1500 pixels, up to 4 per class."""
    with rasterio.open(example("LULC", SAMPLE)) as src:
        lulc, transform = src.read(1), src.transform
    picked: dict = {}
    for geometry, value in shapes(lulc, transform=transform, connectivity=4):
        area = QgsGeometry.fromWkt(_wkt(geometry)).area() / 100.0  # 10 m pixels
        if 20 <= area <= 1500 and int(value) in (1, 2, 4, 5, 9):
            picked.setdefault(int(value), []).append((area, geometry))
    return [(c, g) for c in sorted(picked) for _a, g in sorted(picked[c], key=lambda x: -x[0])[:4]]


def _wkt(geometry: dict) -> str:
    rings = ", ".join("(" + ", ".join(f"{x} {y}" for x, y in ring) + ")" for ring in geometry["coordinates"])
    return f"POLYGON ({rings})"


def _layer(regions, kind: str = "Polygon", names=False) -> QgsVectorLayer:
    """A memory layer in EPSG:4326 of the regions (points: their first vertex moved half a pixel inwards)."""
    layer = QgsVectorLayer(f"{kind}?crs=EPSG:4326", "lulc regions", "memory")
    layer.dataProvider().addAttributes([QgsField("cls", QVariant.String if names else QVariant.Int)])
    layer.updateFields()
    with rasterio.open(S2) as src:
        crs = QgsCoordinateReferenceSystem(src.crs.to_wkt())
    to_wgs84 = QgsCoordinateTransform(crs, QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    feats = []
    for cls, geometry in regions:
        g = QgsGeometry.fromWkt(_wkt(geometry))
        if kind == "Point":
            g = g.pointOnSurface()
        g.transform(to_wgs84)
        f = QgsFeature(layer.fields())
        f.setGeometry(g)
        f.setAttributes([f"class {cls}" if names else cls])
        feats.append(f)
    ok, _ = layer.dataProvider().addFeatures(feats)
    assert ok and layer.featureCount() == len(regions)
    return layer


def _run(name, params, project=False):
    import processing

    return (processing.runAndLoadResults if project else processing.run)(f"terramind:{name}", params)


def test_similarity_with_reprojected_seeds(provider, regions, tmp_path):
    out = str(tmp_path / "sim.tif")
    seeds = _layer([r for r in regions if r[0] == 1][:2])
    result = _run("embedding_similarity", {"INPUT": S2, "SEEDS": seeds, "OUTPUT": out})
    assert result["OUTPUT"] == out
    with rasterio.open(S2) as src:
        data = np.moveaxis(src.read().astype(np.float64), 0, -1)
        grid = (src.crs, src.transform, src.shape)
    from terramind_qgis.core.grid import Grid
    from terramind_qgis.core.workbench.geometry_pixels import pixels_of_features

    rows, cols, _ = pixels_of_features(
        Grid(grid[0], grid[1], grid[2][1], grid[2][0]), [g for c, g in regions if c == 1][:2]
    )
    target = data[rows, cols].mean(axis=0)
    expected = data @ target / (np.linalg.norm(data, axis=-1) * np.linalg.norm(target))
    with rasterio.open(out) as dst:
        assert (dst.crs, dst.transform, dst.shape) == grid
        got = dst.read(1)
    # Reprojected there and back, a vertex may move by far less than a pixel: the same pixels are selected.
    np.testing.assert_allclose(got, expected, atol=2e-6)


def test_clusters_load_paletted_with_a_report(provider, tmp_path, qgis_new_project):
    out, report = str(tmp_path / "k.tif"), str(tmp_path / "k.json")
    result = _run(
        "embedding_clusters",
        {"INPUT": S2, "CLUSTERS": 3, "SEED": 4, "OUTPUT": out, "OUTPUT_REPORT": report},
        project=True,
    )
    assert result == {"OUTPUT": out, "OUTPUT_REPORT": report}
    assert json.loads(open(report).read())["k"] == 3
    (layer,) = [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.source() == out]
    assert isinstance(layer.renderer(), QgsPalettedRasterRenderer)
    assert [c.label for c in layer.renderer().classes()] == ["cluster 1", "cluster 2", "cluster 3"]


@pytest.mark.parametrize("method", [0, 1])
def test_classify_equals_core_on_the_same_regions(provider, regions, method, tmp_path, qgis_new_project):
    paths = {
        k: str(tmp_path / f"{k}.{e}") for k, e in (("c", "tif"), ("p", "tif"), ("r", "json"), ("m", "tmclf"))
    }
    result = _run(
        "embedding_classify",
        {
            "INPUT": S2,
            "TRAINING": _layer(regions, names=True),
            "FIELD": "cls",
            "METHOD": method,
            "FOLDS": 3,
            "OUTPUT": paths["c"],
            "OUTPUT_CONFIDENCE": paths["p"],
            "OUTPUT_REPORT": paths["r"],
            "OUTPUT_MODEL": paths["m"],
        },
        project=True,
    )
    assert result == {
        "OUTPUT": paths["c"],
        "OUTPUT_CONFIDENCE": paths["p"],
        "OUTPUT_REPORT": paths["r"],
        "OUTPUT_MODEL": paths["m"],
    }
    method_id = ("knn", "logistic")[method]
    core = str(tmp_path / "core.tif")
    features = Features("core", [g for _c, g in regions], [f"class {c}" for c, _g in regions])
    classify_map(S2, "S2", core, features, method_id, folds=3)
    with rasterio.open(paths["c"]) as a, rasterio.open(core) as b:
        np.testing.assert_array_equal(a.read(1), b.read(1))
    report = json.loads(open(paths["r"]).read())
    assert [c["name"] for c in report["classes"]] == ["class 1", "class 2", "class 4", "class 5", "class 9"]
    layers = {lyr.source(): lyr for lyr in QgsProject.instance().mapLayers().values()}
    assert isinstance(layers[paths["c"]].renderer(), QgsPalettedRasterRenderer)
    assert isinstance(layers[paths["p"]].renderer(), QgsSingleBandPseudoColorRenderer)
    # the saved classifier, applied with MODEL, gives the same classes
    again = str(tmp_path / "again.tif")
    _run(
        "embedding_classify",
        {"INPUT": S2, "MODEL": paths["m"], "OUTPUT": again, "OUTPUT_CONFIDENCE": None, "OUTPUT_REPORT": None},
    )
    with rasterio.open(again) as a, rasterio.open(paths["c"]) as b:
        np.testing.assert_array_equal(a.read(1), b.read(1))


def test_classify_points_with_too_few_features_per_fold(provider, regions, tmp_path):
    out = str(tmp_path / "c.tif")
    water = sum(c == 1 for c, _g in regions)
    assert water < 5
    with pytest.raises(
        QgsProcessingException, match=f"class '1' has {water} training feature.*fewer than FOLDS=5"
    ):
        _run(
            "embedding_classify",
            {
                "INPUT": S2,
                "TRAINING": _layer(regions, "Point"),
                "FIELD": "cls",
                "METHOD": 2,
                "FOLDS": 5,
                "OUTPUT": out,
            },
        )
    assert not list(tmp_path.iterdir())


def test_change_with_reason(provider, tmp_path):
    out, reason = str(tmp_path / "d.tif"), str(tmp_path / "r.tif")
    result = _run("embedding_change", {"INPUT_A": S2, "INPUT_B": S2, "OUTPUT": out, "OUTPUT_REASON": reason})
    assert result == {"OUTPUT": out, "OUTPUT_REASON": reason}
    with rasterio.open(out) as d, rasterio.open(reason) as r:
        assert np.nanmax(np.abs(d.read(1))) < 1e-6 and (r.read(1) == 0).all()
    with pytest.raises(QgsProcessingException, match="INPUT_B .* has 13 features, INPUT_A .* has 12"):
        _run(
            "embedding_change",
            {"INPUT_A": S2, "INPUT_B": str(example("S2L1C", SAMPLE)), "OUTPUT": str(tmp_path / "x.tif")},
        )


def test_algorithms_are_listed_with_the_issue_parameter_names(provider):
    from qgis.core import QgsApplication

    expected = {
        "embedding_similarity": {"INPUT", "SEEDS", "NEGATIVES", "OUTPUT"},
        "embedding_clusters": {"INPUT", "CLUSTERS", "SEED", "OUTPUT", "OUTPUT_REPORT"},
        "embedding_classify": {
            "INPUT",
            "TRAINING",
            "FIELD",
            "METHOD",
            "FOLDS",
            "OUTPUT",
            "OUTPUT_CONFIDENCE",
            "OUTPUT_REPORT",
            "OUTPUT_MODEL",
            "MODEL",
        },
        "embedding_change": {"INPUT_A", "INPUT_B", "OUTPUT", "OUTPUT_REASON"},
    }
    for name, params in expected.items():
        alg = QgsApplication.processingRegistry().algorithmById(f"terramind:{name}")
        assert {p.name() for p in alg.parameterDefinitions()} == params
        assert not alg.flags() & alg.Flag.FlagNoThreading
        assert alg.flags() & alg.Flag.FlagCanCancel and alg.flags() & alg.Flag.FlagSupportsBatch
        assert all(p.help() for p in alg.parameterDefinitions() if not p.isDestination()), name


def test_similarity_through_qgis_process_equals_processing_run(provider, qgis_process, tmp_path):
    with rasterio.open(S2) as src:
        x, y = src.transform * (60.5, 80.5)
        crs = src.crs.to_string()
    seeds = tmp_path / "seeds.geojson"
    seeds.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": crs}},
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Point", "coordinates": [x, y]},
                    }
                ],
            }
        )
    )
    out = tmp_path / "cli.tif"
    proc = qgis_process("terramind:embedding_similarity", f"INPUT={S2}", f"SEEDS={seeds}", f"OUTPUT={out}")
    log = proc.communicate(timeout=600)[0]
    assert proc.returncode == 0, log[-3000:]
    _run("embedding_similarity", {"INPUT": S2, "SEEDS": str(seeds), "OUTPUT": str(tmp_path / "py.tif")})
    with rasterio.open(out) as a, rasterio.open(tmp_path / "py.tif") as b:
        np.testing.assert_allclose(a.read(1), b.read(1), atol=5e-7)  # float32 dot products in two processes


def test_clusters_run_as_a_model_builder_child(provider, tmp_path):
    import processing
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterRasterLayer,
    )

    model = QgsProcessingModelAlgorithm("workbench model", "tests")
    model.addModelParameter(
        QgsProcessingParameterRasterLayer("emb", "Embeddings"), QgsProcessingModelParameter("emb")
    )
    child = QgsProcessingModelChildAlgorithm("terramind:embedding_clusters")
    child.setChildId("k")
    child.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromModelParameter("emb")])
    child.addParameterSources("CLUSTERS", [QgsProcessingModelChildParameterSource.fromStaticValue(3)])
    output = QgsProcessingModelOutput("clusters")
    output.setChildId("k")
    output.setChildOutputName("OUTPUT")
    child.setModelOutputs({"clusters": output})
    model.addChildAlgorithm(child)
    model.updateDestinationParameters()
    out = str(tmp_path / "model_clusters.tif")
    result = processing.run(model, {"emb": S2, "k:clusters": out})
    assert result["k:clusters"] == out
    with rasterio.open(out) as src:
        assert set(np.unique(src.read(1))) == {1, 2, 3}
