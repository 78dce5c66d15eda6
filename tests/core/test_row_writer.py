"""Finished rows: statistics in the pipeline's thread (between model batches), writes in the writer thread."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from terramind_qgis.core.outputs import Sink
from terramind_qgis.core.tile_pass import _RowWriter


class _Recorder(Sink):
    def __init__(self):
        super().__init__(files=None)
        self.seen = []

    def summarize(self, values, valid):
        self.seen.append(("summarize", threading.current_thread().name, values.shape, int(valid.sum())))

    def write(self, row, col, values, valid):
        self.seen.append(("write", threading.current_thread().name, row, col, int(valid.sum()), values.max()))


def test_row_statistics_are_taken_in_the_callers_thread_and_rows_written_in_the_writer_thread():
    sink = _Recorder()
    values = np.ones((3, 2, 4), np.float32)  # two channels and the validity channel
    values[-1, 0, :3] = 0.0  # three pixels the tiles marked invalid
    weight = np.ones((2, 4), np.float32)
    weight[1, 3] = 0.0  # one pixel no tile covered
    with ThreadPoolExecutor(1, "terramind-write") as pool:
        writer = _RowWriter(pool, [sink])
        writer.submit(5, 7, values, weight)
        values[:] = -1.0  # the accumulator reuses its buffer at once: the queued row must be a copy
        writer.wait()
    caller = threading.current_thread().name
    assert sink.seen == [("summarize", caller, (2, 2, 4), 4), ("write", "terramind-write_0", 5, 7, 4, 1.0)]
