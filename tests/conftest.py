"""Session set-up shared by every test.

The repository root is the plugin folder; it must import as ``terramind_qgis`` whatever the clone's
folder is called. ``.pkg/terramind_qgis`` is a symlink to the root, put first on ``sys.path`` (and on
PYTHONPATH, so worker subprocesses see the same package).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
PKG_DIR = ROOT / ".pkg"


def _expose_package() -> None:
    PKG_DIR.mkdir(exist_ok=True)
    link = PKG_DIR / "terramind_qgis"
    if not link.exists():
        link.symlink_to(ROOT, target_is_directory=True)
    for p in (str(PKG_DIR), str(TESTS)):
        if p not in sys.path:
            sys.path.insert(0, p)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(PKG_DIR)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    )


_expose_package()
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tests never reach the network


@pytest.fixture(autouse=True)
def no_pam_files():
    """Keep GDAL/QGIS from writing ``.aux.xml`` statistics next to the shared test rasters."""
    from osgeo import gdal

    previous = gdal.GetConfigOption("GDAL_PAM_ENABLED")
    gdal.SetConfigOption("GDAL_PAM_ENABLED", "NO")
    yield
    gdal.SetConfigOption("GDAL_PAM_ENABLED", previous)
