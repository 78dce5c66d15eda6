"""Interactive exploration of an embedding raster held in memory: similarity to a clicked pixel, and a
classifier refitted after every labelled click, with the least certain pixel as the next one to label.

The whole raster is read once (``Explorer.load``, refused above ``MAX_BYTES``); every click then costs one
matrix-vector product (similarity) or one fit on the labelled pixels plus one prediction (classes). The
results are previews: ``write_preview`` writes them as small GeoTIFFs with the products' styles, and the
dock saves final outputs with the same functions as the Processing algorithms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from ..grid import Grid
from ..i18n import tr
from ..jobs import CancelCheck
from ..products import Product
from ..run_files import RunFiles, style_path
from ..styles import style_xml
from .classify import make_estimator
from .embedding_raster import cancel_checker, open_embeddings
from .geometry_pixels import Features

#: Largest embedding raster (float32 vectors) the explorer keeps in memory.
MAX_BYTES = 2 * 2**30
#: Label of a click the user could not name: kept out of training and of the least-certain search.
UNKNOWN = ""
#: Estimator refitted after each click (fast, with calibrated probabilities for 'least certain').
METHOD = "logistic"


@dataclass
class Explorer:
    """An embedding raster in memory and the user's labelled clicks.

    Attributes:
        path, label: the raster file and its layer name.
        grid: its grid.
        model: the model that made the embeddings (``TERRAMIND_MODEL`` tag; "" if unknown).
        unit: (N, D) float32 unit vectors of the valid pixels (row-major), for cosine similarity.
        vectors: (N, D) float32 vectors of the valid pixels.
        index: (H, W) int64 row of ``vectors`` per pixel, -1 where nodata.
        labels: (row, col) -> class name (``UNKNOWN`` for "don't know").
    """

    path: str
    label: str
    grid: Grid
    model: str
    vectors: np.ndarray
    unit: np.ndarray
    index: np.ndarray
    labels: dict[tuple[int, int], str] = field(default_factory=dict)
    _fitted: tuple[object, list[str]] | None = None

    @classmethod
    def load(cls, path: str, label: str, is_cancelled: CancelCheck = lambda: False) -> Explorer:
        """Read the whole raster (window by window).

        Raises:
            InputError: unreadable, not an embedding raster, too large for memory, or no valid pixel.
        """
        check = cancel_checker(is_cancelled)
        with open_embeddings(path, label) as raster:
            g = raster.grid
            need = g.width * g.height * raster.features * 4
            if need > MAX_BYTES:
                raise InputError(
                    tr(
                        "Embedding raster '{0}' needs {1:.1f} GiB in memory to "
                        "explore (limit {2:.0f} GiB). Explore a smaller area, or use "
                        "the Embedding workbench algorithms, which stream any size."
                    ).format(label, need / 2**30, MAX_BYTES / 2**30)
                )
            data = np.zeros((g.height, g.width, raster.features), np.float32)
            valid = np.zeros((g.height, g.width), bool)
            for box in raster.windows(raster.strip_width(16)):
                check()
                v, ok = raster.read(box)
                data[box.row : box.row + box.height, box.col : box.col + box.width] = v
                valid[box.row : box.row + box.height, box.col : box.col + box.width] = ok
            model = raster.model
        if not valid.any():
            raise InputError(
                tr("Embedding raster '{0}' has no valid pixel (check its nodata value).").format(label)
            )
        make_estimator(METHOD, {})  # import scikit-learn here, in the loading task, not on the first click
        index = np.full(valid.shape, -1, np.int64)
        index[valid] = np.arange(int(valid.sum()))
        vectors = data[valid]
        del data
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        return cls(path, label, g, model, vectors, unit, index)

    # ----- pixels ------------------------------------------------------------------------------------------
    def pixel_at(self, x: float, y: float) -> tuple[int, int] | None:
        """``(row, col)`` of the valid pixel under map coordinates in the raster's CRS, else ``None``."""
        col, row = ~self.grid.transform * (x, y)
        r, c = int(np.floor(row)), int(np.floor(col))
        if 0 <= r < self.grid.height and 0 <= c < self.grid.width and self.index[r, c] >= 0:
            return r, c
        return None

    def centre(self, row: int, col: int) -> tuple[float, float]:
        """Map coordinates of a pixel's centre."""
        return self.grid.transform * (col + 0.5, row + 0.5)

    def _to_map(self, values: np.ndarray, fill: float, dtype) -> np.ndarray:
        out = np.full(self.index.shape, fill, dtype)
        out[self.index >= 0] = values
        return out

    # ----- similarity --------------------------------------------------------------------------------------
    def similarity(self, pixels: list[tuple[int, int]]) -> np.ndarray:
        """(H, W) float32 cosine similarity to the mean vector of ``pixels`` (NaN = nodata), as
        ``terramind:embedding_similarity`` computes it."""
        target = self.vectors[[self.index[r, c] for r, c in pixels]].astype(np.float64).mean(axis=0)
        norm = np.linalg.norm(target)
        sim = self.unit @ (target / norm).astype(np.float32) if norm > 0 else np.zeros(len(self.unit))
        return self._to_map(np.clip(sim, -1, 1), np.nan, np.float32)

    # ----- labelling ---------------------------------------------------------------------------------------
    def set_label(self, row: int, col: int, name: str) -> None:
        """Label a pixel (``UNKNOWN``: the user does not know; the label is not used for training)."""
        self.labels[(row, col)] = name
        self._fitted = None

    def classes(self) -> list[str]:
        """Class names of the labelled pixels, sorted (the order of the class values 1..N)."""
        return sorted({n for n in self.labels.values() if n != UNKNOWN})

    def refit(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Fit on the labelled pixels; ``(classes, confidence)`` maps: (H, W) uint8 class values 1..N in
        ``classes()`` order (0 = nodata) and float32 probability of that class; ``None`` below two classes."""
        names = self.classes()
        if len(names) < 2:
            self._fitted = None
            return None
        pixels = [(p, n) for p, n in self.labels.items() if n != UNKNOWN]
        x = self.vectors[[self.index[r, c] for (r, c), _n in pixels]].astype(np.float64)
        y = np.array([names.index(n) for _p, n in pixels])
        model = make_estimator(METHOD, {"max_iter": 1000}).fit(x, y)
        self._fitted = (model, names)
        proba = model.predict_proba(self.vectors)
        classes = self._to_map(proba.argmax(axis=1) + 1, 0, np.uint8)
        confidence = self._to_map(proba.max(axis=1), np.nan, np.float32)
        return classes, confidence

    def least_certain(self, confidence: np.ndarray) -> tuple[int, int] | None:
        """The unlabelled valid pixel whose chosen class has the lowest probability (``None`` if none)."""
        c = np.where(np.isfinite(confidence), confidence, np.inf)
        for r, col in self.labels:
            c[r, col] = np.inf
        flat = int(np.argmin(c))
        r, col = divmod(flat, c.shape[1])
        return (r, col) if np.isfinite(c[r, col]) else None

    def training_features(self) -> Features:
        """The labelled clicks as training points (pixel centres) for ``classify_map``."""
        pixels = [(p, n) for p, n in self.labels.items() if n != UNKNOWN]
        geometries = [{"type": "Point", "coordinates": self.centre(r, c)} for (r, c), _n in pixels]
        return Features(tr("labelled clicks"), geometries, [n for _p, n in pixels])


def write_preview(path: str, values: np.ndarray, grid: Grid, product: Product) -> str:
    """Write a (H, W) preview raster of ``product`` with its style (a scratch file of the dock, no output)."""
    import rasterio

    nodata = product.nodata if product.nodata is not None else float("nan")
    profile = dict(
        driver="GTiff",
        width=grid.width,
        height=grid.height,
        count=1,
        dtype=values.dtype.name,
        crs=grid.crs,
        transform=grid.transform,
        nodata=nodata,
    )
    finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values
    band_range = [(float(finite.min()), float(finite.max()))] if finite.size else []
    with RunFiles.start([path], label=tr("Explore preview")) as run:
        tmp = run.temp_path(path)
        with rasterio.open(tmp, "w", **profile) as dst:
            dst.write(values[None])
        run.commit(tmp, path)
        run.write_text(style_path(path), style_xml(product, band_range))
    return path
