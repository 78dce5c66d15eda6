"""Translation hook: every user-facing message of the plugin goes through ``tr(text)``.

The core never imports Qt. Inside QGIS the plugin routes ``tr`` through ``QCoreApplication.translate``
when a translation for the user's locale is installed (``bridge.adapters.i18n``); elsewhere (CLI,
worker process, cluster) the English text is kept. ``pylupdate5`` files plain ``tr("...")`` calls
under Qt's ``@default`` context, which is the context used here, so the ``.ts`` file made from the code
matches what is looked up.
"""

from __future__ import annotations

from typing import Callable

CONTEXT = "@default"
_translator: Callable[[str, str], str] | None = None


def set_translator(translator: Callable[[str, str], str] | None) -> None:
    """Route ``tr`` through ``translator(context, text)`` (``None``: English text)."""
    global _translator
    _translator = translator


def tr(text: str) -> str:
    """``text`` in the user's language when a translation is installed, else ``text``."""
    return _translator(CONTEXT, text) if _translator is not None else text


def QT_TR_NOOP(text: str) -> str:
    """Mark ``text`` for translation where it is defined (a table); translate it with ``tr`` where shown."""
    return text
