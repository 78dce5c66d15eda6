"""qgis-plugin-analyzer on the plugin: no security finding, no untranslated user-facing string, no other
finding.

Rules the project does not follow are turned off in ``pyproject.toml``, each with its reason; the folders
that do not ship are listed in ``.analyzerignore``. A string that is not user-facing (a pattern matched in
another program's English output, a key prefix, a format) carries ``# no-i18n: <reason>`` on its line, the
analyzer's own exclusion. The analyzer's subprocess heuristic is replaced by the exact check below. The
findings are asserted as the analyzer reports them, nothing filtered out.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import tokenize

import pytest
from helpers.paths import ROOT
from test_qt6_clean import _runtime_python_files

ANALYZER = shutil.which("qgis-analyzer") or str(ROOT / ".venv" / "bin" / "qgis-analyzer")
I18N = "MISSING_I18N"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("analyzer")
    done = subprocess.run(
        [ANALYZER, "analyze", str(ROOT), "--json", "--no-cache", "--linters", "none", "--workers", "1",
         "-o", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    shipped = {str(path.relative_to(ROOT)) for path in _runtime_python_files()}
    assert {m["path"] for m in result["modules"]} == shipped, "the analyzer must scan every file that ships"
    return result


def _findings(report) -> list[tuple[str, int, str, str]]:
    found = {
        (i["file"], i["line"], i["type"], i["message"])
        for i in report["qgis_compliance"]["best_practices"]["issues"]
    }
    found |= {
        (m["path"], i["line"], i["type"], i["message"]) for m in report["modules"] for i in m["ast_issues"]
    }
    return sorted(found)


def test_analyzer_finds_no_security_problem(report):
    assert report["security"]["count"] == 0, report["security"]["findings"]


#: Metadata findings, which pyproject.toml cannot turn off, that are intended.
DELIBERATE = {"METADATA_QGIS4": "qgisMaximumVersion stays 3.99 until the plugin is tested on QGIS 4 (Qt 6)"}


def test_analyzer_finds_nothing_else_than_untranslated_strings(report):
    other = [
        f"{f}:{line}: {kind}: {message}"
        for f, line, kind, message in _findings(report)
        if kind != I18N and kind not in DELIBERATE
    ]
    assert other == [], "\n".join(other)


#: Module pairs that import each other (the analyzer's circular dependencies), each closed by an import
#: inside a function (task models keep their code in core/tasks/); the text says what links the pair.
CYCLES = {
    ("core/outputs.py", "core/tasks/sinks.py"): "make_sinks picks SegmentSink, a subclass of Sink",
    ("core/predictor.py", "core/tasks/predictor.py"): "build_predictor hands task-model jobs on",
    ("bridge/runtime/cluster.py", "bridge/runtime/worker.py"): "the cluster runner starts a worker",
    ("core/workbench/classifier_file.py", "core/workbench/classify.py"): "rebuilt with make_estimator",
}


def test_import_cycles_are_the_known_ones(report):
    found = {tuple(sorted(set(cycle))) for cycle in report["semantic"]["circular_dependencies"]}
    assert found == set(CYCLES), "list a new cycle with its reason, or drop one that is gone"


def test_no_untranslated_user_facing_string(report):
    untranslated = [f"{f}:{line}: {message}" for f, line, kind, message in _findings(report) if kind == I18N]
    assert untranslated == [], "wrap these in tr() (core.i18n):\n" + "\n".join(untranslated)


def test_constants_are_documented_with_comments():
    """A constant's description is a ``#:`` comment above it (Sphinx), not a string after it: the analyzer
    knows only module, class and function docstrings and reports such a string as an untranslated text."""
    strings = []
    for path in _runtime_python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            body = getattr(node, "body", None)
            for before, stmt in zip(body, body[1:]) if isinstance(body, list) else ():
                if (
                    isinstance(before, (ast.Assign, ast.AnnAssign))
                    and isinstance(stmt, ast.Expr)
                    and isinstance(stmt.value, ast.Constant)
                    and isinstance(stmt.value.value, str)
                ):
                    strings.append(f"{path.relative_to(ROOT)}:{stmt.lineno}")
    assert strings == [], "write these as '#: text' above the assignment:\n" + "\n".join(strings)


NO_I18N = re.compile(r"# no-i18n(?P<reason>: \w+.*)?")


def test_every_untranslated_exception_says_why():
    """``# no-i18n`` (the analyzer's inline exclusion) only with a reason: ``# no-i18n: a log format``."""
    bare = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _runtime_python_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (m := NO_I18N.search(line)) and not m["reason"]
    ]
    assert bare == []


def test_no_noqa_on_a_line_with_a_string():
    """The analyzer reads any ``# noqa`` as an i18n exclusion too, so a ruff ``noqa`` next to a string would
    hide an untranslated text."""
    string_kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_START", tokenize.STRING)}
    hidden = []
    for path in _runtime_python_files():
        with path.open(encoding="utf-8") as source:
            tokens = list(tokenize.generate_tokens(source.readline))
        strings = {t.start[0] for t in tokens if t.type in string_kinds}
        hidden += [
            f"{path.relative_to(ROOT)}:{t.start[0]}"
            for t in tokens
            if t.type == tokenize.COMMENT and "noqa" in t.string and t.start[0] in strings
        ]
    assert hidden == []


#: Builtins and ``os`` calls that run strings; ``subprocess`` with ``shell=True`` is checked separately.
FORBIDDEN = {"os.system", "os.popen", "eval", "exec"}


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return getattr(func, "id", "")


def test_no_shell_eval_or_exec_in_the_plugin():
    problems = []
    for path in _runtime_python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            shell = any(
                k.arg == "shell" and getattr(k.value, "value", False) is not False for k in node.keywords
            )
            if shell or _name(node.func) in FORBIDDEN:
                problems.append(f"{path}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert problems == []
