"""``embedding_similarity``: cosine similarity of every pixel's vector to the mean vector of some seeds."""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..i18n import tr
from ..jobs import CancelCheck, JobResult, ProgressCallback
from ..products import PRODUCTS
from .embedding_raster import EmbeddingRaster, cancel_checker, open_embeddings
from .geometry_pixels import Features, pixels_of_features, read_pixel_vectors
from .outputs import OutputSet


def cosine_similarity(vectors: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Cosine similarity in [-1, 1] of (..., D) vectors to one (D,) vector; 0 where a vector is all zeros."""
    dot = vectors @ target.astype(vectors.dtype)
    rows = "...d,...d->..."  # no-i18n: einsum subscripts (row-wise dot products)
    norms = np.sqrt(np.einsum(rows, vectors, vectors)) * np.float32(np.linalg.norm(target))
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = np.where(norms > 0, dot / norms, 0.0)
    return np.clip(sim, -1.0, 1.0).astype(np.float32)


def mean_vector(raster: EmbeddingRaster, features: Features, parameter: str) -> np.ndarray:
    """Mean (float64) of the vectors of every valid pixel under the features (points: the pixel below).

    Raises:
        InputError: no feature lies inside the raster, or every covered pixel is nodata.
    """
    rows, cols, _owner = pixels_of_features(raster.grid, features.geometries)
    if not len(rows):
        raise InputError(
            tr(
                "{0}: none of the {1} feature(s) of '{2}' lies inside the "
                "embedding raster '{3}'. Draw them over the raster's extent."
            ).format(parameter, len(features.geometries), features.label, raster.label)
        )
    vectors, valid = read_pixel_vectors(raster, rows, cols)
    if not valid.any():
        raise InputError(
            tr(
                "{0}: every pixel under the features of '{1}' is nodata in "
                "'{2}'. Place them where the embedding raster has values."
            ).format(parameter, features.label, raster.label)
        )
    return vectors[valid].astype(np.float64).mean(axis=0)


def similarity_map(
    input_path: str,
    input_label: str,
    seeds: Features,
    output: str,
    negatives: Features | None = None,
    progress: ProgressCallback = lambda f, m: None,
    is_cancelled: CancelCheck = lambda: False,
) -> JobResult:
    """Write the similarity of each pixel to the seeds (minus that to the negatives, when given).

    Args:
        input_path, input_label: the embedding raster and its name for messages.
        seeds, negatives: point or polygon features in the raster's CRS.
        output: float32 GeoTIFF on the raster's grid: cosine similarity in [-1, 1] ([-2, 2] with
            negatives), NaN where the input is nodata.

    Returns:
        ``outputs["similarity"]`` and its style.
    """
    check = cancel_checker(is_cancelled)
    with open_embeddings(input_path, input_label) as raster:
        target = mean_vector(raster, seeds, "SEEDS")
        away = mean_vector(raster, negatives, "NEGATIVES") if negatives and negatives.geometries else None
        tags = {"TERRAMIND_WORKBENCH": "similarity", "TERRAMIND_SOURCE": input_label}
        with OutputSet(
            raster.grid, [output], [], [input_path], tr("similarity on {0}").format(input_label), tags
        ) as outputs:
            out = outputs.raster(PRODUCTS["similarity"], output)
            boxes = list(raster.windows(raster.strip_width(out.writer.block_w)))
            for i, box in enumerate(boxes):
                check()
                vectors, valid = raster.read(box)
                sim = cosine_similarity(vectors, target)
                if away is not None:
                    sim -= cosine_similarity(vectors, away)
                sim[~valid] = np.nan
                out.write(box.row, box.col, sim)
                progress((i + 1) / len(boxes), tr("Similarity"))
            return outputs.commit()
