"""The dock's input layers: a role picker per input role, a layer put into the role it looks like
(``role_guesses``), and the offer of a selected layer or of a scene's other layers."""

from __future__ import annotations

from collections.abc import Callable

from qgis.core import QgsMapLayer, QgsProject, QgsRasterLayer
from qgis.gui import QgsCollapsibleGroupBox
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QGridLayout, QWidget

from ..bridge.adapters.layers import band_info
from ..core.bands import guess_band_mapping
from ..core.errors import TerraMindError
from ..core.products import INPUT_ROLES
from ..core.roles import RoleGuess
from .role_guesses import RoleGuesses
from .scene import same_scene
from .widgets.role_picker import RoleOffer, RolePicker


class InputLayers(QgsCollapsibleGroupBox):
    """One role picker per input role (``pickers``, by modality) and the ``offer`` line.

    Signals:
        changed: a layer or a band mapping changed.
        status(str): a sentence for the user about the last layer put into (or kept out of) a role.
    """

    changed = pyqtSignal()
    status = pyqtSignal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Input layers"))
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        self.pickers: dict[str, RolePicker] = {}
        for i, input_role in enumerate(INPUT_ROLES):
            role = input_role.modality
            picker = RolePicker(
                role,
                self.tr(input_role.title),
                input_role.bands,
                grid,
                RolePicker.ROWS * i,
                self,
                short=self.tr(input_role.short),
            )
            picker.combo.layerChanged.connect(lambda layer, p=picker: self._on_role_layer_changed(p, layer))
            picker.editor.mappingChanged.connect(self.changed.emit)
            self.pickers[role] = picker
        self.guesses = RoleGuesses(self)
        self._placed = 0  # layers put or used so far: a later one makes an earlier guess's placing stale
        self._selected = ""  # id of the layer offer_layer was last called with
        self.offer = RoleOffer(self)
        self.offer.accepted.connect(self._on_offer_accepted)
        grid.addWidget(self.offer, RolePicker.ROWS * len(INPUT_ROLES), 0, 1, 2)

    def _on_role_layer_changed(self, picker: RolePicker, layer: QgsMapLayer | None) -> None:
        if isinstance(layer, QgsRasterLayer) and layer.isValid():
            count, descriptions = band_info(layer)
            try:
                default = guess_band_mapping(picker.modality, count, descriptions)
            except TerraMindError:
                default = ()
            picker.show_bands(count, descriptions, default)
        else:
            picker.clear_bands()
        self.changed.emit()

    def put_layer(self, layer: QgsMapLayer, role: str | None = None) -> str | None:
        """Put a raster layer into ``role`` (default: the role it looks like); return the role used.

        A layer that looks like no input (a land-cover map, an index) is not put anywhere; the status line
        says why, and the user can still choose it in a role's list. When only its values can tell, they are
        read in the background: ``None`` is returned and the layer is put into its role when they are in.
        """
        if not isinstance(layer, QgsRasterLayer):
            return None
        self._placed += 1
        if role is not None:
            self._set(role, layer)
            return role
        return self._place(layer, lambda _role: None)

    def use_layer(self, layer: QgsMapLayer) -> str | None:
        """ "Use in TerraMind…": put ``layer`` into its role. A layer of another scene starts a fresh input
        set, and the layers of its scene that fit empty roles are offered."""
        if not isinstance(layer, QgsRasterLayer):
            return None
        chosen = self.chosen_layers()
        if any(not same_scene(layer, other) for other in chosen.values() if other is not layer):
            for picker in self.pickers.values():
                picker.set_layer(None)
        self._placed += 1
        return self._place(layer, lambda role: role is not None and self._offer_siblings(layer.id()))

    def _place(self, layer: QgsRasterLayer, then: Callable[[str | None], object]) -> str | None:
        """Put ``layer`` into the role it looks like, now or once its values are read (unless another layer
        was put or used since); then ``then(role)``."""
        placed = self._placed

        def when_read(layer_id: str, guess: RoleGuess) -> None:
            if placed == self._placed:
                then(self._put_guessed(layer_id, guess))

        guess = self.guesses.guess(layer, when_read)
        if guess is None:
            self.status.emit(self.tr("Reading the values of “{0}” to tell its role…").format(layer.name()))
            return None
        role = self._put_guessed(layer.id(), guess)
        then(role)
        return role

    def _put_guessed(self, layer_id: str, guess: RoleGuess) -> str | None:
        layer = QgsProject.instance().mapLayer(layer_id)
        if not isinstance(layer, QgsRasterLayer):  # removed while its values were read
            return None
        role = guess.role if guess.role in self.pickers else None
        if role is None:
            self.status.emit(
                self.tr("“{0}” was not used: {1}. Choose it in a role's list if it is an input.").format(
                    layer.name(), guess.reason
                )
            )
            return None
        self.status.emit(self.tr("“{0}” is the {1} input: {2}.").format(layer.name(), role, guess.reason))
        self._set(role, layer)
        return role

    def _set(self, role: str, layer: QgsRasterLayer) -> None:
        self.pickers[role].set_layer(layer)
        self.offer.hide()

    def _offer_siblings(self, layer_id: str) -> None:
        """Offer the layers of the scene of ``layer_id`` that fit empty roles (unless another layer was put or
        used meanwhile)."""
        placed = self._placed
        layer = QgsProject.instance().mapLayer(layer_id)
        if not isinstance(layer, QgsRasterLayer):
            return
        candidates = [
            other
            for other in QgsProject.instance().mapLayers().values()
            if isinstance(other, QgsRasterLayer)
            and other is not layer
            and other.isValid()
            and all(p.layer() is not other for p in self.pickers.values())
            and same_scene(layer, other)
        ]

        def offer(guesses: list[tuple[QgsRasterLayer, RoleGuess]]) -> None:
            if placed != self._placed:
                return
            siblings: dict[str, QgsRasterLayer] = {}
            for other, guess in guesses:
                role = guess.role
                if role in self.pickers and self.pickers[role].layer() is None and role not in siblings:
                    siblings[role] = other
            if siblings:
                self.offer.offer_many(list(siblings.items()))

        self.guesses.guess_all(candidates, offer)

    def offer_layer(self, layer: QgsMapLayer | None) -> str | None:
        """Offer a selected raster layer for the empty role that fits it; return that role, if any (``None``
        also while its values are read: it is offered when they are in, if it is still the selected one)."""
        if not isinstance(layer, QgsRasterLayer) or not layer.isValid():
            return None
        if any(p.layer() is layer for p in self.pickers.values()):
            return None
        self._selected = layer.id()
        guess = self.guesses.guess(layer, self._offer_guessed)
        return None if guess is None else self._offer_guessed(layer.id(), guess)

    def _offer_guessed(self, layer_id: str, guess: RoleGuess) -> str | None:
        layer = QgsProject.instance().mapLayer(layer_id)
        role = guess.role if guess.role in self.pickers else None
        if layer_id != self._selected or layer is None or role is None:
            return None
        if self.pickers[role].layer() is not None:
            return None
        self.offer.offer(role, layer, guess.reason)
        return role

    def _on_offer_accepted(self, role: str, layer_id: str) -> None:
        layer = QgsProject.instance().mapLayer(layer_id)
        if layer is not None:
            self.put_layer(layer, role)

    def chosen_layers(self) -> dict[str, QgsRasterLayer]:
        """Role -> chosen layer, for the roles that are not empty."""
        return {role: p.layer() for role, p in self.pickers.items() if p.layer() is not None}
