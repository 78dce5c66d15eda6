"""The dock's "Explore" panel and map tool: click an embedding layer's pixel and see everything like it;
label clicks as classes and see the classification refresh after each one; jump to the least certain pixel;
save the result as the same files the Embedding workbench algorithms write.

The embedding raster is loaded once into memory by a background task (``core.workbench.explorer``); each
click then costs a matrix-vector product or a small refit. Previews are scratch GeoTIFFs in a temporary
folder removed when the panel closes; saved outputs go through ``core.workbench`` like the algorithms'.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateTransform,
    QgsMapLayerProxyModel,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
    QgsTask,
    QgsWkbTypes,
)
from qgis.gui import QgsMapLayerComboBox, QgsMapToolEmitPoint, QgsRubberBand
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QWidget

from ..bridge.adapters.layers import add_result_layers, layer_file_path
from ..core.errors import TerraMindError
from ..core.i18n import QT_TR_NOOP, tr
from ..core.jobs import JobResult
from ..core.products import PRODUCTS
from ..core.workbench.explorer import METHOD, UNKNOWN, Explorer, write_preview
from ..core.workbench.outputs import with_classes

log = logging.getLogger(__name__)

SIMILARITY, LABEL = "similarity", "label"
DEFAULT_CLASSES = (QT_TR_NOOP("class A"), QT_TR_NOOP("class B"))


class ExplorePanel(QWidget):
    """Embedding layer, click mode (similarity or a class label), least-certain step and save.

    Signals:
        message(title, text, level): for the dock's message bar.
    """

    message = pyqtSignal(str, str, object)

    def __init__(self, iface, output_folder, parent: QWidget | None = None) -> None:
        """``output_folder()`` returns where saved outputs go ("" = a temporary folder)."""
        super().__init__(parent)
        self.iface, self.canvas, self.output_folder = iface, iface.mapCanvas(), output_folder
        self.explorer: Explorer | None = None
        self.seeds: list[tuple[int, int]] = []
        self.confidence = None  # last confidence map (least-certain search)
        self.scratch = tempfile.mkdtemp(prefix="terramind_explore_")
        self.preview_layers: dict[str, QgsRasterLayer] = {}
        self._count = 0
        self._load_task: QgsTask | None = None
        self.layer_combo = QgsMapLayerComboBox(self)
        self.layer_combo.setFilters(QgsMapLayerProxyModel.Filter.RasterLayer)
        self.layer_combo.setAllowEmptyLayer(True)
        self.layer_combo.setToolTip(self.tr("A multi-band embedding raster (one band per feature)."))
        self.mode_combo = QComboBox(self)
        self.mode_combo.addItem(self.tr("Find similar places"), SIMILARITY)
        for name in map(tr, DEFAULT_CLASSES):
            self.mode_combo.addItem(self.tr("Label as {0}").format(name), name)
        self.mode_combo.addItem(self.tr("Label as unknown"), UNKNOWN)
        self.add_class_button = QPushButton(self.tr("Add class"), self)
        self.explore_button = QPushButton(self.tr("Explore on map"), self)
        self.explore_button.setCheckable(True)
        self.explore_button.setToolTip(
            self.tr("Click pixels of the embedding layer; Shift+click adds a seed to the similarity.")
        )
        self.next_button = QPushButton(self.tr("Least certain pixel"), self)
        self.save_button = QPushButton(self.tr("Save result"), self)
        self.status_label = QLabel(self.tr("Choose an embedding layer, then click “Explore on map”."), self)
        self.status_label.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(self.tr("Embeddings"), self), 0, 0)
        grid.addWidget(self.layer_combo, 0, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("Click"), self), 1, 0)
        grid.addWidget(self.mode_combo, 1, 1, 1, 2)
        for row, button in enumerate((self.add_class_button, self.explore_button, self.next_button), 2):
            grid.addWidget(button, row, 0, 1, 3)  # one per row: fits a 300 px panel
        grid.addWidget(self.save_button, 5, 0, 1, 3)
        grid.addWidget(self.status_label, 6, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self.tool = QgsMapToolEmitPoint(self.canvas)
        self.tool.canvasClicked.connect(self._on_canvas_clicked)
        self.tool.deactivated.connect(lambda: self.explore_button.setChecked(False))
        self.marker = QgsRubberBand(self.canvas, QgsWkbTypes.GeometryType.PointGeometry)
        self.marker.setColor(QColor(255, 0, 255))
        self.marker.setIconSize(12)
        self.explore_button.toggled.connect(self._on_explore_toggled)
        self.add_class_button.clicked.connect(self.add_class)
        self.next_button.clicked.connect(self.step_to_least_certain)
        self.save_button.clicked.connect(self.save)
        self.layer_combo.layerChanged.connect(self._on_layer_changed)
        self._sync_buttons()

    # ----- state --------------------------------------------------------------------------------------------
    def _sync_buttons(self) -> None:
        ready = self.explorer is not None
        self.next_button.setEnabled(ready and self.confidence is not None)
        self.save_button.setEnabled(ready and (bool(self.seeds) or len(self.explorer.classes()) >= 2))

    def _on_layer_changed(self, layer=None) -> None:
        self.explorer, self.seeds, self.confidence = None, [], None
        if self.marker is None:  # after shutdown
            return
        self.marker.reset(QgsWkbTypes.GeometryType.PointGeometry)
        self._sync_buttons()
        if self.explore_button.isChecked() and isinstance(layer, QgsRasterLayer):
            self.load(layer)  # exploring goes on with the new layer

    def add_class(self) -> None:
        """Add a "Label as class <letter>" entry and select it."""
        n = sum(
            1
            for i in range(self.mode_combo.count())
            if self.mode_combo.itemData(i) not in (SIMILARITY, UNKNOWN)
        )
        name = self.tr("class {0}").format(chr(ord("A") + n) if n < 26 else n + 1)
        index = self.mode_combo.count() - 1  # before "unknown"
        self.mode_combo.insertItem(index, self.tr("Label as {0}").format(name), name)
        self.mode_combo.setCurrentIndex(index)

    # ----- loading ------------------------------------------------------------------------------------------
    def _on_explore_toggled(self, on: bool) -> None:
        if not on:
            if self.canvas.mapTool() is self.tool:
                self.canvas.unsetMapTool(self.tool)
            return
        layer = self.layer_combo.currentLayer()
        if not isinstance(layer, QgsRasterLayer):
            self.status_label.setText(self.tr("Choose an embedding layer first."))
            self.explore_button.setChecked(False)
            return
        self.canvas.setMapTool(self.tool)
        if self.explorer is None:
            self.load(layer)

    def load(self, layer: QgsRasterLayer, wait: bool = False) -> None:
        """Load the layer's embeddings into memory in a background task (``wait``: block, for scripts)."""
        try:
            path = layer_file_path(layer)
        except TerraMindError as exc:
            self.status_label.setText(str(exc))
            return
        _cancel(self._load_task)  # a previous layer's load; its result is ignored
        self.status_label.setText(self.tr("Loading the embeddings of “{0}”…").format(layer.name()))
        name = layer.name()
        task = QgsTask.fromFunction(
            self.tr("TerraMind: load embeddings"),
            lambda t: Explorer.load(path, name, t.isCanceled),
            on_finished=lambda exc, result=None, lid=layer.id(): self._on_loaded(exc, result, lid),
        )
        self._load_task = task
        QgsApplication.taskManager().addTask(task)
        if wait:
            task.waitForFinished(0)
            QgsApplication.processEvents()

    def _on_loaded(self, exception, explorer: Explorer | None, layer_id: str) -> None:
        current = self.layer_combo.currentLayer()
        if current is None or current.id() != layer_id:
            return  # the layer changed while this one was loading
        self._load_task = None
        if exception is not None or explorer is None:
            text = str(exception) if exception is not None else self.tr("Loading was cancelled.")
            self.status_label.setText(text)
            self.message.emit(self.tr("Explore"), text, Qgis.MessageLevel.Warning)
            return
        self.explorer = explorer
        g = explorer.grid
        self.status_label.setText(
            self.tr("{0}: {1} x {2} pixels in memory. Click on the map.").format(
                explorer.label, g.width, g.height
            )
        )
        self._sync_buttons()

    # ----- clicks -------------------------------------------------------------------------------------------
    def _on_canvas_clicked(self, point: QgsPointXY, button) -> None:
        if self.explorer is None:
            self.status_label.setText(self.tr("Still loading the embeddings…"))
            return
        layer = self.layer_combo.currentLayer()
        transform = QgsCoordinateTransform(
            self.canvas.mapSettings().destinationCrs(), layer.crs(), QgsProject.instance()
        )
        p = transform.transform(point)
        pixel = self.explorer.pixel_at(p.x(), p.y())
        if pixel is None:
            self.status_label.setText(self.tr("No embedding under this point (outside the layer or nodata)."))
            return
        shift = bool(QgsApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
        self.click(*pixel, add=shift)

    def click(self, row: int, col: int, add: bool = False) -> float:
        """Act on a pixel in the current mode; returns the seconds it took until the layer was updated."""
        start = time.perf_counter()
        mode = self.mode_combo.currentData()
        if mode == SIMILARITY:
            self.seeds = self.seeds + [(row, col)] if add else [(row, col)]
            self._show("similarity", self.explorer.similarity(self.seeds), PRODUCTS["similarity"])
            text = self.tr("Similarity to {0} seed pixel(s).").format(len(self.seeds))
        else:
            self.explorer.set_label(row, col, mode)
            fitted = self.explorer.refit()
            if fitted is None:
                text = self.tr("Labelled {0} pixel(s); label a second class to classify.").format(
                    len(self.explorer.labels)
                )
            else:
                classes, confidence = fitted
                names = self.explorer.classes()
                product = with_classes("classification", [(i + 1, n) for i, n in enumerate(names)])
                self._show("confidence", confidence, PRODUCTS["confidence"])
                self._show("classification", classes, product)
                self.confidence = confidence
                text = self.tr("Classified with {0} labelled pixel(s), {1} classes.").format(
                    len(self.explorer.labels), len(names)
                )
        seconds = time.perf_counter() - start
        self.status_label.setText(text + " " + self.tr("({0:.2f} s)").format(seconds))
        self._sync_buttons()
        return seconds

    def step_to_least_certain(self) -> tuple[int, int] | None:
        """Centre the map on the unlabelled pixel the classifier is least sure of, and mark it."""
        if self.explorer is None or self.confidence is None:
            return None
        pixel = self.explorer.least_certain(self.confidence)
        if pixel is None:
            return None
        layer = self.layer_combo.currentLayer()
        x, y = self.explorer.centre(*pixel)
        transform = QgsCoordinateTransform(
            layer.crs(), self.canvas.mapSettings().destinationCrs(), QgsProject.instance()
        )
        point = transform.transform(QgsPointXY(x, y))
        self.canvas.setCenter(point)
        self.canvas.refresh()
        self.marker.reset(QgsWkbTypes.GeometryType.PointGeometry)
        self.marker.addPoint(point)
        p = float(self.confidence[pixel])
        self.status_label.setText(
            self.tr("Least certain pixel (p = {0:.2f}): label it with a click.").format(p)
        )
        return pixel

    def _show(self, kind: str, values, product) -> None:
        """Write a preview and show it in its layer (created once, then pointed at the new file)."""
        self._count += 1
        path = write_preview(
            os.path.join(self.scratch, f"{kind}_{self._count}.tif"), values, self.explorer.grid, product
        )
        layer = self.preview_layers.get(kind)
        name = self.tr("Explore: {0}").format(tr(product.title))
        if layer is None or not layer.isValid() or QgsProject.instance().mapLayer(layer.id()) is None:
            layer = QgsRasterLayer(path, name, "gdal")
            QgsProject.instance().addMapLayer(layer)
            self.preview_layers[kind] = layer
        else:
            old = layer.source()
            layer.setDataSource(path, name, "gdal", layer.dataProvider().ProviderOptions())
            _remove(old)
        layer.loadNamedStyle(os.path.splitext(path)[0] + ".qml")
        layer.triggerRepaint()

    # ----- saving -------------------------------------------------------------------------------------------
    def save(self) -> QgsTask | None:
        """Write the current result with the workbench functions, in a background task; layers are added
        like a run's outputs."""
        if self.explorer is None:
            return None
        folder = self.output_folder() or tempfile.mkdtemp(prefix="terramind_explore_out_")
        stem = os.path.join(folder, f"terramind_explore_{time.strftime('%Y%m%d_%H%M%S')}")
        explorer = self.explorer
        if len(explorer.classes()) >= 2:
            training = explorer.training_features()
            counts = [list(training.values).count(n) for n in explorer.classes()]
            folds = max(2, min(5, min(counts)))

            def work(task: QgsTask) -> JobResult:
                from ..core.workbench.classify_raster import classify_map

                return classify_map(
                    explorer.path,
                    explorer.label,
                    stem + "_classification.tif",
                    training,
                    METHOD,
                    folds,
                    confidence=stem + "_confidence.tif",
                    report=stem + "_report.json",
                    model_out=stem + "_model.tmclf",
                    progress=lambda f, m: task.setProgress(100 * f),
                    is_cancelled=task.isCanceled,
                )
        else:
            from ..core.workbench.geometry_pixels import Features

            seeds = Features(
                tr("clicked seeds"),
                [{"type": "Point", "coordinates": explorer.centre(r, c)} for r, c in self.seeds],
            )

            def work(task: QgsTask) -> JobResult:
                from ..core.workbench.similarity import similarity_map

                return similarity_map(
                    explorer.path,
                    explorer.label,
                    seeds,
                    stem + "_similarity.tif",
                    progress=lambda f, m: task.setProgress(100 * f),
                    is_cancelled=task.isCanceled,
                )

        task = QgsTask.fromFunction(self.tr("TerraMind: save exploration"), work, on_finished=self._on_saved)
        QgsApplication.taskManager().addTask(task)
        return task

    def _on_saved(self, exception, result: JobResult | None = None) -> None:
        if exception is not None or result is None:
            text = str(exception) if exception is not None else self.tr("Saving was cancelled.")
            self.message.emit(self.tr("Explore"), text, Qgis.MessageLevel.Critical)
            return
        layers = add_result_layers(
            result, None, self.tr("TerraMind Explore · {0}").format(time.strftime("%H:%M:%S"))
        )
        self.message.emit(
            self.tr("Explore"),
            self.tr("Saved {0} file(s): {1}").format(len(result.outputs), ", ".join(result.outputs.values())),
            Qgis.MessageLevel.Success,
        )
        self.saved_layers = layers

    # ----- life cycle ---------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Release the map tool, remove the marker, the preview layers and the scratch folder (once)."""
        if self.marker is None:
            return
        if self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)
        _cancel(self._load_task)
        self.canvas.scene().removeItem(self.marker)
        self.marker = None
        project = QgsProject.instance()
        for layer in self.preview_layers.values():
            try:
                if project.mapLayer(layer.id()) is not None:
                    project.removeMapLayer(layer.id())
            except RuntimeError:  # already deleted with its project
                pass
        self.preview_layers = {}
        shutil.rmtree(self.scratch, ignore_errors=True)


def _cancel(task: QgsTask | None) -> None:
    """Cancel a task that may already have finished (and been deleted by the task manager)."""
    try:
        if task is not None:
            task.cancel()
    except RuntimeError:
        pass


def _remove(path: str) -> None:
    for p in (path, os.path.splitext(path)[0] + ".qml", path + ".aux.xml"):
        try:
            os.remove(p)
        except OSError:
            pass
