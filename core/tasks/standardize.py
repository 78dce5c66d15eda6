"""Input standardization of fine-tuned models: ``(raw - mean[c]) / std[c]`` in float64, then float32.

Fine-tunes carry their own statistics (a TerraTorch config's ``data`` means/stds, e.g. the ImpactMesh
dataset's); this is how TerraTorch's data modules apply them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import InputError
from ..i18n import tr

__all__ = ["standardize_array"]


def standardize_array(
    x: np.ndarray, mean: Sequence[float], std: Sequence[float], axis: int = 0
) -> np.ndarray:
    """Standardize ``x`` along its channel ``axis`` with per-channel ``mean``/``std``.

    Returns:
        float32 array of ``x``'s shape.

    Raises:
        InputError: channel count and statistics differ, or a std is not positive.
    """
    m = np.asarray(mean, dtype=np.float64)
    s = np.asarray(std, dtype=np.float64)
    if m.shape != s.shape or m.ndim != 1 or x.shape[axis] != m.size:
        raise InputError(
            tr("{0} channels but {1} means and {2} stds; give one mean and std per band.").format(
                x.shape[axis], m.size, s.size
            )
        )
    if (s <= 0).any():
        raise InputError(tr("Standard deviations must be positive, got {0}.").format(list(std)))
    shape = [1] * x.ndim
    shape[axis] = m.size
    return ((x.astype(np.float64) - m.reshape(shape)) / s.reshape(shape)).astype(np.float32)
