"""The dock is fully usable at QGIS's default dock width: nothing is cut off or pushed behind a scrollbar."""

from __future__ import annotations

from qgis.core import QgsApplication
from qgis.gui import QgsCollapsibleGroupBox
from qgis.PyQt.QtCore import QPoint, Qt
from qgis.PyQt.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

DEFAULT_WIDTH = 300  # a new dock on the right of the QGIS 3.22 window


def _clipped(dock) -> list[str]:
    """Visible child widgets that stick out of the panel's viewport or are narrower than their text."""
    scroll = dock.findChild(QScrollArea)
    viewport = scroll.viewport()
    problems = []
    for w in scroll.widget().findChildren(QWidget):
        if not w.isVisible() or w.width() == 0:
            continue
        left = w.mapTo(viewport, QPoint(0, 0)).x()
        name = f"{type(w).__name__} {w.objectName() or getattr(w, 'text', lambda: '')()!r}"
        if left < 0 or left + w.width() > viewport.width():
            problems.append(f"{name} spans {left}..{left + w.width()} of {viewport.width()} px")
        elif isinstance(w, QAbstractButton) and w.width() < w.minimumSizeHint().width():
            problems.append(f"{name} is {w.width()} px for {w.minimumSizeHint().width()} px of text")
        elif isinstance(w, QLabel) and not w.wordWrap() and w.width() < w.minimumSizeHint().width():
            problems.append(f"{name} is {w.width()} px for {w.minimumSizeHint().width()} px of text")
    return problems


def test_dock_fits_the_default_width_without_clipping(dock, qgis_iface, scene, tmp_path):
    window = qgis_iface.mainWindow()
    if window.centralWidget() is None:  # the map canvas takes the rest of a real QGIS window
        window.setCentralWidget(QWidget())
    window.resize(1280, 800)
    window.show()
    dock.put_layer(scene["S2L2A"], "S2L2A")  # the band count and the Bands… button appear
    dock.pickers["S2L2A"].bands_button.setChecked(True)  # and the band-mapping editor
    window.resizeDocks([dock], [DEFAULT_WIDTH], Qt.Orientation.Horizontal)
    for box in dock.findChildren(QgsCollapsibleGroupBox):
        box.setCollapsed(False)  # every section open: Advanced too
    dock.controls.show_summary(["An error message that is long enough to need several lines here."], [])
    for _ in range(5):
        QgsApplication.processEvents()
    dock.grab().save(str(tmp_path / "dock_300px.png"))
    assert abs(dock.width() - DEFAULT_WIDTH) <= 10, dock.width()
    scroll = dock.findChild(QScrollArea)
    for index in range(dock.task_combo.count()):  # every task shows its own rows
        dock.task_combo.setCurrentIndex(index)
        for _ in range(3):
            QgsApplication.processEvents()
        task = dock.task_combo.currentText()
        assert not scroll.horizontalScrollBar().isVisible(), f"horizontal scrollbar for {task}"
        assert _clipped(dock) == [], task
