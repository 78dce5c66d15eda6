"""Settings group "Dask cluster": run jobs on a cluster, its scheduler address and a connection check.

The check runs ``bridge.runtime.cluster.check_cluster`` in a ``QgsTask`` (it waits for the network and may
start the worker Python), never on the main thread.
"""

from __future__ import annotations

from typing import Any, Callable

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt import sip
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...bridge.runtime.cluster import check_cluster, install_hint


class ClusterOptions(QGroupBox):
    """The "Run jobs on a Dask cluster" switch, the scheduler address and its connection check.

    Args:
        worker_python: returns the worker Python the dialog shows (``""``: QGIS's process), whose packages
            the check uses.
    """

    def __init__(self, worker_python: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Dask cluster"))
        self._worker_python = worker_python
        self._task: QgsTask | None = None
        self.enabled_check = QCheckBox(self.tr("Run jobs on a Dask cluster"), self)
        self.enabled_check.setToolTip(
            self.tr(
                "The dock and the Processing algorithms send the model work to the workers of a Dask "
                "cluster; inputs and outputs must be on a folder every worker can read and write."
            )
        )
        self.address_edit = QLineEdit(self)
        self.address_edit.setPlaceholderText("tcp://host:8786")
        self.check_button = QPushButton(self.tr("Check Connection"), self)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Scheduler"), self))
        row.addWidget(self.address_edit, 1)
        row.addWidget(self.check_button)
        box = QVBoxLayout(self)
        box.addWidget(self.enabled_check)
        box.addLayout(row)
        box.addWidget(self.status_label)
        self.enabled_check.toggled.connect(self._on_toggled)
        self.address_edit.textChanged.connect(lambda _text: self.status_label.clear())
        self.check_button.clicked.connect(self.check)

    def show_values(self, enabled: bool, address: str) -> None:
        """Show stored (or default) values."""
        self.address_edit.setText(address)
        self.enabled_check.setChecked(enabled)
        self._on_toggled(enabled)
        self.status_label.clear()

    def address(self) -> str:
        return self.address_edit.text().strip()

    def problem(self) -> str:
        """Why the shown values cannot be stored (``""``: they can)."""
        if self.enabled_check.isChecked() and not self.address():
            return self.tr("Enter the address of the Dask scheduler (e.g. tcp://host:8786).")
        return ""

    def _on_toggled(self, checked: bool) -> None:
        self.address_edit.setEnabled(checked)
        self.check_button.setEnabled(checked and self._task is None)
        if checked and not self._worker_python() and not _dask_importable():
            self.status_label.setText(install_hint())

    def check(self) -> QgsTask | None:
        """Connect to the scheduler in a background task and show what it reports."""
        address = self.address()
        if not address:
            self.status_label.setText(self.problem() or self.tr("Enter the scheduler address first."))
            return None
        self.status_label.setText(self.tr("Connecting to {0}…").format(address))
        self.check_button.setEnabled(False)
        python = self._worker_python()
        self._task = QgsTask.fromFunction(
            self.tr("TerraMind: check a Dask cluster"),
            lambda task: check_cluster(address, python),
            on_finished=lambda exception, result=None: self._checked(address, exception, result),
        )
        QgsApplication.taskManager().addTask(self._task)
        return self._task

    def _checked(self, address: str, exception: BaseException | None, result: dict[str, Any] | None) -> None:
        if sip.isdeleted(self):  # the dialog closed while the check ran
            return
        self._task = None
        self.check_button.setEnabled(self.enabled_check.isChecked())
        if exception is not None or not result:
            self.status_label.setText(self.tr("The check failed: {0}").format(exception))
        elif "error" in result:
            self.status_label.setText(result["error"])
        else:
            text = self.tr("Connected to {0}: {1} workers, {2} threads, {3:.1f} GiB of memory.").format(
                result["address"], result["workers"], result["threads"], result["memory_bytes"] / 2**30
            )
            if not result["workers"]:
                text += " " + self.tr("No worker is connected yet: jobs wait until one joins.")
            self.status_label.setText(text)


def _dask_importable() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("dask", "distributed"))
