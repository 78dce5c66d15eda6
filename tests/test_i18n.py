"""Translations: the .ts file is made from the code, and a compiled translation is what the user sees.

A pseudo-translation (every source string wrapped in ⟦ ⟧) of ``i18n/terramind_qgis_en.ts`` is compiled
with ``lrelease`` and installed the way the plugin does at start-up; then the visible texts of the
menu, the Processing algorithms and the dock must all come back wrapped. A string outside ``tr()``, or
looked up under another context than the one ``pylupdate5`` filed it under, stays bare and fails.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from helpers.paths import ROOT
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel

import terramind_qgis
from terramind_qgis.bridge.adapters.i18n import install_translator, qm_file, remove_translator
from terramind_qgis.core.errors import InputError
from terramind_qgis.core.i18n import tr
from terramind_qgis.core.jobs import MODEL_SIZES, InputRaster, JobSpec, validate_spec
from terramind_qgis.core.products import Task

SOURCE_TS = ROOT / "i18n" / "terramind_qgis_en.ts"


def _messages(ts_path):
    root = ET.parse(ts_path).getroot()
    return {
        (c.findtext("name"), m.findtext("source")) for c in root.iter("context") for m in c.iter("message")
    }


def _sources():
    spec = importlib.util.spec_from_file_location("build_zip", ROOT / "scripts" / "build_zip.py")
    build_zip = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_zip)
    return [str(p) for p in build_zip.runtime_files(ROOT) if p.suffix == ".py"]


def test_ts_source_file_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "fresh.ts"
    subprocess.run(["pylupdate5", "-noobsolete", *_sources(), "-ts", str(fresh)], cwd=ROOT, check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    assert _messages(fresh) == _messages(SOURCE_TS), "run: bash scripts/translations.sh"


def test_every_tr_literal_is_in_the_ts_file():
    """pylupdate5 misses some spellings (e.g. a parenthesised string); those would never be translated."""
    literals = set()
    for path in _sources():
        for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") in ("tr", "QT_TR_NOOP")
                and node.args
            ):
                if isinstance(node.args[0], ast.Constant):
                    literals.add(node.args[0].value)
    extracted = {text for context, text in _messages(SOURCE_TS) if context == "@default"}
    assert len(literals) > 300
    assert sorted(literals - extracted) == []


def test_progress_messages_go_through_tr():
    """The analyzer skips one-word texts; a progress message ("Done") is shown in the dock and Processing."""
    bare = []
    for path in _sources():
        for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            texts = [a for a in node.args[1:] if isinstance(a, (ast.Constant, ast.JoinedStr))]
            if name == "progress" and texts:
                bare.append(f"{path}:{node.lineno}: {ast.unparse(node)}")
    assert bare == []


def _install(ts_path, folder, locale):
    """Compile ``ts_path`` into ``folder`` and install it the way the plugin does for ``locale``."""
    qm = folder / f"{ts_path.stem}.qm"
    subprocess.run(["lrelease", "-silent", str(ts_path), "-qm", str(qm)], check=True, timeout=60)
    assert qm_file(locale, folder) == qm  # the language falls back
    translator = install_translator(locale, folder)
    assert translator is not None
    return translator


@pytest.fixture()
def pseudo_translation(tmp_path):
    """``⟦text⟧`` for every string of the .ts, compiled and installed for the locale ``xx_YY``."""
    tree = ET.parse(SOURCE_TS)
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        translation.attrib.pop("type", None)
        translation.text = f"⟦{message.findtext('source')}⟧"
    tree.write(tmp_path / "terramind_qgis_xx.ts", encoding="utf-8", xml_declaration=True)
    translator = _install(tmp_path / "terramind_qgis_xx.ts", tmp_path, "xx_YY")
    yield
    remove_translator(translator)


#: Band and modality ids (B8A, VV, DEM), product names (Sentinel-2 L2A, S2 L2A) and the names of the
#: published model sizes (TerraMind v1 tiny ... large): the same everywhere.
PROPER_NAMES = re.compile(r"[A-Z0-9]+|(Sentinel-|S)[12] [A-Z0-9]+|" + "|".join(MODEL_SIZES))


def _bare(texts):
    """Texts with letters that did not come back translated."""
    return sorted(
        {
            t
            for t in texts
            if re.search("[A-Za-z]", t) and not t.startswith("⟦") and not PROPER_NAMES.fullmatch(t)
        }
    )


def _visible_texts(qgis_iface) -> list[str]:
    """Menu entries, Processing names, groups, help and parameter titles, and the dock's texts."""
    plugin = terramind_qgis.classFactory(qgis_iface)
    plugin.initGui()
    try:
        texts = [t for a in plugin.actions for t in (a.text(), a.toolTip())]
        for algorithm in plugin.provider.algorithms():
            texts += [algorithm.displayName(), algorithm.group(), algorithm.shortHelpString()]
            texts += [p.description() for p in algorithm.parameterDefinitions()]
        from terramind_qgis.ui.dock import TerraMindDock

        dock = TerraMindDock(qgis_iface, None)
        texts.append(dock.windowTitle())
        texts += [w.text() for w in dock.findChildren(QAbstractButton)]
        texts += [w.title() for w in dock.findChildren(QGroupBox)]
        texts += [w.text() for w in dock.findChildren(QLabel) if not w.text().startswith("<")]
        combos = [c for c in dock.findChildren(QComboBox) if not isinstance(c, QgsMapLayerComboBox)]
        texts += [c.itemText(i) for c in combos for i in range(c.count())]  # not the user's layer names
        dock.shutdown()
        dock.deleteLater()
        return texts
    finally:
        plugin.unload()


def test_visible_strings_come_back_translated(pseudo_translation, qgis_iface):
    source = min(text for context, text in _messages(SOURCE_TS) if context == "@default")
    assert tr(source) == f"⟦{source}⟧"  # the core's hook too
    texts = _visible_texts(qgis_iface)
    assert len(texts) > 50
    assert "⟦Band mapping⟧" in texts  # a Processing parameter title
    assert _bare(texts) == [], "\n".join(_bare(texts))


def test_core_messages_come_back_translated_as_whole_sentences(pseudo_translation):
    """A message raised in core/ is translated as a whole, and so is the problem it names."""
    spec = JobSpec(
        Task.LULC, (InputRaster("/d/s2.tif", "S2L2A"),), {"lulc": "/o/lulc.tif"}, model_size="huge"
    )
    with pytest.raises(InputError) as raised:
        validate_spec(spec, check_outputs=False)
    problem = "⟦{0} must be one of {1}⟧".format("model size", ", ".join(MODEL_SIZES))
    assert str(raised.value) == "⟦Invalid job options: {0}.⟧".format(problem)


def test_no_translation_for_the_locale_keeps_english(tmp_path):
    assert qm_file("de_DE", tmp_path) is None
    assert install_translator("de_DE", tmp_path) is None
    assert tr("About…") == "About…"


LOCALES = sorted(p for p in SOURCE_TS.parent.glob("terramind_qgis_*.ts") if p != SOURCE_TS)
#: What a translation must keep from its source: ``{0}``, ``{name}``, ``{0:.0f}`` and Qt's ``%p``.
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%[a-z]")


def _translations(ts_path) -> dict[tuple[str, str], str]:
    """(context, source) -> translation, for the finished messages of a translator's .ts file."""
    root = ET.parse(ts_path).getroot()
    return {
        (c.findtext("name"), m.findtext("source")): m.findtext("translation")
        for c in root.iter("context")
        for m in c.iter("message")
        if m.find("translation").get("type") is None and m.findtext("translation")
    }


def test_a_translation_ships():
    assert "terramind_qgis_de.ts" in [p.name for p in LOCALES]
    assert len(_translations(LOCALES[0])) > 100


@pytest.mark.parametrize("ts_path", LOCALES, ids=lambda p: p.stem)
def test_translation_files_are_up_to_date(ts_path):
    """``scripts/translations.sh`` updates them with the source file: the same messages, no stale ones."""
    assert _messages(ts_path) == _messages(SOURCE_TS), "run: bash scripts/translations.sh"


@pytest.mark.parametrize("ts_path", LOCALES, ids=lambda p: p.stem)
def test_translations_keep_the_placeholders(ts_path):
    wrong = [
        f"{context}: {source!r} -> {text!r}"
        for (context, source), text in _translations(ts_path).items()
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text))
    ]
    assert wrong == []


def test_german_user_sees_the_german_translation(tmp_path, qgis_iface):
    """The shipped German file, compiled and installed for ``de_DE``: the translated menu entries, names
    and dock texts are shown in German, none of them in English."""
    translated = _translations(SOURCE_TS.parent / "terramind_qgis_de.ts")
    translator = _install(SOURCE_TS.parent / "terramind_qgis_de.ts", tmp_path, "de_DE")
    try:
        texts = _visible_texts(qgis_iface)
    finally:
        remove_translator(translator)
    sources = {source for _context, source in translated} - set(translated.values())
    assert sorted(set(texts) & sources) == []
    assert len(set(texts) & set(translated.values())) > 40
