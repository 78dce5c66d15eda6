"""Hand the partial sums of the columns two neighbouring strips share from one strip to the next.

A strip's tiles reach a little into the next strip (tiles overlap). The left strip saves its unnormalised
weighted sums and weights of those columns row by row; the right strip adds them to its own before it
normalises, so every pixel is the weighted mean of all tiles covering it, as in a single pass. Rows go
through an anonymous temp file (deleted when closed, and by the OS if the process dies), so memory stays
bounded however tall the scene is.
"""

from __future__ import annotations

import tempfile

import numpy as np

from .errors import OutputError
from .i18n import tr


class SeamBuffer:
    """Rows of (C, width) sums and (width,) weights, written once top to bottom, then read back in order.

    Args:
        channels: C.
        width: number of shared columns.
        folder: where the temp file goes (``None``: the system temp folder).
    """

    def __init__(self, channels: int, width: int, folder: str | None = None):
        self.channels, self.width = channels, width
        self._row_bytes = (channels + 1) * width * 4
        self._saved = self._read = 0
        try:
            self._file = tempfile.TemporaryFile(prefix="terramind-seam-", dir=folder)
        except OSError as exc:
            raise OutputError(
                tr("Cannot create a temporary file in {0!r}: {1}.").format(folder, exc)
            ) from exc

    def save(self, row: int, sums: np.ndarray, weights: np.ndarray) -> None:
        """Append rows ``[row, row + n)``: (C, n, width) sums and (n, width) weights."""
        if row != self._saved:
            raise ValueError(f"seam rows must be saved in order: got {row}, expected {self._saved}")
        rows = np.concatenate([sums, weights[None]]).transpose(1, 0, 2)  # (n, C + 1, width)
        try:
            self._file.write(np.ascontiguousarray(rows, dtype=np.float32).tobytes())
        except OSError as exc:
            raise OutputError(
                tr("Writing a temporary file failed: {0}. Is the disk full?").format(exc)
            ) from exc
        self._saved += rows.shape[0]

    def add_to(self, row: int, sums: np.ndarray, weights: np.ndarray) -> None:
        """Add the saved rows ``[row, row + n)`` to (C, n, width) ``sums`` and (n, width) ``weights``."""
        n = weights.shape[0]
        if row != self._read or row + n > self._saved:
            raise ValueError(f"seam rows must be read in order: got {row}, next is {self._read}")
        if self._read == 0:
            self._file.seek(0)
        raw = np.frombuffer(self._file.read(n * self._row_bytes), dtype=np.float32)
        rows = raw.reshape(n, self.channels + 1, self.width)
        sums += rows[:, :-1].transpose(1, 0, 2)
        weights += rows[:, -1]
        self._read += n

    def close(self) -> None:
        """Delete the temp file (safe to call more than once)."""
        self._file.close()
