"""Make a panel's forms and combo boxes fit a narrow dock (QGIS gives a new dock about 300 px)."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QWidget

MIN_CHARS = 6  # a combo box shows at least this many characters; longer entries are elided


def fit_narrow(root: QWidget) -> None:
    """Let every combo box below ``root`` shrink to ``MIN_CHARS`` characters (long layer names and labels
    must not widen the panel), and let form rows put their label above the field when a row is too wide."""
    for combo in root.findChildren(QComboBox):
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        if not 0 < combo.minimumContentsLength() <= MIN_CHARS:
            combo.setMinimumContentsLength(MIN_CHARS)
    for form in root.findChildren(QFormLayout):
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
