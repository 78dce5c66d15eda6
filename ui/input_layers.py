"""The dock's input layers: a role picker per input role, the guess of a layer's role, and the offer of
a selected layer or of a scene's other layers."""

from __future__ import annotations

from qgis.core import QgsMapLayer, QgsProject, QgsRasterLayer
from qgis.gui import QgsCollapsibleGroupBox
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QGridLayout, QWidget

from ..bridge.adapters.layers import band_info, guess_layer_role
from ..core.bands import guess_band_mapping
from ..core.errors import TerraMindError
from ..core.products import INPUT_ROLES
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
        says why, and the user can still choose it in a role's list.
        """
        if not isinstance(layer, QgsRasterLayer):
            return None
        if role is None:
            guess = guess_layer_role(layer)
            role = guess.role if guess.role in self.pickers else None
            if role is None:
                self.status.emit(
                    self.tr("“{0}” was not used: {1}. Choose it in a role's list if it is an input.").format(
                        layer.name(), guess.reason
                    )
                )
                return None
            self.status.emit(self.tr("“{0}” is the {1} input: {2}.").format(layer.name(), role, guess.reason))
        self.pickers[role].set_layer(layer)
        self.offer.hide()
        return role

    def use_layer(self, layer: QgsMapLayer) -> str | None:
        """ "Use in TerraMind…": put ``layer`` into its role. A layer of another scene starts a fresh input
        set, and the layers of its scene that fit empty roles are offered."""
        if not isinstance(layer, QgsRasterLayer):
            return None
        chosen = self.chosen_layers()
        if any(not same_scene(layer, other) for other in chosen.values() if other is not layer):
            for picker in self.pickers.values():
                picker.set_layer(None)
        role = self.put_layer(layer)
        if role is None:
            return None
        siblings = []
        for other in QgsProject.instance().mapLayers().values():
            if not isinstance(other, QgsRasterLayer) or other is layer or not other.isValid():
                continue
            if any(p.layer() is other for p in self.pickers.values()) or not same_scene(layer, other):
                continue
            guess = guess_layer_role(other).role
            if guess in self.pickers and self.pickers[guess].layer() is None and guess not in dict(siblings):
                siblings.append((guess, other))
        if siblings:
            self.offer.offer_many(siblings)
        return role

    def suggest_role(self, layer: QgsRasterLayer) -> str | None:
        """The role the layer looks like (``bridge.adapters.layers.guess_layer_role``), if it is an input."""
        role = guess_layer_role(layer).role
        return role if role in self.pickers else None

    def offer_layer(self, layer: QgsMapLayer | None) -> str | None:
        """Offer a selected raster layer for the empty role that fits it; return that role, if any."""
        if not isinstance(layer, QgsRasterLayer) or not layer.isValid():
            return None
        if any(p.layer() is layer for p in self.pickers.values()):
            return None
        guess = guess_layer_role(layer)
        role = guess.role if guess.role in self.pickers else None
        if role is None or self.pickers[role].layer() is not None:
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
