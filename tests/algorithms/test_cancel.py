"""A user's Cancel in Processing ends as cancelled, not as a failure, and leaves no file.

See docs/processing-cancel.md.

Real runs on the bundled sample, cancelled by the feedback once the first progress step is reported: in a
``QgsProcessingAlgRunnerTask`` (what the algorithm dialog and QGIS 3.40's batch dialog run) and through
``processing.run`` on the main thread, and QGIS's algorithm dialog itself. ``qgis_process`` under
SIGINT/SIGTERM is in test_safety_catalogue.py.
"""

from __future__ import annotations

import shutil

import pytest
from helpers.paths import ROOT
from pytest_qgis.utils import wait_until
from qgis.core import (
    QgsApplication,
    QgsProcessingAlgRunnerTask,
    QgsProcessingException,
    QgsProcessingFeedback,
)

S2 = ROOT / "resources" / "sample" / "S2L2A_433D_629L_3_1.tif"


class RecordingFeedback(QgsProcessingFeedback):
    """Keeps what the run reported as errors and warnings; cancels itself after the first progress step."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.progressChanged.connect(lambda p: p > 0 and self.cancel())

    def reportError(self, error: str, fatalError: bool = False) -> None:
        self.errors.append(error)
        super().reportError(error, fatalError)

    def pushWarning(self, warning: str) -> None:
        self.warnings.append(warning)
        super().pushWarning(warning)


def _params(algorithm: str, weights_dir, folder) -> dict:
    """Parameters of a run with several cancel checks after its first progress step."""
    scene = str(shutil.copy(S2, folder / "scene.tif"))
    if algorithm == "generate_lulc":
        return {"INPUT_S2L2A": scene, "WEIGHTS_DIR": str(weights_dir), "OFFLINE": True, "TILE_SIZE": 64,
                "OVERLAP": 0, "BATCH_SIZE": 1, "OUTPUT": str(folder / "lulc.tif")}  # fmt: skip
    return {"INPUT": scene, "CLUSTERS": 3, "OUTPUT": str(folder / "k.tif"),
            "OUTPUT_REPORT": str(folder / "k.json")}  # fmt: skip


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("algorithm", ["generate_lulc", "embedding_clusters"])
def test_cancel_in_a_processing_task_is_a_warning_and_leaves_no_file(
    provider, weights_dir, tmp_path, algorithm
):
    params = _params(algorithm, weights_dir, tmp_path)
    before = _files(tmp_path)
    from processing.tools.dataobjects import createContext

    feedback = RecordingFeedback()
    context = createContext(feedback)  # as the algorithm dialog makes it
    alg = QgsApplication.processingRegistry().algorithmById(f"terramind:{algorithm}")
    task = QgsProcessingAlgRunnerTask(alg, params, context, feedback)
    ended = []
    task.executed.connect(lambda ok, results: ended.append((ok, results)))
    QgsApplication.taskManager().addTask(task)
    assert wait_until(lambda: ended, timeout_milliseconds=120_000)
    assert feedback.isCanceled(), (ended, feedback.errors, feedback.warnings, _files(tmp_path).keys())
    assert ended == [(False, {})]  # QGIS ends every cancelled task so: "canceled" in the 3.40 batch log
    assert feedback.warnings[-1:] == ["Cancelled; no output was written."]
    assert feedback.errors == []  # no error of ours, in red or in the message log
    assert _files(tmp_path) == before


@pytest.mark.parametrize("algorithm", ["generate_lulc", "embedding_clusters"])
def test_cancel_in_processing_run_raises_cancelled_and_leaves_no_file(
    provider, weights_dir, tmp_path, algorithm
):
    import processing

    params = _params(algorithm, weights_dir, tmp_path)
    before = _files(tmp_path)
    feedback = RecordingFeedback()
    with pytest.raises(QgsProcessingException, match=r"^Cancelled; no output was written\.$"):
        processing.run(f"terramind:{algorithm}", params, feedback=feedback)
    assert feedback.isCanceled() and feedback.warnings == []
    assert _files(tmp_path) == before


def test_cancel_in_the_algorithm_dialog_reads_cancelled(
    provider, weights_dir, tmp_path, qgis_iface, monkeypatch
):
    """QGIS's own dialog, its Cancel button clicked once the run reports progress."""
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from qgis.gui import QgsBrowserGuiModel
    from qgis.PyQt.QtWidgets import QProgressBar, QTextEdit

    model = QgsBrowserGuiModel()  # the test iface has no browser; the parameter panel asks for one
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: model, raising=False)
    params = _params("generate_lulc", weights_dir, tmp_path)
    before = _files(tmp_path)
    alg = QgsApplication.processingRegistry().createAlgorithmById("terramind:generate_lulc")
    dialog = AlgorithmDialog(alg, False, qgis_iface.mainWindow())
    try:
        dialog.setParameters(params)
        dialog.runAlgorithm()
        assert wait_until(lambda: dialog.findChild(QProgressBar).value() > 0, timeout_milliseconds=120_000)
        dialog.cancelButton().click()
        log = dialog.findChild(QTextEdit, "txtLog")
        assert wait_until(lambda: "Execution failed after" in log.toPlainText(), timeout_milliseconds=120_000)
        (ours,) = [p for p in log.toHtml().split("<p ") if "Cancelled; no output was written." in p]
        assert "#ff0000" not in ours  # a warning, not an error (QGIS's own last line stays red)
        assert _files(tmp_path) == before
    finally:
        dialog.close()
        dialog.deleteLater()
