"""Style Processing outputs when QGIS loads them, as the dock does (``bridge.adapters.layers``)."""

from __future__ import annotations

from qgis.core import QgsProcessingContext, QgsProcessingLayerPostProcessorInterface, QgsRasterLayer

from ..bridge.adapters.layers import apply_style

# QGIS keeps only a C++ pointer to a post-processor: the Python object must stay referenced until it has
# run, or styling silently applies only sometimes (qgis/QGIS#48087). Each styler drops itself after use.
_PENDING: set[OutputStyler] = set()


class OutputStyler(QgsProcessingLayerPostProcessorInterface):
    """Applies the output's ``.qml`` (or the built-in style of its kind) to the loaded layer."""

    def __init__(self, kind: str, qml_path: str | None) -> None:
        super().__init__()
        self.kind = kind
        self.qml_path = qml_path

    def postProcessLayer(self, layer, context, feedback) -> None:
        if isinstance(layer, QgsRasterLayer):
            apply_style(layer, self.kind, self.qml_path)
        _PENDING.discard(self)


def style_on_load(context: QgsProcessingContext, path: str, kind: str, qml_path: str | None) -> None:
    """Attach a styler to ``path`` if Processing will load it as a layer when the algorithm finishes."""
    if not context.willLoadLayerOnCompletion(path):
        return
    styler = OutputStyler(kind, qml_path)
    _PENDING.add(styler)
    context.layerToLoadOnCompletionDetails(path).setPostProcessor(styler)
