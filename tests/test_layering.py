"""Imports go one way: ui/algorithms -> bridge -> core. Read from the source (every import, also inside
functions), so a late import cannot hide a wrong dependency."""

from __future__ import annotations

import ast

import pytest
from helpers.paths import ROOT

LAYERS = ("core", "bridge", "ui", "algorithms")
FORBIDDEN = {
    "core": ("bridge", "ui", "algorithms"),
    "bridge": ("ui", "algorithms"),
    "bridge.runtime": ("ui", "algorithms"),
    "ui": ("algorithms", "core.terramind"),  # the UI reaches the model only through core's job API
}


def _imports(source: str, package: list[str]) -> list[str]:
    """Every module a source in ``package`` (e.g. ``["core", "terramind"]``) imports, as a dotted path
    inside the plugin package, and each imported name under it (``bridge.adapters.settings``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = (node.module or "").removeprefix("terramind_qgis.")
            found += [module] + [f"{module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            found += [a.name.removeprefix("terramind_qgis.") for a in node.names]
    return found


def _sources(layer: str):
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", list(FORBIDDEN))
def test_layer_never_imports_the_layers_above(layer):
    folder = layer.replace(".", "/")
    files = _sources(folder)
    assert files, folder
    bad = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in files
        for module in _imports(path.read_text(encoding="utf-8"), list(path.relative_to(ROOT).parts[:-1]))
        if any(module == f or module.startswith(f + ".") for f in FORBIDDEN[layer])
    ]
    assert not bad, "\n".join(bad)


def test_the_checker_sees_relative_and_late_imports():
    source = "def f():\n    from ..bridge.adapters import settings\n    from ..ui import dock\n"
    found = _imports(source, ["core"])
    assert {"bridge.adapters", "bridge.adapters.settings", "ui", "ui.dock"} <= set(found)
    assert "core.terramind.weights" in _imports("from ..core.terramind import weights\n", ["ui"])
