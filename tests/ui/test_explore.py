"""The dock's Explore panel on a real layer: clicks update the preview layers, labels classify, save writes
the algorithms' files."""

from __future__ import annotations

import os

import numpy as np
import rasterio
from pytest_qgis.utils import wait_until
from qgis.core import QgsPalettedRasterRenderer, QgsProject, QgsSingleBandPseudoColorRenderer

from terramind_qgis.core.workbench.explorer import UNKNOWN


def _layer_values(layer) -> np.ndarray:
    with rasterio.open(layer.source()) as src:
        return src.read(1)


def test_click_label_step_and_save(dock, scene, tmp_path, qgis_iface):
    panel = dock.explore
    panel.layer_combo.setLayer(scene["S2L2A"])
    panel.load(scene["S2L2A"], wait=True)
    assert wait_until(lambda: panel.explorer is not None, timeout_milliseconds=30000)
    ex = panel.explorer

    panel.mode_combo.setCurrentIndex(panel.mode_combo.findData("similarity"))
    panel.click(50, 60)
    sim = panel.preview_layers["similarity"]
    assert isinstance(sim.renderer(), QgsSingleBandPseudoColorRenderer)
    np.testing.assert_array_equal(_layer_values(sim), ex.similarity([(50, 60)]))
    first = sim.source()
    panel.click(100, 100)  # a new click re-points the same layer at a new preview
    assert panel.preview_layers["similarity"] is sim and sim.source() != first and not os.path.exists(first)

    for name, pixels in (("class A", [(10, 10), (12, 30)]), ("class B", [(200, 200), (180, 150)])):
        panel.mode_combo.setCurrentIndex(panel.mode_combo.findData(name))
        for r, c in pixels:
            panel.click(r, c)
    panel.mode_combo.setCurrentIndex(panel.mode_combo.findData(UNKNOWN))
    panel.click(5, 5)
    classes = panel.preview_layers["classification"]
    assert isinstance(classes.renderer(), QgsPalettedRasterRenderer)
    assert [c.label for c in classes.renderer().classes()] == ["class A", "class B"]
    assert set(np.unique(_layer_values(classes))) <= {1, 2}
    pixel = panel.step_to_least_certain()
    assert pixel is not None and pixel not in ex.labels

    panel.add_class()
    assert panel.mode_combo.currentData() == "class C"

    panel.output_folder = lambda: str(tmp_path)
    panel.mode_combo.setCurrentIndex(panel.mode_combo.findData("class A"))
    panel.click(14, 14)
    panel.mode_combo.setCurrentIndex(panel.mode_combo.findData("class B"))
    panel.click(190, 170)  # three clicks per class: 2-fold cross-validation at least
    task = panel.save()
    assert wait_until(lambda: hasattr(panel, "saved_layers"), timeout_milliseconds=60000)
    names = sorted(os.listdir(tmp_path))
    assert any(n.endswith("_classification.tif") for n in names)
    assert any(n.endswith("_report.html") for n in names) and any(n.endswith("_model.tmclf") for n in names)
    assert [lyr.name() for lyr in panel.saved_layers] == [
        "Embedding classification",
        "Classification confidence",
    ]
    assert task is not None

    scratch, sim_id = panel.scratch, sim.id()
    dock.shutdown()
    assert not os.path.exists(scratch)
    assert QgsProject.instance().mapLayer(sim_id) is None
