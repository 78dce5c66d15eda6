"""Before a run whose checkpoints are missing: say which files, how large, and offer to download them now
(with progress, then the run starts) or to choose a local folder that holds them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QObject
from qgis.PyQt.QtWidgets import QMessageBox, QWidget

from ..core.checkpoints import APPROX_BYTES, CHECKPOINTS, size_text
from ..core.i18n import tr
from .notices import Notices
from .weights_dialog import DownloadTask
from .widgets.run_controls import RunControls

log = logging.getLogger(__name__)

DOWNLOAD, FOLDER, CANCEL = "download", "folder", "cancel"


def total_bytes(names: Sequence[str]) -> int:
    """Approximate size of the checkpoints ``names`` (registered names) together."""
    return sum(APPROX_BYTES.get(name, 0) for name in names)


def describe(names: Sequence[str]) -> str:
    """``"TerraMind_v1_tiny.pt (212 MB), TerraMind_Tokenizer_LULC.pt (740 MB)"``."""
    return ", ".join(
        f"{CHECKPOINTS[n][1]} ({size_text(APPROX_BYTES[n])})" if n in APPROX_BYTES else CHECKPOINTS[n][1]
        for n in names
    )


def ask(parent: QWidget | None, names: Sequence[str], cache: str) -> str:
    """Ask what to do about the missing checkpoints ``names``: ``DOWNLOAD``, ``FOLDER`` or ``CANCEL``.

    Args:
        parent: the dialog's parent.
        names: registered names of the missing checkpoints.
        cache: where downloads go (the Hugging Face cache folder), for the message.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("TerraMind: model weights needed"))
    box.setText(
        tr("This run needs {0} weight file(s) that are not on this computer yet, about {1}: {2}.").format(
            len(names), size_text(total_bytes(names)), describe(names)
        )
    )
    box.setInformativeText(
        tr(
            "Download them now from Hugging Face into {0} (once; later runs reuse them), or choose a local "
            "folder that already holds these files under these names."
        ).format(cache)
    )
    download = box.addButton(tr("Download now"), QMessageBox.ButtonRole.AcceptRole)
    folder = box.addButton(tr("Choose a folder…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return DOWNLOAD if clicked is download else FOLDER if clicked is folder else CANCEL


class DownloadThenRun(QObject):
    """ "Download now": the missing files are downloaded in a ``DownloadTask`` with progress and Cancel on the
    dock's run controls, then the run the user asked for starts; a failed or cancelled download says so and
    starts nothing.

    Attributes:
        task: the running download, ``None`` when none.
    """

    def __init__(self, controls: RunControls, notices: Notices, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controls, self.notices = controls, notices
        self.task: DownloadTask | None = None
        self._then: Callable[[], None] = lambda: None
        self._stopped: Callable[[], None] = lambda: None
        self._shut_down = False  # set by shutdown(): no run starts, no widget is touched

    def start(self, names: Sequence[str], then: Callable[[], None], stopped: Callable[[], None]) -> None:
        """Download ``names`` (registered checkpoint names); then call ``then()`` (start the run), or
        ``stopped()`` when the download failed or was cancelled."""
        self._then, self._stopped = then, stopped
        task = DownloadTask(names)
        task.progressChanged.connect(lambda value: self.controls.progress_bar.setValue(int(value)))
        task.done.connect(self._on_done)
        self.task = task
        self.controls.set_running(True)
        self.controls.progress_bar.setFormat("%p%")
        self.controls.status_label.setText(
            self.tr("Downloading {0} weight file(s), about {1}; the run starts when they are in…").format(
                len(names), size_text(total_bytes(names))
            )
        )
        QgsApplication.taskManager().addTask(task)

    def cancel(self) -> None:
        """Stop the download (at its next chunk); the run does not start."""
        if self.task is not None:
            self.controls.status_label.setText(self.tr("Cancelling the download…"))
            self.controls.cancel_button.setEnabled(False)
            self.task.cancel()

    def shutdown(self) -> None:
        """Stop the download for good (plugin unload): only the run's temporary folder is removed after."""
        self.cancel()
        self._shut_down = True

    def _on_done(self, paths: list, error: str) -> None:
        cancelled = self.task is not None and self.task.isCanceled()
        self.task = None
        if self._shut_down:
            self._stopped()
            return
        if not error:
            log.info("Downloaded %s", ", ".join(paths))
            self._then()
            return
        self.controls.set_running(False)
        self._stopped()
        if cancelled:
            text = self.tr("The weights download was cancelled; the run was not started.")
            self.notices.push(self.tr("TerraMind"), text, Qgis.MessageLevel.Info)
        else:
            log.warning("Weights download failed: %s", error)
            text = self.tr("The run was not started: {0}").format(error)
            self.notices.push(self.tr("TerraMind"), text, Qgis.MessageLevel.Critical)
        self.controls.status_label.setText(text)
