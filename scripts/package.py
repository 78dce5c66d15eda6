"""Build the release zip and a ``plugins.xml`` with qgis-plugin-ci, the QGIS ecosystem's release tool.

Usage: ``.venv/bin/python scripts/package.py VERSION [--plugin-repo-url URL] [--out DIR] [--worktree]``
writes ``DIR/terramind_qgis.VERSION.zip`` (and ``DIR/plugins.xml`` with ``--plugin-repo-url``, the address
the zip will be served from); ``DIR`` defaults to ``dist/``.

qgis-plugin-ci packages a plugin *sub-folder* of a git repository, while this repository's root is the
plugin folder. So the committed files (``--worktree``: the working tree's) that ship (``build_zip.RUNTIME``)
are laid out as ``terramind_qgis/`` in a temporary git repository, next to ``CHANGELOG.md`` and
``.qgis-plugin-ci``, the translations are compiled there with ``lrelease``, and
``qgis-plugin-ci package VERSION`` runs in it: it sets the version, writes the latest ``CHANGELOG.md``
entries into ``metadata.txt`` and builds the zip. Your working tree is never modified.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_zip import PLUGIN_DIR, ROOT, runtime_files

RELEASE_FILES = ("CHANGELOG.md", ".qgis-plugin-ci")
SOURCE_TS = "terramind_qgis_en.ts"


def _git(cwd: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout


def _source_tree(dest: Path, worktree: bool) -> Path:
    """The files of HEAD (or of the working tree) under ``dest``."""
    if worktree:
        return ROOT
    with tarfile.open(fileobj=io.BytesIO(_git(ROOT, "archive", "--format=tar", "HEAD"))) as archive:
        archive.extractall(dest, filter="data")
    return dest


def _stage(src: Path, stage: Path) -> None:
    """``stage/terramind_qgis/`` with the files that ship, compiled translations and the release files."""
    plugin = stage / PLUGIN_DIR
    for rel in runtime_files(src):
        (plugin / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / rel, plugin / rel)
    for ts in sorted((src / "i18n").glob("terramind_qgis_*.ts")):
        if ts.name != SOURCE_TS:
            (plugin / "i18n").mkdir(exist_ok=True)
            subprocess.run(
                ["lrelease", "-silent", str(ts), "-qm", str(plugin / "i18n" / f"{ts.stem}.qm")], check=True
            )
    # qgis-plugin-ci replaces the first line of the changelog only: leave it one line to fill.
    metadata = plugin / "metadata.txt"
    text = re.sub(
        r"^changelog=.*?(?=^\S)", "changelog=\n", metadata.read_text(encoding="utf-8"), flags=re.M | re.S
    )
    metadata.write_text(text, encoding="utf-8")
    for name in RELEASE_FILES:
        shutil.copy2(src / name, stage / name)
    _git(stage, "init", "-q")
    _git(stage, "add", "-A")
    _git(
        stage,
        "-c",
        "user.name=package.py",
        "-c",
        "user.email=package@localhost",
        "commit",
        "-q",
        "-m",
        "release",
    )


def package(version: str, out_dir: Path, repo_url: str | None = None, worktree: bool = False) -> list[Path]:
    """Run ``qgis-plugin-ci package`` on a staged copy; return the files written into ``out_dir``."""
    with tempfile.TemporaryDirectory(prefix="terramind_package_") as tmp:
        src = _source_tree(Path(tmp) / "src", worktree)
        stage = Path(tmp) / "stage"
        stage.mkdir()
        _stage(src, stage)
        cmd = [sys.executable, "-m", "qgispluginci", "package", version]
        if repo_url:
            cmd += ["--plugin-repo-url", repo_url]
        done = subprocess.run(cmd, cwd=stage, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"qgis-plugin-ci failed:\n{done.stdout}{done.stderr}")
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for name in (f"{PLUGIN_DIR}.{version}.zip", "plugins.xml"):
            if (stage / name).is_file():
                written.append(Path(shutil.copy2(stage / name, out_dir / name)))
        return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", help="release version, e.g. 0.2.0")
    parser.add_argument("--plugin-repo-url", help="where the zip will be served; writes plugins.xml")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--worktree", action="store_true", help="package the working tree, not HEAD")
    args = parser.parse_args(argv)
    for path in package(args.version, args.out, args.plugin_repo_url, args.worktree):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
