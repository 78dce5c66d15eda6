"""Walk ``core.products`` through every consumer: each task's outputs are written, styled, estimated,
checked, offered by the dock and Processing, and loaded as layers as its table entry says.

The model is a deterministic stand-in (tests/helpers/fake_predictors.py) with the channel count the table
gives, so a new entry is exercised end to end without weights.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
import rasterio
from helpers.fake_predictors import LocalFake, factory
from helpers.paths import BIGEARTHNET
from qgis.core import QgsApplication, QgsLayerTreeModel, QgsProject, QgsRasterLayer

from terramind_qgis.bridge.adapters import settings
from terramind_qgis.bridge.adapters.layers import add_result_layers, apply_style, layer_name
from terramind_qgis.core.checkpoints import CHECKPOINTS
from terramind_qgis.core.estimate import estimate_job
from terramind_qgis.core.jobs import LIMITS, InputRaster, JobSpec, output_kinds, validate_spec
from terramind_qgis.core.pipeline import execute_job
from terramind_qgis.core.products import (
    GENERATED_MODALITIES,
    INPUT_ROLES,
    PRODUCTS,
    TASKS,
    Task,
    required_checkpoints,
    task_products,
)
from terramind_qgis.ui.dock import output_paths
from terramind_qgis.ui.preflight import check_task

S2 = str(BIGEARTHNET / "S2B_MSIL2A_20170924T93020_69_24_S2L2A_12band.tif")
S1 = str(BIGEARTHNET / "S1A_IW_GRDH_1SDV_20170925T043256_35VPK_69_24_S1GRD_VV_VH_dB.tif")
RENDERERS = {"classes": "paletted", "s1_false_colour": "multibandcolor", "rgb": "multibandcolor"}
EMBEDDING_DIM = 8

# tasks with fixed products once; a task that generates a chosen modality once per modality
# fine-tuned models (model "task") run end to end with seeded checkpoints in tests/core/tasks
CASES = [(t, None) for t in TASKS if TASKS[t].products and TASKS[t].model != "task"] + [
    (t, m) for t in TASKS if not TASKS[t].products for m in GENERATED_MODALITIES
]


@pytest.fixture()
def provider(qgis_processing):
    from terramind_qgis.algorithms.provider import TerraMindProvider

    provider = TerraMindProvider()
    assert QgsApplication.processingRegistry().addProvider(provider)
    yield provider
    QgsApplication.processingRegistry().removeProvider(provider)


def _input(modality) -> InputRaster:
    """Sentinel-2 L2A, or Sentinel-1 GRD when Sentinel-2 is what is generated."""
    return InputRaster(S1, "S1GRD") if modality == "S2L2A" else InputRaster(S2, "S2L2A")


def _spec(task, modality, folder) -> JobSpec:
    return JobSpec(
        task=task,
        inputs=(_input(modality),),
        outputs=output_paths(task, modality, str(folder), "run"),
        output_modality=modality,
    )


def _legend(layer) -> list[str]:
    root = QgsProject.instance().layerTreeRoot()
    model = QgsLayerTreeModel(root)  # keep it alive while its legend nodes are read
    return [n.data(0) for n in model.layerLegendNodes(root.findLayer(layer.id()))]


def _fake(spec) -> LocalFake:
    products = task_products(spec.task, spec.output_modality)
    if TASKS[spec.task].generative:
        return LocalFake(out_channels=products[0].model_channels)
    return LocalFake(out_channels=EMBEDDING_DIM, out_scale=16)


def test_tables_are_consistent():
    assert list(TASKS) == list(Task)  # every public task id has one entry
    for info in TASKS.values():
        assert all(kind in PRODUCTS for kind in info.products)
    for product in PRODUCTS.values():
        assert product.checkpoint is None or product.checkpoint in CHECKPOINTS
        assert (product.modality is None) == (product.checkpoint is None)
        assert [c.value for c in product.classes] == list(range(len(product.classes)))
        assert all(len(c.color) == 7 and c.color.startswith("#") for c in product.classes)
    for modality in GENERATED_MODALITIES:
        assert task_products(Task.GENERATE, modality)[0].modality == modality
    for role in INPUT_ROLES:
        assert role.bands and len(set(role.bands)) == len(role.bands)
    for name, limit in LIMITS.items():
        assert limit.low <= limit.default <= limit.high, name
        assert getattr(settings, name.upper()).default == limit.default


@pytest.mark.parametrize("task, modality", CASES, ids=[f"{t.value}-{m}" for t, m in CASES])
def test_every_consumer_follows_the_table(task, modality, tmp_path, qgis_app, qgis_new_project):
    spec = _spec(task, modality, tmp_path)
    products = task_products(task, modality)
    # job spec, pre-flight and checkpoints
    validate_spec(spec)
    assert output_kinds(spec) == tuple(p.kind for p in products) == tuple(spec.outputs)
    assert check_task(task, [_input(modality).modality], modality) == []
    needed = required_checkpoints(task, "tiny", modality)
    assert needed[0] == "terramind_v1_tiny" and all(n in CHECKPOINTS for n in needed)
    assert needed[1:] == [p.checkpoint for p in products if p.checkpoint]
    estimate = estimate_job(spec)
    assert estimate.tiles >= 1 and estimate.seconds > 0 and estimate.disk_bytes > 0
    # pipeline, predictor channels, writers and styles
    result = execute_job(spec, factory(_fake(spec)))
    assert set(result.outputs) == {p.kind for p in products}
    for product in products:
        path = result.outputs[product.kind]
        with rasterio.open(path) as src:
            assert src.dtypes[0] == product.dtype
            if product.band_names:
                assert src.descriptions == product.band_descriptions
            else:
                assert src.count == EMBEDDING_DIM
            if product.nodata is not None:
                assert src.nodata == product.nodata
            if product.classes:
                data = src.read(1)
                assert set(np.unique(data)) <= {c.value for c in product.classes} | {product.nodata}
                assert src.tags(1)["CLASS_NAMES"].split(",") == list(product.class_names)
    # layer loader: names, order, which layers go on the map, and the style of each
    layers = add_result_layers(result, spec, "run", QgsProject.instance())
    shown = [p for p in PRODUCTS.values() if p.kind in result.outputs and p.on_map]
    assert [layer.name() for layer in layers] == [layer_name(p.kind) for p in shown]
    for layer, product in zip(layers, shown):
        assert layer.name() == product.title
        expected = RENDERERS.get(product.style, "singlebandgray")
        assert layer.renderer().type() == expected
        assert result.styles[product.kind] == os.path.splitext(result.outputs[product.kind])[0] + ".qml"
        bare = QgsRasterLayer(result.outputs[product.kind], "bare", "gdal")  # no .qml: the same style
        apply_style(bare, product.kind, None)
        assert bare.renderer().type() == expected
        if product.classes:
            assert [c.label for c in bare.renderer().classes()] == list(product.class_names)
        if product.style == "s1_false_colour":  # red VV, green VH, blue VV, with the unit in the legend
            r = layer.renderer()
            assert (r.redBand(), r.greenBand(), r.blueBand()) == (1, 2, 1)
            legend = _legend(layer)
            assert any("VV (dB)" in t for t in legend) and any("VH (dB)" in t for t in legend), legend


@pytest.mark.parametrize("task", list(Task))
def test_dock_and_processing_offer_each_task(task, provider, qgis_app):
    from terramind_qgis.ui.widgets.task_form import TaskForm

    form = TaskForm()
    form.set_task(task.value)
    assert form.task() == task and form.task_combo.currentText() == TASKS[task].title
    algorithms = [
        a
        for a in QgsApplication.processingRegistry().algorithms()
        if a.provider() is not None and a.provider().id() == "terramind" and getattr(a, "task", None) == task
    ]
    assert len(algorithms) == 1
    algorithm = algorithms[0]
    assert algorithm.displayName() == TASKS[task].title
    kinds = [kind for _name, kind in algorithm.outputs]
    if TASKS[task].products:
        assert sorted(kinds) == sorted(TASKS[task].products + TASKS[task].tables)
    names = {p.name() for p in algorithm.parameterDefinitions()}
    assert ("TIMESTEPS" in names) == TASKS[task].generative
    for name, limit in LIMITS.items():
        param = algorithm.parameterDefinition(name.upper())
        if param is not None:
            assert (param.defaultValue(), param.minimum(), param.maximum()) == (
                TASKS[task].default(name, limit.default),
                limit.low,
                limit.high,
            )
