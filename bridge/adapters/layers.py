"""Layers in, styled layers out: the boundary between QGIS layers and the file paths core works on.

``input_from_layer``/``band_info``/``area_from_rectangle`` turn QGIS objects into plain spec values;
``add_result_layers`` turns the files of a ``JobResult`` into styled layers in a layer-tree group.
Functions that touch the project or layers' renderers must run on the main thread (``JobTask.finished``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsMapLayer,
    QgsProject,
    QgsProviderRegistry,
    QgsRasterBandStats,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtXml import QDomDocument

from ...core.errors import InputError, OutputError
from ...core.i18n import tr
from ...core.jobs import MODALITIES, Area, InputRaster, JobResult, JobSpec
from ...core.products import PRODUCTS
from ...core.styles import style_xml

log = logging.getLogger(__name__)


def band_info(layer: QgsRasterLayer) -> tuple[int, tuple[str | None, ...]]:
    """Band count and per-band descriptions (``None`` where unset) of a raster layer.

    Descriptions come from the GDAL dataset (e.g. ``"B02"``, ``"VV"``) so that ``core.bands`` can guess
    the modality and band mapping; non-GDAL layers give ``None`` for every band.
    """
    count = layer.bandCount()
    descriptions: list[str | None] = [None] * count
    if layer.providerType() == "gdal":
        from osgeo import gdal

        dataset = gdal.OpenEx(_dataset_name(layer), gdal.OF_RASTER | gdal.OF_READONLY)
        if dataset is not None:
            for i in range(min(count, dataset.RasterCount)):
                descriptions[i] = dataset.GetRasterBand(i + 1).GetDescription() or None
            dataset = None
    return count, tuple(descriptions)


#: ``Qgis.DataType`` value -> numpy name.
_DTYPES = {1: "uint8", 2: "uint16", 3: "int16", 4: "uint32", 5: "int32", 6: "float32", 7: "float64"}


@dataclass(frozen=True)
class RoleFacts:
    """What the role of a raster layer is guessed from (``core.roles``), read on the main thread at once;
    ``path`` is the file whose values ``value_sample.sampled_ranges`` reads when the names do not decide
    (``None`` for a layer that is no file)."""

    names: tuple[str, ...]
    band_count: int
    descriptions: tuple[str | None, ...]
    dtype: str
    path: str | None


def role_facts(layer: QgsRasterLayer) -> RoleFacts:
    """The layer and file names, band count and descriptions, data type and file of a raster layer."""
    count, descriptions = band_info(layer)
    path = _dataset_name(layer) if layer.providerType() == "gdal" else None
    names = (layer.name(), os.path.basename(path) if path else "")
    dtype = _DTYPES.get(int(layer.dataProvider().dataType(1)), "float32") if count else "float32"
    return RoleFacts(names, count, descriptions, dtype, path)


def layer_file_path(layer: QgsRasterLayer) -> str:
    """The GDAL dataset name behind a raster layer (an absolute file path for plain files).

    Raises:
        InputError: the layer is invalid or not backed by a GDAL-readable file (WMS, XYZ, memory...).
    """
    if layer is None or not layer.isValid():
        name = layer.name() if layer is not None else "?"
        raise InputError(
            tr("Raster layer '{0}' is not valid; check that its file still exists.").format(name)
        )
    if layer.providerType() != "gdal":
        raise InputError(
            tr(
                "Layer '{0}' comes from the '{1}' provider, not from a file. TerraMind reads raster files: "
                "export the layer with Export > Save As... (GeoTIFF) and use the exported layer."
            ).format(layer.name(), layer.providerType())
        )
    return _dataset_name(layer)


def _dataset_name(layer: QgsRasterLayer) -> str:
    """GDAL dataset name of a ``gdal`` provider layer: its file path without QGIS's URI options."""
    parts = QgsProviderRegistry.instance().decodeUri("gdal", layer.source())
    path = parts.get("path") or layer.source()
    if parts.get("layerName"):  # e.g. a raster table inside a GeoPackage: GDAL opens the full source
        return layer.source()
    return os.path.abspath(path) if os.path.exists(path) else path


def gdal_read_error(path: str) -> str | None:
    """GDAL's reason why it cannot open the existing file ``path``, or ``None`` when it can."""
    from osgeo import gdal

    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        gdal.ErrorReset()
        try:
            dataset = gdal.Open(path)
        except RuntimeError as exc:  # when another plugin switched GDAL exceptions on
            return str(exc)
        if dataset is None:
            return gdal.GetLastErrorMsg() or tr("not a format GDAL knows")
        return None
    finally:
        gdal.PopErrorHandler()


def input_from_layer(layer: QgsRasterLayer, modality: str, bands: Sequence[int] | None = None) -> InputRaster:
    """Describe a raster layer as a job input.

    Args:
        layer: a file-backed raster layer.
        modality: one of ``core.jobs.MODALITIES`` (S2L2A, S2L1C, S1GRD, S1RTC, DEM, RGB).
        bands: 1-based band numbers in the modality's pretrained order; ``None`` lets core guess them.

    Raises:
        InputError: unknown modality, layer not file-backed, or a band number outside the layer.
    """
    if modality not in MODALITIES:
        raise InputError(
            tr("Unknown input modality '{0}'; valid modalities: {1}.").format(modality, ", ".join(MODALITIES))
        )
    path = layer_file_path(layer)
    mapping: tuple[int, ...] | None = None
    if bands is not None:
        mapping = tuple(int(b) for b in bands)
        count = layer.bandCount()
        bad = [b for b in mapping if b < 1 or b > count]
        if bad:
            raise InputError(
                tr(
                    "Band(s) {0} do not exist in layer '{1}', which has {2} band(s) (numbered from 1)."
                ).format(", ".join(str(b) for b in bad), layer.name(), count)
            )
    return InputRaster(path=path, modality=modality, bands=mapping, name=layer.name())


def area_from_rectangle(rect: QgsRectangle, crs: QgsCoordinateReferenceSystem) -> Area:
    """Turn an extent and its CRS into the spec's ``Area`` (authority id, else WKT)."""
    if rect is None or rect.isNull() or rect.isEmpty():
        raise InputError(tr("The chosen extent is empty; choose an area with a non-zero width and height."))
    if not crs.isValid():
        raise InputError(tr("The extent has no valid CRS; set the project or layer CRS first."))
    crs_text = crs.authid() or crs.toWkt()
    return Area(bounds=(rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()), crs=crs_text)


def layer_name(kind: str) -> str:
    """Display name of an output kind ("lulc" -> "Land cover (generated)"), from ``core.products``."""
    product = PRODUCTS.get(kind)
    return tr(product.title) if product else tr("{0} (generated)").format(kind.upper())


#: Pixels sampled per band for a style's value range when no ``.qml`` was written (bounded UI time).
STYLE_SAMPLE_PIXELS = 250_000


def apply_style(layer: QgsRasterLayer, kind: str, qml_path: str | None = None) -> None:
    """Style an output layer: the ``.qml`` written by core when there is one, else the same style
    (``core.styles``) built from the layer's band statistics."""
    if qml_path and os.path.exists(qml_path):
        message, ok = layer.loadNamedStyle(qml_path)
        if ok:
            layer.triggerRepaint()
            return
        log.warning("Could not load style %s: %s; using the built-in style", qml_path, message)
    product = PRODUCTS.get(kind)
    if product is None:
        return
    provider = layer.dataProvider()
    ranges = []
    wanted = QgsRasterBandStats.Stats.Min | QgsRasterBandStats.Stats.Max
    for band in range(1, layer.bandCount() + 1):  # a sample: this runs on the main thread
        stats = provider.bandStatistics(band, wanted, QgsRectangle(), STYLE_SAMPLE_PIXELS)
        ranges.append((stats.minimumValue, stats.maximumValue))
    document = QDomDocument()
    document.setContent(style_xml(product, ranges))
    ok, message = layer.importNamedStyle(document)
    if not ok:
        log.warning("Could not apply the %s style to %s: %s", kind, layer.name(), message)
    layer.triggerRepaint()


def add_result_layers(
    result: JobResult,
    spec: JobSpec | None,
    group_name: str,
    project: QgsProject | None = None,
    add_embeddings: bool = False,
) -> list[QgsMapLayer]:
    """Add the outputs of a finished job as styled layers in a new group at the top of the layer tree.

    Main thread only. The full-dimension embeddings file is kept on disk but only added when
    ``add_embeddings`` is true (it has hundreds of bands and renders as noise).

    Args:
        result: the job's result (output kind -> path, styles).
        spec: the job's spec (provenance in the layers' abstract); ``None`` for workbench results.
        group_name: name of the new layer-tree group, e.g. "TerraMind LULC 10:42".
        project: target project; default ``QgsProject.instance()``.
        add_embeddings: also add the raw embeddings raster.

    Returns:
        The added layers, top of the group first.

    Raises:
        OutputError: an output file is missing or QGIS cannot open it.
    """
    project = project or QgsProject.instance()
    order = list(PRODUCTS)
    kinds = sorted(result.outputs, key=lambda k: order.index(k) if k in order else len(order))
    kinds = [k for k in kinds if k in PRODUCTS and (add_embeddings or PRODUCTS[k].on_map)]  # rasters only
    layers = [_open_output(kind, result.outputs[kind], result.styles, spec) for kind in kinds]
    group = project.layerTreeRoot().insertGroup(0, group_name)
    for layer in layers:
        project.addMapLayer(layer, False)
        group.addLayer(layer)
    return layers


def _open_output(kind: str, path: str, styles: dict[str, str], spec: JobSpec | None) -> QgsRasterLayer:
    if not os.path.exists(path):
        raise OutputError(tr("Output file '{0}' ({1}) does not exist.").format(path, kind))
    layer = QgsRasterLayer(path, layer_name(kind), "gdal")
    if not layer.isValid():
        raise OutputError(tr("QGIS cannot open the output file '{0}' ({1}).").format(path, kind))
    apply_style(layer, kind, styles.get(kind))
    if spec is None:  # embedding-workbench results: no model run
        return layer
    inputs = ", ".join(f"{i.label} ({i.modality})" for i in spec.inputs)
    if kind in PRODUCTS and PRODUCTS[kind].modality is None:  # backbone products
        abstract = tr("Patch embeddings of TerraMind {0} from {1}.").format(spec.model_size, inputs)
    else:
        abstract = tr(
            "Synthetic data generated by TerraMind {0} from {1}; seed {2}, {3} diffusion steps."
        ).format(spec.model_size, inputs, spec.seed, spec.timesteps)
    layer.setAbstract(abstract)
    return layer


def class_areas(path: str) -> list[str]:
    """The per-class area lines a fine-tuned model's class raster carries (band 1 tag ``AREAS``), or []."""
    from osgeo import gdal

    dataset = gdal.Open(path) if path and os.path.exists(path) else None
    if dataset is None:
        return []
    return (dataset.GetRasterBand(1).GetMetadataItem("AREAS") or "").splitlines()
