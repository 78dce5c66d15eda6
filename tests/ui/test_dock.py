"""ui/dock.py: the panel builds the right JobSpec from real layers and rejects bad inputs clearly."""

from __future__ import annotations

import shutil
from html import escape

from helpers.paths import ROOT, example
from pytest_qgis.utils import wait_until
from qgis.core import Qgis, QgsProject, QgsRasterLayer
from qgis.PyQt.QtWidgets import QDockWidget

from terramind_qgis.bridge.adapters import settings
from terramind_qgis.core.jobs import JobSpec, Task
from terramind_qgis.ui.widgets.area import DRAWN, MAP_EXTENT


def test_dock_is_docked_with_a_picker_per_modality(dock, qgis_iface):
    assert dock in qgis_iface.mainWindow().findChildren(QDockWidget)
    assert list(dock.pickers) == ["S2L2A", "S2L1C", "S1GRD", "S1RTC", "DEM", "RGB"]
    for picker in dock.pickers.values():
        assert picker.layer() is None and picker.combo.allowEmptyLayer()


def test_dock_picker_lists_only_rasters_and_shows_band_count(dock, scene, qgis_countries_layer):
    combo = dock.pickers["S2L2A"].combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "s2l2a chile" in names and qgis_countries_layer.name() not in names
    dock.pickers["S2L2A"].set_layer(scene["S2L2A"])
    assert "12 bands" in dock.pickers["S2L2A"].bands_label.text()  # the Chile S2L2A file has 12 bands
    assert dock.pickers["S2L2A"].mapping() == tuple(range(1, 13))
    assert dock.pickers["S2L2A"].bands_label.text().startswith("✓")


def test_dock_put_layer_uses_suggested_role(dock, scene):
    assert dock.put_layer(scene["SPAIN_S2"]) == "S2L1C"  # 13 described bands B1..B12 incl. B10
    assert dock.pickers["S2L1C"].layer() is scene["SPAIN_S2"]
    assert dock.put_layer(scene["SPAIN_S1"]) == "S1GRD"  # bands described VV, VH
    assert dock.put_layer(scene["DEM"]) == "DEM"
    assert dock.put_layer(scene["S1RTC"], "S1RTC") == "S1RTC"  # explicit role wins


def test_use_in_terramind_guesses_from_names_and_values_and_says_why(dock, scene, tmp_path):
    assert dock.use_layer(scene["S1RTC"]) == "S1RTC"  # 2 bands, but the name says RTC
    assert "s1rtc chile" in dock.status_label.text() and "S1RTC" in dock.status_label.text()
    nameless = tmp_path / "scene_b.tif"  # a land-cover raster whose names say nothing
    shutil.copy(ROOT / "resources" / "sample" / "LULC_433D_629L_3_1.tif", nameless)
    lulc = QgsRasterLayer(str(nameless), "scene b", "gdal")
    QgsProject.instance().addMapLayer(lulc)
    assert dock.use_layer(lulc) is None  # only its values can tell: they are read in the background
    assert dock.status_label.text() == "Reading the values of “scene b” to tell its role…"
    assert wait_until(lambda: "not used" in dock.status_label.text())
    assert "small whole numbers" in dock.status_label.text()  # classes, not a DEM
    assert dock.pickers["DEM"].layer() is None


def test_a_layer_only_its_values_can_place_is_put_when_they_are_read(dock, scene, tmp_path):
    nameless = tmp_path / "scene_c.tif"  # Sentinel-1 in dB under a name that says nothing, no descriptions
    shutil.copy(ROOT / "resources" / "sample" / "S1RTC_433D_629L_3_1.tif", nameless)
    layer = QgsRasterLayer(str(nameless), "scene c", "gdal")
    QgsProject.instance().addMapLayer(layer)
    assert dock.use_layer(layer) is None and dock.pickers["S1GRD"].layer() is None
    assert wait_until(lambda: dock.pickers["S1GRD"].layer() is layer)  # the combo, once the values are in
    assert "negative values like backscatter in dB" in dock.status_label.text()
    assert dock.put_layer(layer) == "S1GRD"  # known now: no second read


def test_a_layer_removed_while_its_values_are_read_is_left_alone(dock, scene, tmp_path):
    nameless = tmp_path / "scene_d.tif"
    shutil.copy(ROOT / "resources" / "sample" / "S1RTC_433D_629L_3_1.tif", nameless)
    layer = QgsRasterLayer(str(nameless), "scene d", "gdal")
    QgsProject.instance().addMapLayer(layer)
    assert dock.offer_layer(layer) is None
    QgsProject.instance().removeMapLayer(layer.id())
    assert wait_until(lambda: not dock.inputs_box.guesses.pending())
    assert dock.offer.isHidden() and dock.chosen_layers() == {}


def test_use_in_terramind_on_a_new_scene_starts_a_fresh_input_set_and_offers_its_layers(dock, scene):
    assert dock.use_layer(scene["SPAIN_S2"]) == "S2L1C"
    assert dock.offer.offered_all() == [("S1GRD", scene["SPAIN_S1"].id())]  # same footprint
    dock.offer.use_button.click()
    assert dock.chosen_layers() == {"S2L1C": scene["SPAIN_S2"], "S1GRD": scene["SPAIN_S1"]}
    assert dock.use_layer(scene["S2L2A"]) == "S2L2A"  # Chile: another scene
    assert dock.chosen_layers() == {"S2L2A": scene["S2L2A"]}  # the Spain layers are not kept
    offered = dict(dock.offer.offered_all())
    assert offered == {"S1RTC": scene["S1RTC"].id(), "DEM": scene["DEM"].id(), "RGB": scene["RGB"].id()}
    dock.offer.use_button.click()
    assert set(dock.chosen_layers()) == {"S2L2A", "S1RTC", "DEM", "RGB"}
    dock.pickers["S1GRD"].set_layer(scene["SPAIN_S1"])  # mixing scenes by hand is refused before running
    assert any("does not overlap" in e for e in dock.check().errors)


def test_dock_offers_selected_layer_for_the_empty_role_that_fits(dock, scene):
    assert dock.offer_layer(scene["DEM"]) == "DEM"
    assert dock.offer.offered() == ("DEM", scene["DEM"].id())
    dock.offer.use_button.click()
    assert dock.pickers["DEM"].layer() is scene["DEM"] and dock.offer.isHidden()
    assert dock.offer_layer(scene["DEM"]) is None  # already used
    assert dock.offer_layer(scene["SPAIN_S2"]) == "S2L1C"


def test_dock_build_spec_from_real_layers(dock, scene, tmp_path):
    dock.put_layer(scene["S2L2A"], "S2L2A")
    dock.put_layer(scene["DEM"], "DEM")
    dock.task_combo.setCurrentIndex(dock.task_combo.findData(Task.EMBEDDINGS.value))
    dock.size_combo.setCurrentIndex(dock.size_combo.findData("small"))
    dock.devices.set_device("cpu")
    dock.devices.set_precision("float32")
    dock.advanced.overlap.setValue(48)
    dock.advanced.batch_size.setValue(2)
    dock.advanced.seed.setValue(7)
    spec = dock.build_spec(str(tmp_path), "run")
    assert spec.task == Task.EMBEDDINGS and spec.model_size == "small"
    assert [(i.modality, i.path, i.bands) for i in spec.inputs] == [
        ("S2L2A", str(example("S2L2A")), tuple(range(1, 13))),
        ("DEM", str(example("DEM")), (1,)),
    ]
    assert spec.outputs == {
        "embeddings": str(tmp_path / "run_embeddings.tif"),
        "pca": str(tmp_path / "run_pca.tif"),
    }
    assert (spec.device, spec.precision, spec.overlap, spec.batch_size, spec.seed) == (
        "cpu",
        "float32",
        48,
        2,
        7,
    )
    assert spec.area is None and not spec.offline and spec.embedding_stride == 16
    assert JobSpec.from_json(spec.to_json()) == spec
    dock.task_form.stride_combo.setCurrentIndex(dock.task_form.stride_combo.findData(8))
    assert dock.build_spec(str(tmp_path), "run").embedding_stride == 8
    assert not dock.task_form.stride_combo.isHidden()
    dock.task_combo.setCurrentIndex(dock.task_combo.findData(Task.LULC.value))
    assert dock.task_form.stride_combo.isHidden()  # a generator has no stride


def test_dock_build_spec_generate_modality_and_extent_area(dock, scene, qgis_canvas, tmp_path):
    dock.put_layer(scene["S2L2A"], "S2L2A")
    dock.task_combo.setCurrentIndex(dock.task_combo.findData(Task.GENERATE.value))
    assert not dock.modality_combo.isHidden()
    dock.modality_combo.setCurrentIndex(dock.modality_combo.findData("DEM"))
    qgis_canvas.setDestinationCrs(scene["S2L2A"].crs())
    qgis_canvas.setExtent(scene["S2L2A"].extent())
    dock.area.set_mode(MAP_EXTENT)
    spec = dock.build_spec(str(tmp_path), "gen")
    assert spec.output_modality == "DEM" and spec.outputs == {"dem": str(tmp_path / "gen_dem.tif")}
    assert spec.area.crs == scene["S2L2A"].crs().authid()
    assert spec.area.bounds == (
        qgis_canvas.extent().xMinimum(), qgis_canvas.extent().yMinimum(),
        qgis_canvas.extent().xMaximum(), qgis_canvas.extent().yMaximum(),
    )  # fmt: skip


def test_dock_check_without_input_asks_for_a_layer(dock):
    errors = dock.check().errors
    assert len(errors) == 1 and "Choose at least one input layer" in errors[0]


def test_dock_check_rejects_layers_of_different_places(dock, scene):
    dock.put_layer(scene["S2L2A"], "S2L2A")  # Chile
    dock.put_layer(scene["SPAIN_S1"], "S1GRD")  # Spain
    errors = dock.check().errors
    assert len(errors) == 1
    assert "“s1 spain” does not overlap the S2L2A layer “s2l2a chile”" in errors[0]


def test_dock_check_reports_unmapped_band(dock, scene):
    dock.put_layer(scene["S2L2A"], "S2L2A")
    dock.pickers["S2L2A"].editor._combos[3].setCurrentIndex(0)  # B04 -> (none)
    assert dock.pickers["S2L2A"].bands_label.text().startswith("⚠")
    errors = dock.check().errors
    assert (
        len(errors) == 1 and "“s2l2a chile” has 12 band(s); model band(s) [4] have no layer band" in errors[0]
    )


def test_dock_check_wrong_band_count_has_no_default_mapping(dock, scene):
    dock.put_layer(scene["DEM"], "S2L2A")  # a 1-band DEM cannot be Sentinel-2
    assert dock.pickers["S2L2A"].mapping() == (0,) * 12
    errors = dock.check().errors
    assert "“dem chile” has 1 band(s)" in errors[0]


def test_dock_check_drawn_area_missing_or_outside(dock, scene, qgis_canvas):
    dock.put_layer(scene["S2L2A"], "S2L2A")
    dock.area.set_mode(DRAWN)
    assert "Draw a rectangle on the map first" in dock.check().errors[0]
    spain = scene["SPAIN_S2"]
    dock.area.set_drawn_rectangle(spain.extent(), spain.crs())
    assert "does not overlap the layer “s2l2a chile”" in dock.check().errors[0]
    chile = scene["S2L2A"].extent()
    chile.scale(0.5)
    dock.area.set_drawn_rectangle(chile, scene["S2L2A"].crs())
    assert dock.check().errors == []


def test_dock_check_missing_output_folder(dock, scene, tmp_path):
    dock.put_layer(scene["S2L2A"], "S2L2A")
    dock.output.set_folder(str(tmp_path / "nope"))
    errors = dock.check().errors
    assert len(errors) == 1 and "does not exist" in errors[0] and "nope" in errors[0]


def test_dock_options_persist_in_settings(dock, qgis_iface, scene, tmp_path):
    dock.size_combo.setCurrentIndex(dock.size_combo.findData("base"))
    dock.advanced.timesteps.setValue(25)
    dock.output.set_folder(str(tmp_path))
    dock.devices.set_precision("bfloat16")
    dock.task_form.set_task(Task.GENERATE.value, "NDVI")
    dock.save_settings()
    assert settings.MODEL_SIZE.value() == "base" and settings.TIMESTEPS.value() == 25
    assert settings.OUTPUT_DIR.value() == str(tmp_path) and settings.PRECISION.value() == "bfloat16"
    from terramind_qgis.ui.dock import TerraMindDock

    again = TerraMindDock(qgis_iface)
    assert again.size_combo.currentData() == "base" and again.advanced.timesteps.value() == 25
    assert again.output.folder() == str(tmp_path) and again.devices.precision() == "bfloat16"
    assert again.current_task() == Task.GENERATE and again.task_form.output_modality() == "NDVI"
    again.shutdown()
    again.deleteLater()


def test_dock_check_accepts_overlapping_layer_in_another_crs_with_a_warning(dock, scene, tmp_path):
    from osgeo import gdal
    from qgis.core import QgsProject, QgsRasterLayer

    warped = tmp_path / "dem_4326.tif"
    gdal.Warp(str(warped), str(example("DEM")), dstSRS="EPSG:4326")  # the Chile DEM in lon/lat
    dem = QgsRasterLayer(str(warped), "dem lonlat", "gdal")
    QgsProject.instance().addMapLayer(dem)
    dock.put_layer(scene["S2L2A"], "S2L2A")
    dock.put_layer(dem, "DEM")
    result = dock.check()
    assert result.errors == []
    assert result.warnings == [
        "The DEM layer “dem lonlat” (EPSG:4326) will be warped onto the grid of “s2l2a chile” (EPSG:32718)."
    ]


def test_dock_check_empty_map_extent_is_an_error_not_an_exception(dock, scene, qgis_canvas):
    from qgis.core import QgsCoordinateReferenceSystem

    dock.put_layer(scene["S2L2A"], "S2L2A")
    previous = qgis_canvas.mapSettings().destinationCrs()
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem())  # no CRS on the canvas
    try:
        dock.area.set_mode(MAP_EXTENT)
        errors = dock.check().errors
    finally:
        qgis_canvas.setDestinationCrs(previous)  # the canvas is shared by the whole session
    assert len(errors) == 1 and "CRS" in errors[0]


def test_dock_progress_shows_time_left(dock, monkeypatch):
    from terramind_qgis.ui import run_launcher

    dock.launcher._started = 1000.0
    monkeypatch.setattr(run_launcher.time, "monotonic", lambda: 1030.0)  # 30 s after the start
    dock.launcher.show_progress(25.0)  # a quarter in 30 s: 90 s to go
    assert dock.progress_bar.value() == 25 and dock.progress_bar.format() == "%p% · 2 min left"
    dock.launcher.show_progress(75.0)  # three quarters in 30 s: 10 s to go
    assert dock.progress_bar.format() == "%p% · 10 s left"
    dock.launcher.show_progress(2.0)  # too early to extrapolate
    assert dock.progress_bar.format() == "%p%"


def test_dock_refuses_to_run_in_qgis_python_without_torch(dock, scene, monkeypatch):
    from terramind_qgis.bridge.runtime.deps import DependencyReport, PackageStatus
    from terramind_qgis.ui import run_check

    missing = DependencyReport(
        python="/usr/bin/python3", python_version="3.11.2",
        packages=(PackageStatus(name="torch", importable=False),),
    )  # fmt: skip
    monkeypatch.setattr(run_check, "check_dependencies", lambda: missing)
    dock.put_layer(scene["S2L2A"])
    assert not dock.check_and_estimate()
    assert escape(missing.message(), quote=False) in dock.summary_label.text()  # the label shows rich text
    settings.WORKER_PYTHON.set_value("/opt/terramind/bin/python")  # a worker Python has its own packages
    assert dock.check_and_estimate(), dock.summary_label.text()
    assert escape(missing.message(), quote=False) not in dock.summary_label.text()


def test_dock_warns_about_a_large_job_and_refuses_one_that_does_not_fit_the_disk(
    dock, scene, tmp_path, monkeypatch
):
    """The limits Processing and the CLI enforce (core.estimate): a warning here, the disk an error."""
    from terramind_qgis.core import estimate

    dock.put_layer(scene["SPAIN_S2"], "S2L1C")
    dock.task_combo.setCurrentIndex(dock.task_combo.findData(Task.S1GRD.value))
    dock.advanced.timesteps.setValue(1000)  # 9 tiles of 1000 diffusion steps: hours on a CPU
    dock.output.set_folder(str(tmp_path))
    assert dock.check_and_estimate(), dock.summary_label.text()
    assert "This job is large" in dock.summary_label.text()
    real = estimate.shutil.disk_usage
    monkeypatch.setattr(estimate.shutil, "disk_usage", lambda p: real(p)._replace(free=1000))
    assert not dock.check_and_estimate()
    assert "only 0.00 GB free" in dock.summary_label.text() and str(tmp_path) in dock.summary_label.text()


def _weights_dock(dock, scene, tmp_path, offline):
    settings.WEIGHTS_DIR.set_value("")
    settings.CACHE_DIR.set_value(str(tmp_path / "empty-cache"))
    settings.OFFLINE.set_value(offline)
    dock.put_layer(scene["S2L2A"], "S2L2A")
    dock.task_combo.setCurrentIndex(dock.task_combo.findData(Task.LULC.value))
    dock.size_combo.setCurrentIndex(dock.size_combo.findData("tiny"))
    dock.output.set_folder(str(tmp_path))
    asked = []
    dock.ask_missing_weights = lambda parent, names, cache: asked.append((names, cache)) or "cancel"
    return asked


def test_run_without_weights_names_the_files_and_sizes_and_asks_first(dock, scene, tmp_path):
    asked = _weights_dock(dock, scene, tmp_path, offline=False)
    assert dock.check_and_estimate()
    assert "downloaded first, about 0.95 GB" in dock.summary_label.text()
    assert "TerraMind_v1_tiny.pt (212 MB)" in dock.summary_label.text()
    assert not dock.run() and dock.task is None  # the user cancelled the prompt: nothing starts
    assert asked == [(["terramind_v1_tiny", "terramind_v1_tokenizer_lulc"], str(tmp_path / "empty-cache"))]
    # "Download now": tests/ui/test_dock_run.py, against a local hub


def test_offline_run_without_weights_says_which_files_and_where(dock, scene, tmp_path, qgis_iface):
    asked = _weights_dock(dock, scene, tmp_path, offline=True)
    settings.WEIGHTS_DIR.set_value(str(tmp_path / "weights"))
    assert not dock.run() and asked == []
    message = " ".join(qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning))
    assert "TerraMind_v1_tiny.pt" in message and "TerraMind_Tokenizer_LULC.pt" in message
    assert str(tmp_path / "weights") in message


def test_a_selected_layer_is_offered_when_its_values_are_read_if_still_selected(dock, scene, tmp_path):
    layers = []
    for name in ("scene_e", "scene_f"):
        shutil.copy(ROOT / "resources" / "sample" / "S1RTC_433D_629L_3_1.tif", tmp_path / f"{name}.tif")
        layers.append(QgsRasterLayer(str(tmp_path / f"{name}.tif"), name, "gdal"))
        QgsProject.instance().addMapLayer(layers[-1])
    assert dock.offer_layer(layers[0]) is None
    assert wait_until(lambda: dock.offer.offered() == ("S1GRD", layers[0].id()))
    assert dock.offer_layer(layers[1]) is None  # read in the background ...
    assert dock.offer_layer(scene["DEM"]) == "DEM"  # ... while the user selects another layer
    assert wait_until(lambda: not dock.inputs_box.guesses.pending())
    assert dock.offer.offered() == ("DEM", scene["DEM"].id())  # the stale guess offers nothing


def test_a_guess_that_arrives_after_another_layer_was_used_places_nothing(dock, scene, tmp_path):
    shutil.copy(ROOT / "resources" / "sample" / "S1RTC_433D_629L_3_1.tif", tmp_path / "scene_g.tif")
    late = QgsRasterLayer(str(tmp_path / "scene_g.tif"), "scene g", "gdal")
    QgsProject.instance().addMapLayer(late)
    assert dock.use_layer(late) is None  # its values are read in the background ...
    assert dock.use_layer(scene["S2L2A"]) == "S2L2A"  # ... while the user uses another layer
    assert wait_until(lambda: not dock.inputs_box.guesses.pending())
    assert dock.pickers["S1GRD"].layer() is None and dock.pickers["S2L2A"].layer() is scene["S2L2A"]
