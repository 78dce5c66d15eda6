"""Small real jobs with ``run_job``'s signature, run by the worker-protocol tests in a child process.

They are loaded with ``--runner test_cli_jobs:<name>`` (this folder passed with ``--site``), so the
protocol, the cancel path and the crash handling can be tested with jobs whose timing the tests control.
``copy_job`` copies the first input raster band by band to the first output through a temp file of the
run (``RunFiles``, as the pipeline writes), reporting its pid and the temp file in each progress message
and sleeping ``TERRAMIND_TEST_JOB_DELAY`` seconds per band. This module holds no tests.
"""

from __future__ import annotations

import os
import signal
import sys
import time

import rasterio

from terramind_qgis.core.errors import InputError, JobCancelled
from terramind_qgis.core.jobs import JobResult
from terramind_qgis.core.run_files import RunFiles


def copy_job(spec, progress=None, is_cancelled=None, files=None):
    """Copy ``spec.inputs[0]`` to the first output, one band per step."""
    if files is None:
        with RunFiles.start(spec.outputs.values()) as own:
            return copy_job(spec, progress, is_cancelled, own)
    out = next(iter(spec.outputs.values()))
    delay = float(os.environ.get("TERRAMIND_TEST_JOB_DELAY", "0"))
    try:
        src = rasterio.open(spec.inputs[0].path)
    except rasterio.errors.RasterioIOError as exc:
        raise InputError(f"Cannot open input {spec.inputs[0].label}: {exc}") from exc
    part = files.temp_path(out)
    try:
        with src, rasterio.open(part, "w", **src.profile) as dst:
            for band in range(1, src.count + 1):
                if is_cancelled is not None and is_cancelled():
                    raise JobCancelled("cancelled")
                dst.write(src.read(band), band)
                if progress is not None:
                    progress(band / src.count, f"band {band}/{src.count} temp {part} pid {os.getpid()}")
                time.sleep(delay)
        files.commit(part, out)
    except BaseException:
        files.discard()
        raise
    return JobResult(outputs={"copy": out}, warnings=("copied",))


def noisy_job(spec, progress=None, is_cancelled=None, files=None):
    """``copy_job`` that also prints to stdout from Python and from the file descriptor."""
    print("python print on stdout")
    os.write(1, b"raw write on fd 1\n")
    sys.stdout.flush()
    return copy_job(spec, progress, is_cancelled, files)


def stubborn_job(spec, progress=None, is_cancelled=None, files=None):
    """Writes its temp file, ignores SIGTERM and never checks for cancel: only a kill stops it."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    part = files.temp_path(next(iter(spec.outputs.values())))
    with open(part, "wb") as f:
        f.write(b"partial")
    for _ in range(600):
        if progress is not None:
            progress(0.5, f"stuck pid {os.getpid()}")
        time.sleep(0.1)
    raise AssertionError("stubborn_job was not killed")


def torch_job(spec, progress=None, is_cancelled=None, files=None):
    """Needs torch, like the real pipeline."""
    import torch

    return JobResult(outputs={"torch": torch.__version__})


def memory_job(spec, progress=None, is_cancelled=None, files=None):
    """Fails like an allocation that does not fit: MemoryError."""
    raise MemoryError("cannot allocate 84.0 GiB for the scene")


def crash_job(spec, progress=None, is_cancelled=None, files=None):
    """A native crash (SIGABRT) after one progress event."""
    if progress is not None:
        progress(0.1, "about to crash")
    os.abort()
