"""Weights dialog: which checkpoints are available, download on demand, local folder, offline switch.

``core.checkpoints`` is imported only when the dialog or a check needs it, never at plugin start.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Callable

from qgis.core import QgsApplication, QgsTask
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..bridge.adapters import settings
from ..core.i18n import tr
from ..core.products import Task, required_checkpoints

log = logging.getLogger(__name__)


def weights_source(progress: Callable[[int, int], None] | None = None):
    """``WeightsSource`` from the settings (local folder, cache folder, offline switch)."""
    from ..core.checkpoints import WeightsSource

    return WeightsSource(
        weights_dir=settings.WEIGHTS_DIR.value() or None,
        cache_dir=settings.CACHE_DIR.value() or None,
        offline=settings.OFFLINE.value(),
        progress=progress,
    )


class DownloadTask(QgsTask):
    """Download checkpoints into the Hugging Face cache in a worker thread.

    ``progress(bytes_done, bytes_total)`` of each file drives ``setProgress``; a cancel stops the transfer
    at the next chunk (huggingface_hub keeps the partial file and resumes it next time).

    Signals:
        done(list, str): downloaded file paths and an error message (empty on success), main thread.
    """

    done = pyqtSignal(list, str)

    def __init__(self, names: Sequence[str], source_factory: Callable = weights_source, resolve=None) -> None:
        super().__init__(tr("TerraMind: download weights"), QgsTask.Flag.CanCancel)
        self.names = list(names)
        self._source_factory = source_factory
        self._resolve = resolve
        self.paths: list[str] = []
        self.error = ""

    def run(self) -> bool:
        resolve = self._resolve
        if resolve is None:
            from ..core.checkpoints import resolve_checkpoint as resolve
        for i, name in enumerate(self.names):
            source = self._source_factory(progress=lambda done, total, i=i: self._progress(i, done, total))
            try:
                self.paths.append(str(resolve(name, source)))
            except Exception as exc:
                self.error = "" if self.isCanceled() else str(exc)
                return False
        return True

    def _progress(self, index: int, done: int, total: int) -> None:
        if self.isCanceled():
            raise InterruptedError(tr("download cancelled"))
        fraction = done / total if total else 0.0
        self.setProgress(100.0 * (index + fraction) / len(self.names))

    def finished(self, result: bool) -> None:
        if not result and not self.error:
            self.error = tr("Download cancelled.")
        self.done.emit(self.paths, "" if result else self.error)


class WeightsDialog(QDialog):
    """List checkpoints with their status; download, choose a local folder, switch offline mode."""

    def __init__(self, model_size: str = "tiny", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("TerraMind weights"))
        self.model_size = model_size
        self.task: DownloadTask | None = None
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Checkpoint"), self.tr("Status"), self.tr("File"), self.tr("Size")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for column in (0, 1, 3):  # names, status and size are never cut; the path takes the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.folder_widget = QgsFileWidget(self)
        self.folder_widget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.folder_widget.setToolTip(
            self.tr(
                "A folder holding checkpoints under their official names (TerraMind_v1_tiny.pt, "
                "TerraMind_Tokenizer_LULC.pt, …); used before the download cache."
            )
        )
        self.cache_widget = QgsFileWidget(self)
        self.cache_widget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.cache_widget.setToolTip(self.tr("Hugging Face cache folder; empty = the default cache."))
        self.offline_check = QCheckBox(
            self.tr("Offline: never download, use local and cached files only"), self
        )
        self.download_button = QPushButton(self.tr("Download selected"), self)
        self.download_needed_button = QPushButton(self.tr("Download model + LULC/S1 tokenizers"), self)
        self.cancel_button = QPushButton(self.tr("Cancel download"), self)
        self.cancel_button.setEnabled(False)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setVisible(False)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self._layout()
        self.folder_widget.setFilePath(settings.WEIGHTS_DIR.value())
        self.cache_widget.setFilePath(settings.CACHE_DIR.value())
        self.offline_check.setChecked(settings.OFFLINE.value())
        self.folder_widget.fileChanged.connect(self._on_folder_changed)
        self.cache_widget.fileChanged.connect(self._on_cache_changed)
        self.offline_check.toggled.connect(self._on_offline_toggled)
        self.download_button.clicked.connect(self.download_selected)
        self.download_needed_button.clicked.connect(self.download_needed)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.refresh()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Local weights folder"), self.folder_widget)
        form.addRow(self.tr("Download cache"), self.cache_widget)
        form.addRow(self.offline_check)
        buttons = QHBoxLayout()
        for button in (self.download_needed_button, self.download_button, self.cancel_button):
            buttons.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(close)
        self.resize(720, 480)

    def refresh(self) -> dict[str, str | None]:
        """Re-list the checkpoints and their local paths; return ``{name: path or None}``."""
        from ..core.checkpoints import APPROX_BYTES, CHECKPOINTS, cached_checkpoints, size_text

        cached = cached_checkpoints(weights_source())
        self.table.setRowCount(len(CHECKPOINTS))
        for row, (name, (repo, filename)) in enumerate(CHECKPOINTS.items()):
            path = cached.get(name)
            item = QTableWidgetItem(filename)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(f"https://huggingface.co/{repo}")
            self.table.setItem(row, 0, item)
            self.table.setItem(
                row, 1, QTableWidgetItem(self.tr("available") if path else self.tr("not downloaded"))
            )
            self.table.setItem(row, 2, QTableWidgetItem(path or ""))
            self.table.item(row, 2).setToolTip(path or "")
            size = APPROX_BYTES.get(name)
            self.table.setItem(row, 3, QTableWidgetItem(size_text(size) if size else ""))
        online = not self.offline_check.isChecked()
        self.download_button.setEnabled(online and self.task is None)
        self.download_needed_button.setEnabled(online and self.task is None)
        return cached

    def selected_names(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) for row in rows]

    def _on_folder_changed(self, folder: str) -> None:
        settings.WEIGHTS_DIR.set_value(folder.strip())
        cached = self.refresh()
        if folder.strip():
            from ..core.checkpoints import CHECKPOINTS

            found = [CHECKPOINTS[n][1] for n, p in cached.items() if p and p.startswith(folder.strip())]
            self.status_label.setText(
                self.tr("Found in the folder: {0}").format(", ".join(found))
                if found
                else self.tr("No checkpoint with an official file name is in this folder.")
            )

    def _on_cache_changed(self, folder: str) -> None:
        settings.CACHE_DIR.set_value(folder.strip())
        self.refresh()

    def _on_offline_toggled(self, offline: bool) -> None:
        settings.OFFLINE.set_value(offline)
        self.refresh()

    def download_needed(self) -> None:
        """Download the model of the chosen size and the LULC and S1GRD tokenizers, where missing."""
        names = required_checkpoints(Task.LULC, self.model_size)
        names += [n for n in required_checkpoints(Task.S1GRD, self.model_size) if n not in names]
        self.download([n for n, path in self.refresh().items() if n in names and not path])

    def download_selected(self) -> None:
        self.download(self.selected_names())

    def download(self, names: Sequence[str], resolve=None) -> DownloadTask | None:
        """Start downloading ``names`` in the background (``resolve`` replaces ``resolve_checkpoint``)."""
        if not names or self.task is not None:
            self.status_label.setText(self.tr("Nothing to download."))
            return None
        task = DownloadTask(names, resolve=resolve)
        task.progressChanged.connect(lambda value: self.progress_bar.setValue(int(value)))
        task.done.connect(self._on_download_done)
        self.task = task
        self.progress_bar.setValue(0)
        self.progress_bar.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.download_button.setEnabled(False)
        self.download_needed_button.setEnabled(False)
        self.status_label.setText(self.tr("Downloading {0} file(s)…").format(len(names)))
        QgsApplication.taskManager().addTask(task)
        return task

    def cancel_download(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_download_done(self, paths: list, error: str) -> None:
        self.task = None
        if error:
            log.warning("Weights download stopped: %s", error)
        self.progress_bar.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.refresh()
        self.status_label.setText(error or self.tr("Downloaded {0} file(s).").format(len(paths)))
