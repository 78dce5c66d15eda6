"""Without torch the plugin still loads: menu, dock and provider work, and each entry says what is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from helpers.paths import ROOT

SCRIPT = textwrap.dedent(
    """
    import importlib.abc, json, sys

    class NoTorch(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "torch":
                raise ModuleNotFoundError("No module named 'torch'")
            return None

    sys.meta_path.insert(0, NoTorch())
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import Qgis, QgsApplication, QgsProcessingException
    app = QgsApplication([], True)
    app.initQgis()
    from processing.core.Processing import Processing
    Processing.initialize()
    import processing
    from qgis.gui import QgsMapCanvas
    from qgis.PyQt.QtCore import QObject, pyqtSignal
    from qgis.PyQt.QtWidgets import QMainWindow, QToolBar

    class Iface(QObject):
        # the parts of QgisInterface the plugin uses, backed by real widgets

        currentLayerChanged = pyqtSignal(object)

        def __init__(self):
            super().__init__()
            self.window = QMainWindow()
            self.canvas = QgsMapCanvas(self.window)
            self.raster_menu = self.window.menuBar().addMenu("Raster")
            self.toolbar = QToolBar(self.window)
            self.messages = []
            self.window.show()

        def mainWindow(self): return self.window
        def mapCanvas(self): return self.canvas
        def rasterMenu(self): return self.raster_menu
        def messageBar(self): return self
        def pushMessage(self, title, text, level=0, duration=0):
            self.messages.append((title, text, int(level)))
        def addRasterToolBarIcon(self, action): self.toolbar.addAction(action)
        def removeRasterToolBarIcon(self, action): self.toolbar.removeAction(action)
        def addDockWidget(self, area, dock): self.window.addDockWidget(area, dock)
        def removeDockWidget(self, dock): self.window.removeDockWidget(dock)
        def addCustomActionForLayerType(self, *args): pass
        def removeCustomActionForLayerType(self, *args): pass
        def activeLayer(self): return None

    iface = Iface()
    raster_menu = iface.raster_menu
    import terramind_qgis
    plugin = terramind_qgis.classFactory(iface)
    plugin.initGui()
    plugin.toggle_action.trigger()
    alg = QgsApplication.processingRegistry().createAlgorithmById("terramind:generate_lulc")
    try:
        processing.run("terramind:generate_lulc", {"INPUT_S2L2A": sys.argv[1], "OUTPUT": sys.argv[2]})
        run_error = ""
    except QgsProcessingException as exc:
        run_error = str(exc)
    result = {
        "warnings": [t for _title, t, level in iface.messages if level == int(Qgis.MessageLevel.Warning)],
        "dock": plugin.dock is not None and plugin.dock.isUserVisible(),
        "menu": [a.text() for a in raster_menu.actions()],
        "can_execute": list(alg.canExecute()),
        "run_error": run_error,
        "torch_imported": "torch" in sys.modules,
    }
    plugin.unload()
    print("RESULT " + json.dumps(result))
    """
)


def test_plugin_loads_without_torch_and_says_it_is_missing(tmp_path):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        GDAL_PAM_ENABLED="NO",
        QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"),
    )  # fresh profile: no worker Python set
    sample = ROOT / "resources" / "sample" / "S2L2A_433D_629L_3_1.tif"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(sample), str(tmp_path / "lulc.tif")],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=str(tmp_path),
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    result = json.loads(lines[-1][len("RESULT ") :])
    assert result["torch_imported"] is False
    assert result["menu"] == ["&TerraMind"]
    assert result["dock"] is True
    assert any("torch" in w for w in result["warnings"]), result["warnings"]
    assert result["can_execute"][0] is False and "torch" in result["can_execute"][1]
    assert "torch" in result["run_error"]
    assert not (tmp_path / "lulc.tif").exists()
