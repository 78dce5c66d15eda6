"""Which input role raster layers look like, without the panel ever waiting on a large file.

Names and band descriptions decide at once (``core.roles.guess_from_names``). Otherwise the values decide:
a bounded sample of them (``bridge.adapters.value_sample``) is read in a ``QgsTask``, because even five
blocks of a large compressed scene take longer than a click may (210 ms on a 10980 px, 12-band DEFLATE
GeoTIFF on the 2-core development machine, 2.1 s with QGIS's provider statistics;
``benchmarks/role_sampling.py``). Guesses are kept per layer and source for the session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qgis.core import QgsApplication, QgsProject, QgsRasterLayer, QgsTask
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..bridge.adapters.layers import RoleFacts, role_facts
from ..bridge.adapters.value_sample import sampled_ranges
from ..core.i18n import tr
from ..core.roles import RoleGuess, guess_from_names, guess_role

Then = Callable[[str, RoleGuess], None]  # called with a layer id and its guess once the values are read

_RUNNING: set[QgsTask] = set()  # each task's Python side lives until it finished, even if the dock goes


class _SampleTask(QgsTask):
    """Reads the value sample of one layer's file in a worker thread; ``done(key, guess, read)`` on the main
    thread (``read``: false when cancelled before the values were read)."""

    done = pyqtSignal(object, object, bool)

    def __init__(self, key: tuple[str, str], facts: RoleFacts) -> None:
        super().__init__(tr("TerraMind: reading values of {0}").format(facts.names[0]))
        self.key, self.facts = key, facts
        self.guess: RoleGuess | None = None

    def run(self) -> bool:
        f = self.facts
        self.guess = guess_role(f.names, f.band_count, f.descriptions, f.dtype, sampled_ranges(f.path or ""))
        return True

    def finished(self, result: bool) -> None:
        _RUNNING.discard(self)
        f = self.facts  # cancelled: what the band count and data type say
        guess = self.guess or guess_role(f.names, f.band_count, f.descriptions, f.dtype)
        self.done.emit(self.key, guess, self.guess is not None)


class RoleGuesses(QObject):
    """The role guesses of the dock's layers, kept by layer id and source."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._known: dict[tuple[str, str], RoleGuess] = {}
        self._tasks: dict[tuple[str, str], _SampleTask] = {}  # kept until finished (QgsTask lifetime)
        self._waiting: dict[tuple[str, str], list[Then]] = {}

    def guess(self, layer: QgsRasterLayer, then: Then) -> RoleGuess | None:
        """The guess of ``layer`` when it is known now; else ``None``, and ``then(layer id, guess)`` is
        called on the main thread once the values are read."""
        key = (layer.id(), layer.source())
        known = self._known.get(key)
        if known is not None:
            return known
        facts = role_facts(layer)
        quick = guess_from_names(facts.names, facts.band_count, facts.descriptions)
        if quick is None and facts.path is None:  # no file to read: the band count and data type
            quick = guess_role(facts.names, facts.band_count, facts.descriptions, facts.dtype)
        if quick is not None:
            self._known[key] = quick
            return quick
        self._waiting.setdefault(key, []).append(then)
        if key not in self._tasks:
            task = _SampleTask(key, facts)
            task.done.connect(self._on_done)
            self._tasks[key] = task
            _RUNNING.add(task)
            QgsApplication.taskManager().addTask(task)
        return None

    def guess_all(
        self, layers: Sequence[QgsRasterLayer], then: Callable[[list[tuple[QgsRasterLayer, RoleGuess]]], None]
    ) -> None:
        """Call ``then`` with (layer, guess) of each of ``layers`` still in the project, once all are known:
        at once when none needs its values read."""
        ids = [layer.id() for layer in layers]
        pending, guesses = set(ids), {}

        def one(layer_id: str, guess: RoleGuess) -> None:
            guesses[layer_id] = guess
            pending.discard(layer_id)
            if not pending:
                found = [(QgsProject.instance().mapLayer(i), guesses[i]) for i in ids]
                then([(layer, g) for layer, g in found if isinstance(layer, QgsRasterLayer)])

        if not layers:
            then([])
        for layer in layers:
            guess = self.guess(layer, one)
            if guess is not None:
                one(layer.id(), guess)

    def pending(self) -> bool:
        """Some layer's values are being read."""
        return bool(self._tasks)

    def _on_done(self, key: tuple[str, str], guess: RoleGuess, read: bool) -> None:
        self._tasks.pop(key, None)
        if read:  # a guess without the values is not kept: the next one reads them
            self._known[key] = guess
        for then in self._waiting.pop(key, []):
            then(key[0], guess)
