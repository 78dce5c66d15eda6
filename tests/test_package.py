"""scripts/package.py: the release zip and plugins.xml that qgis-plugin-ci builds, and the changelog."""

from __future__ import annotations

import configparser
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from helpers.paths import ROOT
from qgispluginci.changelog import ChangelogParser

URL = "https://plugins.example.org/terramind/"


def _changelog_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _metadata(text: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(text)
    return parser["general"]


def test_package_builds_the_zip_and_plugins_xml(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "package.py"), "9.8.7", "--plugin-repo-url", URL,
         "--out", str(tmp_path), "--worktree"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(tmp_path / "terramind_qgis.9.8.7.zip") as archive:
        names = archive.namelist()
        metadata = _metadata(archive.read("terramind_qgis/metadata.txt").decode("utf-8"))
    rel = {n.split("/", 1)[1] for n in names if n.startswith("terramind_qgis/")}
    assert len(rel) == len(names)  # one top folder
    needed = {"__init__.py", "plugin.py", "LICENSE", "resources/icon.svg", "resources/sample/ATTRIBUTION.md",
              "resources/sample/S2L2A_433D_629L_3_1.tif", "core/pipeline.py", "ui/dock.py",
              "i18n/terramind_qgis_de.qm"}  # fmt: skip
    assert needed <= rel, needed - rel
    assert not {r.split("/")[0] for r in rel} & {
        "tests",
        "benchmarks",
        "scripts",
        ".ci",
        "dist",
        "CHANGELOG.md",
    }
    assert not [r for r in rel if r.endswith((".ts", ".pyc")) or "__pycache__" in r]
    assert metadata["version"] == "9.8.7"
    parser = ChangelogParser(parent_folder=ROOT, changelog_path="CHANGELOG.md")
    assert _changelog_lines(metadata["changelog"]) == _changelog_lines(parser.last_items(3))
    plugin = ET.parse(tmp_path / "plugins.xml").getroot().find("pyqgis_plugin")
    assert plugin.get("name") == "TerraMind" and plugin.get("version") == "9.8.7"
    assert plugin.findtext("download_url") == URL + "terramind_qgis.9.8.7.zip"
    assert plugin.findtext("qgis_maximum_version") == "3.99"


def test_metadata_changelog_is_the_one_from_changelog_md():
    parser = ChangelogParser(parent_folder=ROOT, changelog_path="CHANGELOG.md")
    assert parser.has_changelog()
    metadata = _metadata((ROOT / "metadata.txt").read_text(encoding="utf-8"))
    assert _changelog_lines(metadata["changelog"]) == _changelog_lines(parser.last_items(3))
    assert parser.latest_version() == metadata["version"]


def test_package_leaves_the_working_tree_untouched(tmp_path):
    before = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    metadata = (ROOT / "metadata.txt").read_bytes()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "package.py"), "0.1.0", "--out", str(tmp_path), "--worktree"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    assert (ROOT / "metadata.txt").read_bytes() == metadata
    assert (
        subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
        == before
    )
    assert [p.name for p in Path(tmp_path).iterdir()] == ["terramind_qgis.0.1.0.zip"]
