"""The dock's message-bar messages: each notice once per session, and no stale bar left behind a new run."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from qgis.core import Qgis
from qgis.gui import QgsMessageBar, QgsMessageBarItem

log = logging.getLogger(__name__)

WARNING_SECONDS = 15  # a run's new notices stay this long; errors stay until closed


class Notices:
    """Pushes the dock's messages and remembers them.

    Args:
        bar: returns the message bar (``iface.messageBar``).
    """

    def __init__(self, bar: Callable[[], QgsMessageBar]) -> None:
        self._bar = bar
        self._items: list[QgsMessageBarItem] = []
        self._seen: set[str] = set()

    def push(self, title: str, text: str, level: Qgis.MessageLevel, details: str = "") -> None:
        """Show a message: errors until the user closes them, others for a while."""
        bar = self._bar()
        duration = 0 if level == Qgis.MessageLevel.Critical else WARNING_SECONDS
        before = bar.currentItem()
        if details:
            bar.pushMessage(title, text, details, level, duration)
        else:
            bar.pushMessage(title, text, level, duration)
        item = bar.currentItem()
        if item is not None and item is not before:
            self._items.append(item)

    def clear(self) -> None:
        """Close the messages this dock showed that are still in the bar (a new run starts)."""
        bar = self._bar()
        shown = bar.items()
        for item in self._items:
            if item in shown:
                bar.popWidget(item)
        self._items.clear()

    def first_time(self, notices: Iterable[str]) -> list[str]:
        """The notices not shown before in this session (each names its input); all go to the log."""
        new = []
        for notice in notices:
            log.info("Notice: %s", notice)
            if notice not in self._seen:
                self._seen.add(notice)
                new.append(notice)
        return new
