"""Algorithm parameters mirror JobSpec: parameters -> spec on the real sample scene, validation, help."""

from __future__ import annotations

import pytest
from helpers.paths import ROOT, SEN1FLOODS
from qgis.core import QgsApplication, QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingException

from terramind_qgis.algorithms import base
from terramind_qgis.algorithms.base import parse_band_mapping
from terramind_qgis.bridge.runtime.deps import DependencyReport, PackageStatus
from terramind_qgis.core.errors import InputError
from terramind_qgis.core.jobs import MODALITIES, Area, InputRaster, Task

SAMPLE = ROOT / "resources" / "sample"
S2 = str(SAMPLE / "S2L2A_433D_629L_3_1.tif")
S1 = str(SAMPLE / "S1RTC_433D_629L_3_1.tif")
DEM = str(SAMPLE / "DEM_433D_629L_3_1.tif")
IDS = ("generate_lulc", "generate_s1grd", "generate_modality", "patch_embeddings")


def _alg(name):
    alg = QgsApplication.processingRegistry().createAlgorithmById(f"terramind:{name}")
    assert alg is not None, name
    return alg


@pytest.mark.parametrize("name", IDS)
def test_algorithm_runs_in_background_with_help_and_cancel(provider, name):
    alg = _alg(name)
    flags = alg.flags()
    assert not flags & QgsProcessingAlgorithm.Flag.FlagNoThreading
    assert flags & QgsProcessingAlgorithm.Flag.FlagCanCancel
    assert flags & QgsProcessingAlgorithm.Flag.FlagSupportsBatch
    assert len(alg.shortHelpString()) > 200 and "torch" in alg.shortHelpString()
    assert all(p.help() for p in alg.parameterDefinitions() if not p.isDestination()), name
    names = {p.name() for p in alg.parameterDefinitions()}
    assert {f"INPUT_{m}" for m in MODALITIES} | {
        "BANDS",
        "EXTENT",
        "MODEL_SIZE",
        "WEIGHTS_DIR",
        "DEVICE",
        "PRECISION",
        "BATCH_SIZE",
        "OVERLAP",
        "SEED",
    } <= names


def test_build_spec_maps_every_parameter(provider, tmp_path):
    params = {
        "INPUT_S2L2A": S2,
        "INPUT_S1RTC": S1,
        "INPUT_DEM": DEM,
        "BANDS": "S1RTC: 2,1",
        "EXTENT": "700000,701000,5690000,5691000 [EPSG:32718]",
        "MODEL_SIZE": 2,
        "WEIGHTS_DIR": str(tmp_path),
        "OFFLINE": True,
        "DEVICE": 1,
        "PRECISION": 2,
        "BATCH_SIZE": 8,
        "TILE_SIZE": 256,
        "OVERLAP": 64,
        "TIMESTEPS": 25,
        "SEED": 7,
        "OUTPUT": str(tmp_path / "lulc.tif"),
    }
    spec = _alg("generate_lulc").build_spec(params, QgsProcessingContext())
    assert spec.task == Task.LULC
    assert spec.inputs == (
        InputRaster(S2, "S2L2A", None, "S2L2A_433D_629L_3_1"),
        InputRaster(S1, "S1RTC", (2, 1), "S1RTC_433D_629L_3_1"),
        InputRaster(DEM, "DEM", None, "DEM_433D_629L_3_1"),
    )
    assert spec.outputs == {"lulc": str(tmp_path / "lulc.tif")}
    assert spec.area == Area((700000.0, 5690000.0, 701000.0, 5691000.0), "EPSG:32718")
    assert (spec.model_size, spec.weights_dir, spec.offline) == ("base", str(tmp_path), True)
    assert (spec.device, spec.precision) == ("cpu", "bfloat16")  # indices into DEVICES / PRECISIONS
    assert (spec.batch_size, spec.tile_size, spec.overlap, spec.timesteps, spec.seed) == (8, 256, 64, 25, 7)


def test_build_spec_generate_modality_names_output_after_modality(provider, tmp_path):
    params = {"INPUT_S2L2A": S2, "OUTPUT_MODALITY": 4, "OUTPUT": str(tmp_path / "dem.tif")}  # 4 = DEM
    spec = _alg("generate_modality").build_spec(params, QgsProcessingContext())
    assert (spec.task, spec.output_modality, spec.outputs) == (
        Task.GENERATE,
        "DEM",
        {"dem": str(tmp_path / "dem.tif")},
    )


def test_build_spec_embeddings_has_both_outputs(provider, tmp_path):
    params = {
        "INPUT_S2L2A": S2,
        "OUTPUT_EMBEDDINGS": str(tmp_path / "e.tif"),
        "OUTPUT_PCA": str(tmp_path / "p.tif"),
    }
    spec = _alg("patch_embeddings").build_spec(params, QgsProcessingContext())
    assert spec.task == Task.EMBEDDINGS
    assert spec.outputs == {"embeddings": str(tmp_path / "e.tif"), "pca": str(tmp_path / "p.tif")}


def test_check_parameters_requires_an_input(provider, tmp_path):
    ok, message = _alg("generate_lulc").checkParameterValues(
        {"OUTPUT": str(tmp_path / "x.tif")}, QgsProcessingContext()
    )
    assert not ok and "at least one input raster" in message


def test_build_spec_rejects_band_outside_layer_naming_it(provider, tmp_path):
    params = {
        "INPUT_S1GRD": str(SEN1FLOODS / "Spain_7370579_S1Hand.tif"),
        "BANDS": "S1GRD: 1,3",
        "OUTPUT": str(tmp_path / "x.tif"),
    }
    with pytest.raises(InputError, match=r"Band\(s\) 3 .*'Spain_7370579_S1Hand'.*2 band"):
        _alg("generate_s1grd").build_spec(params, QgsProcessingContext())


def test_build_spec_rejects_mapping_for_missing_input(provider, tmp_path):
    params = {"INPUT_S2L2A": S2, "BANDS": "DEM: 1", "OUTPUT": str(tmp_path / "x.tif")}
    with pytest.raises(InputError, match="DEM, but no such input"):
        _alg("generate_lulc").build_spec(params, QgsProcessingContext())


def test_processing_run_reports_bad_input_as_processing_exception(provider, tmp_path):
    import processing

    with pytest.raises(QgsProcessingException, match="not of the form"):
        processing.run(
            "terramind:generate_lulc",
            {"INPUT_S2L2A": S2, "BANDS": "S2L2A 1 2 3", "OUTPUT": str(tmp_path / "x.tif")},
        )
    assert not (tmp_path / "x.tif").exists()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", {}),
        ("S1GRD: 2,1", {"S1GRD": (2, 1)}),
        ("s2l2a=1 2 3;\nDEM : 1", {"S2L2A": (1, 2, 3), "DEM": (1,)}),
    ],
)
def test_parse_band_mapping(text, expected):
    assert parse_band_mapping(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [("S1GRD 1,2", "not of the form"), ("LANDSAT: 1", "unknown modality"), ("DEM: 1; DEM: 1", "twice")],
)
def test_parse_band_mapping_rejects(text, message):
    with pytest.raises(InputError, match=message):
        parse_band_mapping(text)


def test_can_execute_says_what_is_missing(provider, monkeypatch):
    alg = _alg("generate_lulc")
    assert alg.canExecute() == (True, "")  # torch is installed in this environment
    missing = DependencyReport(
        "/usr/bin/python3", "3.11.2", (PackageStatus("torch", False), PackageStatus("numpy", True))
    )
    monkeypatch.setattr(base, "check_dependencies", lambda: missing)
    ok, message = alg.canExecute()
    assert not ok and "torch" in message


def test_build_spec_embeddings_outputs_can_be_skipped_but_not_both(provider, tmp_path):
    alg = _alg("patch_embeddings")
    only_pca = alg.build_spec(
        {"INPUT_S2L2A": S2, "OUTPUT_PCA": str(tmp_path / "p.tif")}, QgsProcessingContext()
    )
    assert only_pca.outputs == {"pca": str(tmp_path / "p.tif")}
    with pytest.raises(InputError, match="at least one output"):
        alg.build_spec({"INPUT_S2L2A": S2}, QgsProcessingContext())
