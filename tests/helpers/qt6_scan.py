"""Find Qt 5-only constructs in Python sources, so the plugin stays ready for QGIS 4 (Qt 6).

The checks, each with its reason:

- imports: only ``qgis.PyQt`` (never ``PyQt5``, ``PyQt6``, ``PySide*`` or ``sip`` directly);
- unscoped enum values: ``Qt.AlignLeft`` must be written ``Qt.AlignmentFlag.AlignLeft`` (PyQt6 and
  QGIS 4 only know the scoped form). Found by resolving ``Name.Attr`` chains of imported Qt/QGIS objects
  at run time, so every enum of the installed PyQt/QGIS is covered, not a list;
- names removed in Qt 6 or QGIS 4 (``REMOVED_NAMES``) and Qt 5-only methods (``REMOVED_METHODS``);
- ``QVariant(...)`` constructors (PyQt6 converts values itself; QGIS 4 has no ``QVariant`` constructors);
- QGIS class attributes whose documentation says they are deprecated (removed in QGIS 4).
"""

from __future__ import annotations

import ast
import enum
import importlib
from pathlib import Path

ALLOWED_QT_IMPORT = "qgis.PyQt"
FORBIDDEN_MODULES = ("PyQt5", "PyQt6", "PySide2", "PySide6", "sip")
REMOVED_NAMES = {
    "QRegExp": "removed in Qt 6: use QRegularExpression",
    "QRegExpValidator": "removed in Qt 6: use QRegularExpressionValidator",
    "QDesktopWidget": "removed in Qt 6: use QScreen (QGuiApplication.screens())",
    "QTextCodec": "removed in Qt 6: use Python's codecs",
    "QGLWidget": "removed in Qt 6: use QOpenGLWidget",
    "QMatrix": "removed in Qt 6: use QTransform",
    "QStringRef": "removed in Qt 6",
    "QgsMapLayerRegistry": "removed in QGIS 3: use QgsProject",
}
REMOVED_METHODS = {
    "exec_": "Qt 5 only: use exec()",
    "print_": "Qt 5 only: use print()",
    "setMargin": "QLayout.setMargin is removed in Qt 6: use setContentsMargins",
    "setTabStopWidth": "removed in Qt 6: use setTabStopDistance",
    "desktop": "QApplication.desktop() is removed in Qt 6: use QGuiApplication.screens()",
}
QT_MODULE_PREFIXES = ("qgis.PyQt", "qgis.core", "qgis.gui", "qgis.analysis", "qgis.processing")


def _is_enum_value(value: object) -> bool:
    if isinstance(value, enum.Enum):
        return True
    return isinstance(value, int) and not isinstance(value, bool) and type(value) is not int


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.names: dict[str, object] = {}
        self.problems: list[str] = []

    def _report(self, node: ast.AST, text: str) -> None:
        self.problems.append(f"{self.path}:{node.lineno}: {text}")

    # ----- imports ---------------------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._check_module(node, alias.name)
            if alias.name.startswith(QT_MODULE_PREFIXES):
                module = _import(alias.name)
                if module is not None:
                    top = alias.asname or alias.name.split(".")[0]
                    self.names[top] = module if alias.asname else _import(alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module_name = node.module or ""
        if node.level == 0:
            self._check_module(node, module_name)
        if node.level == 0 and module_name.startswith(QT_MODULE_PREFIXES + ("qgis",)):
            module = _import(module_name)
            for alias in node.names:
                value = getattr(module, alias.name, None) if module is not None else None
                if value is None:
                    value = _import(f"{module_name}.{alias.name}")
                if value is not None:
                    self.names[alias.asname or alias.name] = value
                if alias.name in REMOVED_NAMES:
                    self._report(node, f"{alias.name}: {REMOVED_NAMES[alias.name]}")

    def _check_module(self, node: ast.AST, name: str) -> None:
        if name.split(".")[0] in FORBIDDEN_MODULES:
            self._report(node, f"import of {name}: import from {ALLOWED_QT_IMPORT} instead")

    # ----- uses ------------------------------------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in REMOVED_METHODS:
            self._report(node, f".{node.attr}: {REMOVED_METHODS[node.attr]}")
        if node.attr in REMOVED_NAMES:
            self._report(node, f"{node.attr}: {REMOVED_NAMES[node.attr]}")
        base = self._resolve(node.value)
        if base is not None:
            value = getattr(base, node.attr, None)
            if _is_enum_value(value) and type(value) is not base:
                scoped = f"{ast.unparse(node.value)}.{type(value).__name__}.{node.attr}"
                self._report(node, f"{ast.unparse(node)} is an unscoped enum value: write {scoped}")
            elif isinstance(base, type) and _deprecated(value) and base.__module__.startswith("qgis"):
                self._report(node, f"{ast.unparse(node)} is deprecated in this QGIS (removed in QGIS 4)")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in REMOVED_NAMES and node.id in self.names:
            self._report(node, f"{node.id}: {REMOVED_NAMES[node.id]}")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name == "QVariant":
            self._report(node, "QVariant(...) constructor: pass the Python value (or NULL) instead")
        self.generic_visit(node)

    def _resolve(self, node: ast.AST) -> object | None:
        """The Qt/QGIS object an expression of imported names and attributes stands for, if any."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value)
            return getattr(base, node.attr, None) if base is not None else None
        return None


def _import(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _deprecated(value: object) -> bool:
    doc = getattr(value, "__doc__", None) or ""
    return callable(value) and ".. deprecated::" in doc


def qt5_only_constructs(path: Path, source: str | None = None) -> list[str]:
    """``file:line: problem`` for every Qt 5-only construct in one Python file."""
    text = path.read_text(encoding="utf-8") if source is None else source
    scanner = _Scanner(str(path))
    scanner.visit(ast.parse(text, filename=str(path)))
    return scanner.problems
