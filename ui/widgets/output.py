"""Output chooser: temporary files or a folder."""

from __future__ import annotations

from qgis.gui import QgsFileWidget
from qgis.PyQt.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout, QWidget


class OutputChooser(QWidget):
    """Two radio buttons (temporary files / folder) and a folder picker."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.temporary_radio = QRadioButton(self.tr("Temporary files"), self)
        self.folder_radio = QRadioButton(self.tr("Save in folder"), self)
        self.folder_widget = QgsFileWidget(self)
        self.folder_widget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.folder_widget.setDialogTitle(self.tr("Folder for TerraMind outputs"))
        group = QButtonGroup(self)
        group.addButton(self.temporary_radio)
        group.addButton(self.folder_radio)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.temporary_radio)
        layout.addWidget(self.folder_radio)
        layout.addWidget(self.folder_widget)
        self.temporary_radio.toggled.connect(self._sync)
        self.temporary_radio.setChecked(True)
        self._sync()

    def folder(self) -> str:
        """The chosen folder, or ``""`` for temporary files."""
        return "" if self.temporary_radio.isChecked() else self.folder_widget.filePath().strip()

    def set_folder(self, folder: str) -> None:
        """Select ``folder``; ``""`` selects temporary files."""
        self.folder_widget.setFilePath(folder)
        (self.folder_radio if folder else self.temporary_radio).setChecked(True)

    def _sync(self, _checked: bool = False) -> None:
        self.folder_widget.setEnabled(self.folder_radio.isChecked())
