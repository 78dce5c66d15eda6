"""Take resources/screenshot.png: the QGIS desktop with the TerraMind dock and a generated LULC layer.

Run from the repository root (after scripts/setup.sh)::

    .venv/bin/python scripts/screenshot.py [--weights DIR] [--out resources/screenshot.png]

The script starts the real QGIS desktop under Xvfb (``xvfb-run``) with a throwaway profile in which
the plugin is enabled, and passes itself as ``--code``. Inside QGIS it adds the Chile Sentinel-2 L2A
sample, opens the dock, runs "Generate land cover" on the CPU, waits for the styled layer, grabs the
main window and quits. Without ``--weights`` it writes seeded test weights into build/ first (no
network needed), so the land-cover map shows the styling and legend, not a meaningful prediction.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ENV_OUT, ENV_WEIGHTS, ENV_WORK, ENV_ROOT = (
    "TERRAMIND_SHOT_OUT", "TERRAMIND_SHOT_WEIGHTS", "TERRAMIND_SHOT_WORK", "TERRAMIND_SHOT_ROOT",
)  # fmt: skip
# Inside QGIS this file is exec()-ed without __file__: the launcher passes the repository root.
ROOT = Path(os.environ[ENV_ROOT]) if os.environ.get(ENV_ROOT) else Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "terramind_examples" / "S2L2A" / "433D_629L_3_1.tif"
SCREEN = (1400, 900)


# ----- outside QGIS: prepare and launch ------------------------------------------------------------------
def _seeded_weights(folder: Path) -> Path:
    if (
        not (folder / "TerraMind_v1_tiny.pt").exists()
        or not (folder / "TerraMind_Tokenizer_LULC.pt").exists()
    ):
        script = ROOT / "tests" / "helpers" / "weights_dir.py"
        subprocess.run(
            [sys.executable, str(script), "--out", str(folder), "--tokenizers", "LULC"], check=True
        )
    return folder


def _profiles_path(work: Path) -> Path:
    """A throwaway ``--profiles-path`` whose default profile enables the plugin."""
    ini = work / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text("[PythonPlugins]\nterramind_qgis=true\n")
    return work


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--weights", type=Path, help="folder with TerraMind_v1_tiny.pt and TerraMind_Tokenizer_LULC.pt"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshot.png")
    args = parser.parse_args(argv)
    weights = args.weights or _seeded_weights(ROOT / "build" / "screenshot-weights")
    pkg = ROOT / ".pkg"
    (pkg / "terramind_qgis").parent.mkdir(exist_ok=True)
    if not (pkg / "terramind_qgis").exists():
        (pkg / "terramind_qgis").symlink_to(ROOT, target_is_directory=True)
    site = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"), None)
    out = args.out.resolve()
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(
        prefix="terramind-shot-", dir=ROOT / "build" if (ROOT / "build").is_dir() else None
    ) as tmp:
        work = Path(tmp)
        env = dict(os.environ)
        env.pop("QT_QPA_PLATFORM", None)
        env.update({
            "QGIS_PLUGINPATH": str(pkg),
            "PYTHONPATH": os.pathsep.join(str(p) for p in (pkg, site) if p),
            "XDG_RUNTIME_DIR": str(work),
            ENV_OUT: str(out), ENV_WEIGHTS: str(Path(weights).resolve()),
            ENV_WORK: str(work), ENV_ROOT: str(ROOT),
        })  # fmt: skip
        command = [
            "xvfb-run", "-a", "-s", f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24",
            "qgis", "--profiles-path", str(_profiles_path(work)), "--nologo",
            "--code", str(Path(__file__).resolve()),
        ]  # fmt: skip
        log = work / "qgis.log"
        with open(log, "w") as handle:
            result = subprocess.run(command, env=env, stdout=handle, stderr=subprocess.STDOUT, timeout=420)
        if not out.exists():
            error = work / "error.txt"
            sys.stderr.write(log.read_text()[-4000:] + (error.read_text() if error.exists() else ""))
            return result.returncode or 1
    print(out)
    return 0


# ----- inside QGIS (run by `qgis --code`) ------------------------------------------------------------------
def _inside_qgis() -> None:  # noqa: C901 (a linear script that builds one screenshot)
    from qgis.core import (
        QgsContrastEnhancement,
        QgsMultiBandColorRenderer,
        QgsProject,
        QgsRasterMinMaxOrigin,
        QgsSettings,
    )
    from qgis.PyQt.QtCore import Qt, QTimer
    from qgis.PyQt.QtWidgets import QDockWidget
    from qgis.utils import iface, plugins

    state = {}

    def guarded(step):
        """Run a step; on any error write the traceback next to the log and quit (no hanging QGIS)."""

        def run() -> None:
            try:
                step()
            except Exception:
                import traceback

                Path(os.environ[ENV_WORK], "error.txt").write_text(traceback.format_exc())
                quit_qgis()

        return run

    def quit_qgis() -> None:
        QgsProject.instance().removeAllMapLayers()  # outputs in a temp folder: QGIS would ask before exit
        QgsProject.instance().setDirty(False)
        QTimer.singleShot(500, iface.actionExit().trigger)

    def start() -> None:
        window = iface.mainWindow()
        window.move(0, 0)
        window.resize(*SCREEN)
        settings = QgsSettings()
        settings.setValue("terramind_qgis/weights/local_dir", os.environ[ENV_WEIGHTS])
        settings.setValue("terramind_qgis/weights/offline", True)
        layer = iface.addRasterLayer(str(SAMPLE), "Sentinel-2 L2A, Araucanía (Chile)")
        layer.setRenderer(QgsMultiBandColorRenderer(layer.dataProvider(), 4, 3, 2))
        layer.setContrastEnhancement(
            QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum,
            QgsRasterMinMaxOrigin.Limits.CumulativeCut,
        )
        plugin = plugins["terramind_qgis"]
        plugin.toggle_dock(True)
        dock = plugin.dock
        browser = window.findChild(QDockWidget, "Browser")
        if browser is not None:
            browser.hide()
        window.resizeDocks([dock], [470], Qt.Orientation.Horizontal)
        dock.put_layer(layer)
        dock.task_combo.setCurrentIndex(dock.task_combo.findData("lulc"))
        dock.devices.set_device("cpu")
        dock.output.set_folder("")  # temporary files
        dock.check_and_estimate()
        state["dock"] = dock
        dock.run()
        QTimer.singleShot(1000, guarded(wait))

    def wait() -> None:
        if state["dock"].task is not None:
            QTimer.singleShot(500, guarded(wait))
            return
        for layer in QgsProject.instance().mapLayers().values():
            if layer.name().startswith("Land cover"):
                layer.renderer().setOpacity(0.7)  # let the Sentinel-2 scene show through
                layer.triggerRepaint()
        iface.mapCanvas().zoomToFullExtent()
        iface.layerTreeView().expandAll()
        QTimer.singleShot(4000, guarded(shoot))

    def shoot() -> None:
        iface.mainWindow().grab().save(os.environ[ENV_OUT])
        quit_qgis()

    QTimer.singleShot(3000, guarded(start))
    QTimer.singleShot(300000, quit_qgis)  # never hang: give up after 5 minutes


if os.environ.get(ENV_OUT):  # started by main() through `qgis --code`
    _inside_qgis()
elif __name__ == "__main__":
    raise SystemExit(main())
