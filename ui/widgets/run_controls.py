"""Run controls: pre-flight summary, Weights / Estimate / Run / Cancel buttons, progress and status."""

from __future__ import annotations

from html import escape

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QGridLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget


class RunControls(QWidget):
    """The bottom of the dock; it shows state, the dock connects the buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.weights_button = QPushButton(self.tr("Weights…"), self)
        self.estimate_button = QPushButton(self.tr("Estimate"), self)
        self.estimate_button.setToolTip(self.tr("Check the inputs and estimate tiles, time and disk space"))
        self.run_button = QPushButton(self.tr("Run"), self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setRange(0, 100)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        buttons = QGridLayout()  # two by two: fits a 300 px panel
        for i, button in enumerate(
            (self.estimate_button, self.weights_button, self.run_button, self.cancel_button)
        ):
            buttons.addWidget(button, i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        self.set_running(False)

    def set_running(self, running: bool) -> None:
        """Enable Cancel and the progress bar while a job runs, Estimate and Run otherwise."""
        self.run_button.setEnabled(not running)
        self.estimate_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress_bar.setVisible(running)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("%p%")

    def show_summary(self, errors: list[str], lines: list[str]) -> None:
        """Show pre-flight ``errors`` (red, with a warning sign) above the other ``lines``."""
        red = [f"<span style='color:#b00020'>⚠ {escape(e, quote=False)}</span>" for e in errors]
        self.summary_label.setText("<br>".join(red + [escape(line, quote=False) for line in lines]))
