"""core/ never imports qgis or Qt: every core submodule imports in a Python where they cannot be imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from helpers.paths import ROOT

BLOCKED = ("qgis", "PyQt5", "PyQt6", "sip", "osgeo")

SCRIPT = textwrap.dedent(
    """
    import importlib, importlib.abc, pkgutil, sys

    BLOCKED = {blocked!r}

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"blocked for this test: {{name}}")
            return None

    sys.meta_path.insert(0, Blocker())
    import terramind_qgis.core as core
    names = [m.name for m in pkgutil.walk_packages(core.__path__, "terramind_qgis.core.")]
    for name in names:
        importlib.import_module(name)
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    assert not leaked, leaked
    print(len(names), "modules:", " ".join(names))
    """
).format(blocked=BLOCKED)


def test_core_imports_every_submodule_without_qgis_or_qt():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, cwd=str(ROOT / ".pkg")
    )
    assert done.returncode == 0, done.stderr[-3000:]
    count, _, names = done.stdout.strip().partition(" modules: ")
    imported = set(names.split())
    # the guard is only meaningful if it really walked core and its model subpackage
    assert {
        "terramind_qgis.core.jobs",
        "terramind_qgis.core.pipeline",
        "terramind_qgis.core.terramind.encoder",
    } <= imported
    assert int(count) == len(imported) >= 15


def test_core_blocker_really_blocks_qgis():
    """Control: the same blocker makes an import of qgis fail (so a leak would be caught)."""
    probe = SCRIPT.split("import terramind_qgis.core")[0] + "import qgis.core\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "blocked for this test: qgis" in done.stderr
