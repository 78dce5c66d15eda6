"""The plugin's translations: the ``.qm`` file for QGIS's locale is loaded when the plugin starts.

Files: ``i18n/terramind_qgis_<locale>.qm`` (compiled by ``lrelease`` from the ``.ts`` files that
``scripts/translations.sh`` keeps in step with the code). ``de_AT`` falls back to ``de``.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from ...core.i18n import set_translator

I18N_DIR = Path(__file__).resolve().parents[2] / "i18n"
PREFIX = "terramind_qgis_"


def qm_file(locale: str, folder: Path = I18N_DIR) -> Path | None:
    """The compiled translation for ``locale`` (``de_AT``, then ``de``), or ``None``."""
    for name in dict.fromkeys((locale, locale.split("_")[0])):
        path = folder / f"{PREFIX}{name}.qm"
        if name and path.is_file():
            return path
    return None


def install_translator(locale: str | None = None, folder: Path = I18N_DIR) -> QTranslator | None:
    """Load and install the translation for ``locale`` (default: QGIS's user interface locale).

    The core's messages are routed through Qt's translation too. Returns the installed translator (give
    it to ``remove_translator`` on unload), or ``None`` when there is no translation for the locale.
    """
    path = qm_file(locale or QgsApplication.locale(), folder)
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    set_translator(QCoreApplication.translate)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    """Undo ``install_translator``."""
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
        set_translator(None)
