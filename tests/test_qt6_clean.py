"""The plugin is Qt 6 clean (QGIS 4 ready) and its metadata claims only the QGIS versions it is tested on."""

from __future__ import annotations

import configparser
import importlib.util
from pathlib import Path

import pytest
from helpers.paths import ROOT
from helpers.qt6_scan import qt5_only_constructs


def _runtime_python_files() -> list[Path]:
    spec = importlib.util.spec_from_file_location("build_zip", ROOT / "scripts" / "build_zip.py")
    build_zip = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_zip)
    return [ROOT / rel for rel in build_zip.runtime_files(ROOT) if rel.suffix == ".py"]


def test_plugin_has_no_qt5_only_constructs():
    files = _runtime_python_files()
    assert len(files) > 40 and ROOT / "ui" / "dock.py" in files
    problems = [p for f in files for p in qt5_only_constructs(f)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from PyQt5.QtCore import Qt", "import of PyQt5.QtCore"),
        ("import sip", "import of sip"),
        ("from qgis.PyQt.QtCore import Qt\nx = Qt.AlignLeft", "write Qt.AlignmentFlag.AlignLeft"),
        ("from qgis.PyQt import QtCore\nx = QtCore.Qt.Checked", "write QtCore.Qt.CheckState.Checked"),
        ("from qgis.core import Qgis\nx = Qgis.Warning", "write Qgis.MessageLevel.Warning"),
        (
            "from qgis.PyQt.QtWidgets import QDialog\nx = QDialog.Accepted",
            "write QDialog.DialogCode.Accepted",
        ),
        ("d.exec_()", ".exec_: Qt 5 only"),
        ("from qgis.PyQt.QtCore import QRegExp", "QRegExp: removed in Qt 6"),
        ("from qgis.PyQt.QtCore import QVariant\nv = QVariant(1)", "QVariant(...) constructor"),
        ("layout.setMargin(0)", "setContentsMargins"),
    ],
)
def test_scan_finds_each_qt5_construct(tmp_path, source, expected):
    problems = qt5_only_constructs(tmp_path / "x.py", source)
    assert len(problems) == 1 and expected in problems[0], problems


def test_scan_accepts_the_qt6_forms(tmp_path):
    source = (
        "from qgis.PyQt.QtCore import Qt\nfrom qgis.core import Qgis\n"
        "from qgis.PyQt.QtWidgets import QDialog\n"
        "a = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop\nb = Qgis.MessageLevel.Warning\n"
        "c = QDialog.DialogCode.Accepted\nd = QDialog().exec()\n"
    )
    assert qt5_only_constructs(tmp_path / "x.py", source) == []


def test_metadata_claims_only_the_tested_versions():
    meta = configparser.ConfigParser(interpolation=None)
    meta.optionxform = str
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    general = meta["general"]
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["qgisMaximumVersion"] == "3.99"  # QGIS 4 (Qt 6) is not tested yet
    assert "supportsQt6" not in general
