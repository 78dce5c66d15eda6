"""scripts/build_zip.py: the installable zip holds the runtime files only, under terramind_qgis/."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile

from helpers.paths import ROOT


def _build(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_zip.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (path,) = tmp_path.glob("*.zip")
    return path


def test_zip_has_one_top_folder_and_runtime_files_only(tmp_path):
    path = _build(tmp_path)
    assert path.name == "terramind_qgis-0.1.0.zip"
    names = zipfile.ZipFile(path).namelist()
    assert {n.split("/")[0] for n in names} == {"terramind_qgis"}
    rel = {n.split("/", 1)[1] for n in names}
    for needed in (
        "__init__.py",
        "plugin.py",
        "metadata.txt",
        "LICENSE",
        "requirements.txt",
        "core/pipeline.py",
        "core/terramind/encoder.py",
        "bridge/adapters/task.py",
        "bridge/runtime/worker.py",
        "ui/dock.py",
        "algorithms/provider.py",
        "resources/icon.svg",
        "resources/sample/S2L2A_433D_629L_3_1.tif",
        "resources/sample/ATTRIBUTION.md",
    ):
        assert needed in rel, needed
    top = {r.split("/")[0] for r in rel}
    assert not top & {
        "tests",
        "benchmarks",
        "scripts",
        ".ci",
        ".venv",
        ".git",
        ".pkg",
        ".qgis-settings",
        "dist",
    }
    assert not [r for r in rel if "__pycache__" in r or r.endswith((".pyc", ".aux.xml", ".part.tif"))]
    assert "resources/screenshot.png" not in rel


def test_zip_metadata_is_complete_for_the_plugin_repository(tmp_path):
    archive = zipfile.ZipFile(_build(tmp_path))
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(archive.read("terramind_qgis/metadata.txt").decode("utf-8"))
    meta = parser["general"]
    assert meta["name"] == "TerraMind" and meta["version"] == "0.1.0"
    # metadata claims only the tested versions (3.22 and 3.40)
    assert (meta["qgisMinimumVersion"], meta["qgisMaximumVersion"]) == ("3.22", "3.99")
    assert (meta["hasProcessingProvider"], meta["category"], meta["license"]) == (
        "yes",
        "Raster",
        "Apache-2.0",
    )
    assert "torch" in meta["about"] and meta["changelog"].strip().startswith("Version 0.1.0:")
    for key in ("homepage", "repository", "tracker"):
        assert meta[key].startswith("https://github.com/terramind-qgis/terramind_qgis")
    assert f"terramind_qgis/{meta['icon']}" in archive.namelist()
    assert b"Apache License" in archive.read("terramind_qgis/LICENSE")
