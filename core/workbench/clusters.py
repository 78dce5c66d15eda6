"""``embedding_clusters``: k-means classes of an embedding raster, with an automatic choice of K.

K-means is fitted on a uniform random sample of valid pixels (``SAMPLE_SIZE``), then every pixel gets its
nearest centre in a streaming pass. Classes are numbered 1..K by decreasing size in the sample, so the same
seed gives the same file. K = 0 tries every K in ``AUTO_K`` and keeps the one with the best silhouette
score (computed on a sub-sample; higher = tighter, better separated clusters).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InputError
from ..i18n import tr
from ..jobs import CancelCheck, JobResult, ProgressCallback
from .embedding_raster import cancel_checker, open_embeddings
from .outputs import OutputSet, with_classes
from .report_files import write_json

AUTO_K = range(2, 13)
SAMPLE_SIZE = 20000
SILHOUETTE_SAMPLE = 4000
N_INIT = 3


def fit_kmeans(sample: np.ndarray, k: int, seed: int):
    """``KMeans(k, n_init=N_INIT, random_state=seed)`` fitted on the (N, D) sample."""
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=N_INIT, random_state=seed).fit(sample)


def choose_k(sample: np.ndarray, seed: int, check_cancel=lambda: None) -> tuple[int, dict[str, Any]]:
    """The K of ``AUTO_K`` with the highest silhouette score, and every K's scores."""
    from sklearn.metrics import silhouette_score

    scores = []
    for k in AUTO_K:
        check_cancel()
        if k >= len(sample):
            break
        model = fit_kmeans(sample, k, seed)
        if len(np.unique(model.labels_)) < 2:
            break
        sil = silhouette_score(
            sample, model.labels_, sample_size=min(SILHOUETTE_SAMPLE, len(sample)), random_state=seed
        )
        scores.append({"k": k, "silhouette": float(sil), "sample_inertia": float(model.inertia_)})
    if not scores:
        raise InputError(tr("The embedding raster has too few distinct valid pixels to form 2 clusters."))
    best = max(scores, key=lambda s: s["silhouette"])
    reason = tr(
        "K={0} has the highest silhouette score ({1:.3f}) of K={2}..{3}, fitted on {4} sampled pixels."
    ).format(best["k"], best["silhouette"], scores[0]["k"], scores[-1]["k"], len(sample))
    return best["k"], {"scores": scores, "reason": reason}


def ordered_centers(model) -> np.ndarray:
    """Cluster centres sorted by decreasing number of sample pixels (ties: original order)."""
    counts = np.bincount(model.labels_, minlength=model.n_clusters)
    order = np.argsort(-counts, kind="stable")
    return model.cluster_centers_[order]


def nearest_center(vectors: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(index, squared distance)`` of the nearest of (K, D) centres to each (N, D) vector."""
    v = vectors.astype(np.float64)
    d2 = (v * v).sum(axis=1)[:, None] - 2.0 * v @ centers.T + (centers * centers).sum(axis=1)[None, :]
    index = d2.argmin(axis=1)
    return index, np.maximum(d2[np.arange(len(v)), index], 0.0)


def cluster_map(
    input_path: str,
    input_label: str,
    output: str,
    clusters: int = 0,
    seed: int = 0,
    report: str | None = None,
    progress: ProgressCallback = lambda f, m: None,
    is_cancelled: CancelCheck = lambda: False,
    sample_size: int = SAMPLE_SIZE,
) -> JobResult:
    """Write a paletted class raster (1..K, 0 = nodata) and optionally a JSON report.

    Args:
        clusters: K, or 0 to choose K in 2..12 automatically.
        seed: seeds the pixel sample, the k-means initialisation and the silhouette sub-sample.
        report: JSON file: K, total inertia over every valid pixel, cluster sizes in pixels, and the
            automatic choice's scores.
        sample_size: pixels sampled to fit k-means.
    """
    if clusters != 0 and not 2 <= clusters <= 255:
        raise InputError(tr("CLUSTERS must be 0 (automatic) or between 2 and 255, got {0}.").format(clusters))
    check = cancel_checker(is_cancelled)
    with open_embeddings(input_path, input_label) as raster:
        progress(0.0, tr("Sampling pixels"))
        sample = raster.sample(sample_size, seed, check).astype(np.float64)
        k = clusters
        if len(sample) < max(k, 2) + 1:
            raise InputError(
                tr(
                    "Embedding raster '{0}' has only {1} valid pixel(s); "
                    "clustering needs more than {2}. Check its nodata value."
                ).format(input_label, len(sample), max(k, 2))
            )
        choice = None
        progress(0.05, tr("Fitting k-means"))
        if k == 0:
            k, choice = choose_k(sample, seed, check)
        centers = ordered_centers(fit_kmeans(sample, k, seed))
        product = with_classes("clusters", [(i + 1, f"cluster {i + 1}") for i in range(k)])
        tags = {"TERRAMIND_WORKBENCH": "clusters", "TERRAMIND_SOURCE": input_label}
        with OutputSet(
            raster.grid,
            [output],
            [report] if report else [],
            [input_path],
            tr("clusters of {0}").format(input_label),
            tags,
        ) as outputs:
            out = outputs.raster(product, output)
            sizes = np.zeros(k, np.int64)
            inertia = 0.0
            boxes = list(raster.windows(raster.strip_width(out.writer.block_w)))
            for i, box in enumerate(boxes):
                check()
                vectors, valid = raster.read(box)
                labels = np.zeros(valid.shape, out.dtype)
                index, d2 = nearest_center(vectors[valid], centers)
                labels[valid] = index + 1
                sizes += np.bincount(index, minlength=k)
                inertia += float(d2.sum())
                out.write(box.row, box.col, labels)
                progress(0.5 + 0.5 * (i + 1) / len(boxes), tr("Assigning clusters"))
            if report:
                data = {
                    "k": k,
                    "seed": seed,
                    "inertia": inertia,
                    "sizes": {str(c): int(n) for c, n in zip(range(1, k + 1), sizes)},
                    "sample_size": len(sample),
                    "automatic": choice,
                    "source": input_label,
                }
                outputs.file("report", report, lambda tmp: write_json(tmp, data))
            return outputs.commit()
