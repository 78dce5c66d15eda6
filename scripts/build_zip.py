"""Build the installable plugin zip: runtime files only, under one top folder ``terramind_qgis/``.

Usage: ``python scripts/build_zip.py [--out DIR]`` writes ``DIR/terramind_qgis-<version>.zip``
(``DIR`` defaults to ``dist/``).
Install it in QGIS with Plugins > Manage and Install Plugins > Install from ZIP.
"""

from __future__ import annotations

import argparse
import configparser
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_DIR = "terramind_qgis"
RUNTIME = (
    "__init__.py", "plugin.py", "metadata.txt", "LICENSE", "README.md", "requirements.txt",
    "core", "bridge", "ui", "algorithms", "resources", "i18n",
)  # fmt: skip
"""Top-level entries that ship; tests, benchmarks, scripts, .ci, .venv and the rest stay out."""
SKIP_SUFFIXES = (".pyc", ".pyo", ".aux.xml", ".part.tif", ".ts", ".pro")
SKIP_FILES = ("resources/screenshot.png",)  # README picture, not used at runtime
REQUIRED_METADATA = (
    "name", "qgisMinimumVersion", "qgisMaximumVersion", "description", "about", "version", "author", "email",
    "license", "repository", "tracker", "homepage", "category", "icon", "hasProcessingProvider",
)  # fmt: skip


def metadata(root: Path = ROOT) -> configparser.SectionProxy:
    """The ``[general]`` section of ``metadata.txt`` (keys keep their case)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(root / "metadata.txt", encoding="utf-8")
    return parser["general"]


def check_metadata(root: Path = ROOT) -> list[str]:
    """Problems that would get the zip refused by the plugin repository (empty list: none)."""
    meta = metadata(root)
    problems = [f"metadata.txt lacks '{key}'" for key in REQUIRED_METADATA if not meta.get(key, "").strip()]
    if meta.get("icon") and not (root / meta["icon"]).is_file():
        problems.append(f"metadata.txt icon '{meta['icon']}' does not exist")
    return problems


def runtime_files(root: Path = ROOT) -> Iterator[Path]:
    """Files that ship, relative to ``root``, sorted."""
    for entry in RUNTIME:
        path = root / entry
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in candidates:
            rel = file.relative_to(root)
            if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                continue
            if file.name.endswith(SKIP_SUFFIXES) or rel.as_posix() in SKIP_FILES:
                continue
            yield rel


def build_zip(out_dir: Path, root: Path = ROOT) -> Path:
    """Write ``terramind_qgis-<version>.zip`` into ``out_dir`` and return its path.

    Raises:
        SystemExit: ``metadata.txt`` is incomplete.
    """
    problems = check_metadata(root)
    if problems:
        raise SystemExit("Cannot build the zip: " + "; ".join(problems))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{PLUGIN_DIR}-{metadata(root)['version']}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for rel in runtime_files(root):
            archive.write(root / rel, f"{PLUGIN_DIR}/{rel.as_posix()}")
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    args = parser.parse_args(argv)
    path = build_zip(args.out)
    with zipfile.ZipFile(path) as archive:
        count = len(archive.namelist())
    sys.stdout.write(f"{path} ({count} files, {path.stat().st_size / 2**20:.1f} MiB)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
