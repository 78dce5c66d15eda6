"""Finer patch embeddings by shifted-window inference (stride 8 or 4 instead of one vector per 16-px patch).

For a stride ``s`` the model runs ``(16 / s)**2`` times on the tile, shifted by every ``(dy, dx)`` in
``{0, s, ..., 16 - s}**2`` (the tile is read from a copy padded by reflection at its bottom and right).
Each token of a shifted run covers 16 x 16 pixels, i.e. ``(16 / s)**2`` output pixels of ``s`` x ``s``
input pixels; every output pixel gets the mean of the tokens that cover it. Inside a tile each output pixel
is covered once per shift, except the first ``16 / s - 1`` rows and columns, which shifted runs only
partly reach (tile overlap and blending cover them). Shifted copies of a batch go through the model together,
up to ``max_batch`` tiles per call (tiny runs faster in larger batches on a CPU).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # numpy is imported where arrays are made: core.jobs imports STRIDES from here cheaply
    import numpy as np

from .jobs import PATCH

#: Tiles per model call when the shifted copies of a batch run together (at least one batch).
SHIFT_BATCH = 16


def shifts(stride: int) -> Iterator[tuple[int, int]]:
    """Pixel shifts ``(dy, dx)`` of the runs, ``(0, 0)`` first."""
    steps = range(0, PATCH, stride)
    return ((dy, dx) for dy in steps for dx in steps)


def strided_embeddings(
    run: Callable[[dict[str, np.ndarray]], np.ndarray],
    batch: dict[str, np.ndarray],
    stride: int,
    max_batch: int = SHIFT_BATCH,
) -> np.ndarray:
    """Token features at ``stride``.

    Args:
        run: the model: ``{modality: (B, C, T, T)}`` tiles -> (B, D, T/16, T/16) tokens.
        batch: ``{modality: (B, C, T, T)}`` inputs, T a multiple of 16.
        stride: one of ``STRIDES``.
        max_batch: tiles per model call (at least the batch's B: shifts are never split).

    Returns:
        (B, D, T/stride, T/stride) float32: each output pixel's mean of the tokens covering it.
    """
    import numpy as np

    if stride == PATCH:
        return run(batch)
    b, _c, t, _ = next(iter(batch.values())).shape
    f = PATCH // stride  # output pixels per token side
    n = t // stride
    pad = ((0, 0), (0, 0), (0, PATCH), (0, PATCH))  # bottom and right: room for the shifts
    padded = {k: np.pad(v, pad, mode="reflect") for k, v in batch.items()}
    offsets = list(shifts(stride))
    group = max(1, max_batch // b)  # shifted copies per model call
    sums = counts = None
    for start in range(0, len(offsets), group):
        part = offsets[start : start + group]
        shifted = {
            k: np.concatenate([v[:, :, dy : dy + t, dx : dx + t] for dy, dx in part])
            for k, v in padded.items()
        }
        tokens = run(shifted)  # (len(part) * B, D, T/16, T/16), shift-major
        if sums is None:
            sums = np.zeros((b, tokens.shape[1], n + f, n + f), np.float32)
            counts = np.zeros((n + f, n + f), np.float32)
        for i, (dy, dx) in enumerate(part):
            cells = tokens[i * b : (i + 1) * b].repeat(f, axis=2).repeat(f, axis=3)  # cell (i, j) at shift 0
            oy, ox = dy // stride, dx // stride
            sums[:, :, oy : oy + n, ox : ox + n] += cells
            counts[oy : oy + n, ox : ox + n] += 1
    return sums[:, :, :n, :n] / counts[:n, :n]
