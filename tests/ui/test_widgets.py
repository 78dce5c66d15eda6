"""ui/widgets: device picker, band-mapping editor, area chooser, output chooser."""

from __future__ import annotations

import stat

from helpers.paths import DATA
from pytest_qgis.utils import wait_until
from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle

from terramind_qgis.bridge.runtime.cuda import parse_nvidia_smi
from terramind_qgis.core.bands import MODALITY_BANDS
from terramind_qgis.ui.widgets.area import DRAWN, MAP_EXTENT, WHOLE_LAYER, AreaChooser
from terramind_qgis.ui.widgets.band_mapping import BandMappingEditor
from terramind_qgis.ui.widgets.device_picker import DevicePicker
from terramind_qgis.ui.widgets.output import OutputChooser

# Recorded from `nvidia-smi` with bridge.runtime.cuda.QUERY_ARGS on a 2-GPU box (the parser the picker uses).
TWO_GPUS = (DATA / "nvidia_smi" / "query_p100_t4_driver535.csv").read_text()


def test_parse_nvidia_smi_lists_each_gpu_with_device_and_memory():
    gpus = parse_nvidia_smi("WARNING: something odd\n" + TWO_GPUS).gpus
    assert [(g.device, g.name, g.memory_mib) for g in gpus] == [
        ("cuda:0", "Tesla P100-PCIE-16GB", 16384),
        ("cuda:1", "Tesla T4", 15360),
    ]


def test_device_picker_selects_saved_gpu_once_probe_lists_it(qgis_app):
    picker = DevicePicker()
    picker.set_device("cuda:1")
    assert picker.device() == "auto"  # not listed yet
    picker.add_gpus(parse_nvidia_smi(TWO_GPUS).gpus)
    assert picker.device() == "cuda:1"
    labels = [picker.device_combo.itemText(i) for i in range(picker.device_combo.count())]
    assert any("Tesla T4" in t and "15 GiB" in t for t in labels)


def test_device_picker_probe_runs_program_in_background(qgis_app, tmp_path):
    fake = tmp_path / "nvidia-smi"
    fake.write_text("#!/bin/sh\nprintf 'NVIDIA H100 80GB HBM3, 550.54.15, 81559 MiB, 9.0\\n'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    picker = DevicePicker()
    done = []
    picker.probed.connect(lambda: done.append(True))
    picker.start_probe(str(fake))
    assert wait_until(lambda: done, timeout_milliseconds=10000)
    assert picker.device_combo.findData("cuda:0") >= 0
    assert "80 GiB" in picker.device_combo.itemText(picker.device_combo.findData("cuda:0"))


def test_device_picker_probe_without_nvidia_smi_keeps_cpu_and_auto(qgis_app, tmp_path):
    picker = DevicePicker()
    done = []
    picker.probed.connect(lambda: done.append(True))
    picker.start_probe(str(tmp_path / "no-such-program"))
    assert wait_until(lambda: done, timeout_milliseconds=10000)
    devices = [picker.device_combo.itemData(i) for i in range(picker.device_combo.count())]
    assert devices[:2] == ["auto", "cpu"] and not any(str(d).startswith("cuda") for d in devices)


def test_band_mapping_editor_defaults_and_missing_band(qgis_app):
    editor = BandMappingEditor(MODALITY_BANDS["S1GRD"])
    editor.set_layer_bands(3, ["VH", "VV", None], (2, 1))
    assert editor.mapping() == (2, 1) and editor.is_complete() and editor.is_default()
    editor._combos[1].setCurrentIndex(0)  # the "(none)" entry
    assert editor.mapping() == (2, 0) and not editor.is_complete()
    editor.reset()
    assert editor.mapping() == (2, 1)


def test_area_chooser_modes_give_spec_areas(qgis_app, qgis_canvas):
    crs = QgsCoordinateReferenceSystem("EPSG:32718")
    qgis_canvas.setDestinationCrs(crs)
    qgis_canvas.setExtent(QgsRectangle(700000, 5690000, 702000, 5692000))
    chooser = AreaChooser(qgis_canvas)
    assert chooser.mode() == WHOLE_LAYER and chooser.area() is None
    chooser.set_mode(MAP_EXTENT)
    area = chooser.area()
    assert area.crs == "EPSG:32718"
    extent = qgis_canvas.extent()
    assert area.bounds == (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
    chooser.set_mode(DRAWN)
    assert chooser.area() is None and not chooser.has_drawn_rectangle()
    chooser.cleanup()


def test_area_chooser_drawn_rectangle_restores_previous_tool(qgis_app, qgis_canvas):
    from qgis.gui import QgsMapToolPan

    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:32718"))
    pan = QgsMapToolPan(qgis_canvas)
    qgis_canvas.setMapTool(pan)
    chooser = AreaChooser(qgis_canvas)
    chooser.draw_button.click()
    assert qgis_canvas.mapTool() is chooser.map_tool and chooser.mode() == DRAWN
    chooser.map_tool.extentChanged.emit(QgsRectangle(700100, 5690100, 700900, 5690900))
    assert qgis_canvas.mapTool() is pan
    assert chooser.area().bounds == (700100, 5690100, 700900, 5690900)
    assert chooser.rubber_band.numberOfVertices() > 0 and chooser.rubber_band.isVisible()
    chooser.set_mode(WHOLE_LAYER)
    assert not chooser.rubber_band.isVisible()
    chooser.cleanup()


def test_output_chooser_temporary_or_folder(qgis_app, tmp_path):
    chooser = OutputChooser()
    assert chooser.folder() == "" and not chooser.folder_widget.isEnabled()
    chooser.set_folder(str(tmp_path))
    assert chooser.folder() == str(tmp_path) and chooser.folder_widget.isEnabled()
    chooser.temporary_radio.setChecked(True)
    assert chooser.folder() == ""
