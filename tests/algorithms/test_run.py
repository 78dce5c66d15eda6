"""processing.run of the TerraMind algorithms on the real sample scene with seeded checkpoints."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from helpers.paths import ROOT
from qgis.core import (
    QgsPalettedRasterRenderer,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
)

from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import run_job
from terramind_qgis.core.products import LULC

SAMPLE = ROOT / "resources" / "sample"
S2 = str(SAMPLE / "S2L2A_433D_629L_3_1.tif")


def _grid(path):
    with rasterio.open(path) as ds:
        return ds.crs, ds.transform, ds.width, ds.height


def test_generate_lulc_writes_classes_on_the_input_grid_and_loads_styled(
    provider, weights_dir, tmp_path, qgis_new_project
):
    import processing

    out = str(tmp_path / "lulc.tif")
    result = processing.runAndLoadResults(
        "terramind:generate_lulc",
        {"INPUT_S2L2A": S2, "WEIGHTS_DIR": str(weights_dir), "OFFLINE": True, "OUTPUT": out},
    )
    assert result["OUTPUT"] == out
    assert _grid(out) == _grid(S2)
    with rasterio.open(out) as ds:
        lulc = ds.read(1)
        assert ds.dtypes[0] == "uint8"
    assert set(np.unique(lulc)) <= set(range(10))
    (layer,) = [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.source() == out]
    assert isinstance(layer.renderer(), QgsPalettedRasterRenderer)
    labels = {c.value: c.label for c in layer.renderer().classes()}
    assert {v: labels[v] for v in range(1, 10)} == {v: LULC.class_names[v] for v in range(1, 10)}


def test_generate_modality_s1grd_writes_vv_vh_on_the_input_grid(provider, weights_dir, tmp_path):
    import processing

    out = str(tmp_path / "s1.tif")
    params = {"INPUT_S2L2A": S2, "OUTPUT_MODALITY": 1, "WEIGHTS_DIR": str(weights_dir), "OFFLINE": True,
              "TIMESTEPS": 1, "OUTPUT": out}  # fmt: skip
    assert processing.run("terramind:generate_modality", params)["OUTPUT"] == out  # 1 = S1GRD
    assert _grid(out) == _grid(S2)
    with rasterio.open(out) as ds:
        assert (
            ds.count == 2
            and ds.dtypes == ("float32", "float32")
            and ds.descriptions == ("VV (dB)", "VH (dB)")
        )
        assert np.isfinite(ds.read()).all()
    assert (tmp_path / "s1.qml").exists()  # core's style, which add_result_layers/the post-processor load


def test_patch_embeddings_equal_the_core_pipeline(provider, weights_dir, tmp_path):
    import processing

    params = {
        "INPUT_S2L2A": S2,
        "WEIGHTS_DIR": str(weights_dir),
        "OFFLINE": True,
        "OUTPUT_EMBEDDINGS": str(tmp_path / "emb.tif"),
        "OUTPUT_PCA": str(tmp_path / "pca.tif"),
    }
    result = processing.run("terramind:patch_embeddings", params)
    direct = run_job(
        JobSpec(
            task=Task.EMBEDDINGS,
            inputs=(InputRaster(S2, "S2L2A"),),
            weights_dir=str(weights_dir),
            offline=True,
            outputs={"embeddings": str(tmp_path / "emb_core.tif"), "pca": str(tmp_path / "pca_core.tif")},
        )
    )
    for key, kind in (("OUTPUT_EMBEDDINGS", "embeddings"), ("OUTPUT_PCA", "pca")):
        with rasterio.open(result[key]) as ours, rasterio.open(direct.outputs[kind]) as core:
            assert (ours.crs, ours.transform, ours.shape, ours.count) == (
                core.crs,
                core.transform,
                core.shape,
                core.count,
            )
            np.testing.assert_array_equal(ours.read(), core.read())
    crs, transform, width, height = _grid(S2)
    with rasterio.open(result["OUTPUT_PCA"]) as pca:
        assert pca.count == 3 and pca.shape == (height // 16, width // 16)  # one pixel per 16 x 16 patch
        assert pca.transform.a == 16 * transform.a and pca.crs == crs


def test_algorithm_cancel_raises_and_leaves_no_output(provider, weights_dir, tmp_path):
    import processing

    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        processing.run(
            "terramind:patch_embeddings",
            {
                "INPUT_S2L2A": S2,
                "WEIGHTS_DIR": str(weights_dir),
                "OFFLINE": True,
                "OUTPUT_EMBEDDINGS": str(tmp_path / "emb.tif"),
                "OUTPUT_PCA": str(tmp_path / "pca.tif"),
            },
            feedback=feedback,
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_algorithm_missing_weights_offline_names_the_file(provider, tmp_path):
    import processing

    empty = tmp_path / "no_weights"
    empty.mkdir()
    with pytest.raises(QgsProcessingException, match="TerraMind_v1_tiny.pt"):
        processing.run(
            "terramind:generate_lulc",
            {
                "INPUT_S2L2A": S2,
                "WEIGHTS_DIR": str(empty),
                "OFFLINE": True,
                "OUTPUT": str(tmp_path / "lulc.tif"),
            },
            context=QgsProcessingContext(),
        )
    assert not (tmp_path / "lulc.tif").exists()


def test_patch_embeddings_runs_as_a_model_builder_child(provider, weights_dir, tmp_path):
    import processing
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterRasterLayer,
    )

    model = QgsProcessingModelAlgorithm("terramind model", "tests")
    model.addModelParameter(QgsProcessingParameterRasterLayer("s2", "S2"), QgsProcessingModelParameter("s2"))
    child = QgsProcessingModelChildAlgorithm("terramind:patch_embeddings")
    child.setChildId("emb")
    child.addParameterSources(
        "INPUT_S2L2A", [QgsProcessingModelChildParameterSource.fromModelParameter("s2")]
    )
    for name, value in (("WEIGHTS_DIR", str(weights_dir)), ("OFFLINE", True)):
        child.addParameterSources(name, [QgsProcessingModelChildParameterSource.fromStaticValue(value)])
    output = QgsProcessingModelOutput("pca_out")
    output.setChildId("emb")
    output.setChildOutputName("OUTPUT_PCA")
    child.setModelOutputs({"pca_out": output})
    model.addChildAlgorithm(child)
    model.updateDestinationParameters()
    pca = str(tmp_path / "model_pca.tif")
    result = processing.run(model, {"s2": S2, "emb:pca_out": pca})
    assert result["emb:pca_out"] == pca
    with rasterio.open(pca) as ds:
        assert ds.count == 3 and ds.shape == (14, 14)  # 224 px / 16 px patches


def test_patch_embeddings_in_a_worker_process_equal_in_process(provider, weights_dir, tmp_path):
    """With a worker Python set (Set Up Runtime), the algorithm runs the job there, with the same result."""
    import sys

    import processing

    from terramind_qgis.bridge.adapters import settings

    def params(name):
        return {"INPUT_S2L2A": S2, "WEIGHTS_DIR": str(weights_dir), "OFFLINE": True,
                "OUTPUT_PCA": str(tmp_path / f"{name}_pca.tif")}  # fmt: skip

    local = processing.run("terramind:patch_embeddings", params("local"))
    settings.WORKER_PYTHON.set_value(sys.executable)
    try:
        worker = processing.run("terramind:patch_embeddings", params("worker"))
    finally:
        settings.WORKER_PYTHON.remove()
    with rasterio.open(local["OUTPUT_PCA"]) as a, rasterio.open(worker["OUTPUT_PCA"]) as b:
        assert (a.crs, a.transform, a.shape) == (b.crs, b.transform, b.shape)
        np.testing.assert_array_equal(a.read(), b.read())
