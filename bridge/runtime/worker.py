"""Run a job in a separate Python process, so that a crash or out-of-memory kill cannot take QGIS down.

``run_job_in_worker`` has the contract of ``core.pipeline.run_job`` (it is a ``JobTask`` runner): it
starts ``python -m terramind_qgis.core run --spec job.json --jsonl`` (``core/cli.py``), forwards the
progress events, terminates the process on cancel (SIGTERM, then a kill after a grace period), and
turns every way a worker can end into a ``JobResult`` or a ``TerraMindError``. This process starts the
run (``core.run_files.RunFiles``: the claim on the outputs, the journal); the worker joins it and
journals every file it creates, so on any failure, a crash included, exactly those files are removed.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import queue
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Callable

from ...core.errors import InputError, JobCancelled, OutputError, TerraMindError, WeightsError
from ...core.i18n import QT_TR_NOOP, tr
from ...core.jobs import CancelCheck, JobResult, JobSpec, ProgressCallback, job_label, validate_spec
from ...core.run_files import RunFiles
from .deps import NO_WINDOW, PACKAGE, runtime_interpreter, worker_env

log = logging.getLogger(__name__)

GRACE_SECONDS = 10.0  # how long a cancelled worker may take to clean up before it is killed
_ERRORS = {cls.__name__: cls for cls in (InputError, WeightsError, OutputError, TerraMindError)}
# Windows exit codes (NTSTATUS) of native crashes.
_WINDOWS_CRASHES = {
    0xC0000005: QT_TR_NOOP("an access violation"),
    0xC00000FD: QT_TR_NOOP("a stack overflow"),
    0xC0000409: QT_TR_NOOP("a fatal runtime error"),
    0xC0000017: QT_TR_NOOP("running out of memory"),
}


_SMALLER = QT_TR_NOOP(
    "Use a smaller batch size, tile size or model, or close other programs; QGIS itself is unaffected."
)


class WorkerError(TerraMindError):
    """The worker process could not start, crashed, was killed or lacks a package."""


def run_job_in_worker(
    spec: JobSpec,
    progress: ProgressCallback | None = None,
    is_cancelled: CancelCheck | None = None,
    python: str = "",
    extra_paths: Sequence[str] | None = None,
    runner: str | None = None,
    grace_seconds: float = GRACE_SECONDS,
    extra_args: Sequence[str] = (),
) -> JobResult:
    """Run ``spec`` in a child ``python`` and return its ``JobResult``.

    Args:
        spec: the job.
        progress: ``progress(fraction, message)``, called from this thread.
        is_cancelled: polled about ten times a second; ``True`` stops the worker.
        python: interpreter of the worker (QGIS's own, or a conda/venv one with torch).
        extra_paths: package folders appended to the worker's ``sys.path``; ``None``: the plugin's private
            folder when ``python`` is QGIS's own interpreter (``deps.runtime_interpreter``).
        runner: ``"module:function"`` run instead of ``core.pipeline.run_job`` (same signature).
        grace_seconds: time between SIGTERM and kill after a cancel.
        extra_args: more options of ``core run`` (e.g. ``--scheduler tcp://host:8786``).

    Raises:
        JobCancelled: cancelled; the run's outputs and temporary files are gone.
        InputError, WeightsError, OutputError, TerraMindError: raised by the job in the worker.
            OutputError also when another run is writing one of the outputs.
        WorkerError: the worker did not start, lacks a package, crashed or was killed (likely out of memory).
    """
    if not python:
        raise WorkerError(tr("No Python interpreter is set for the TerraMind worker process."))
    validate_spec(spec)  # before claiming anything next to the outputs
    with RunFiles.start(spec.outputs.values(), job_label(spec)) as files:  # failure: remove what it made
        folder = files.job_folder()
        os.makedirs(folder)
        spec_path = os.path.join(folder, "job.json")
        with open(spec_path, "w", encoding="utf-8") as f:
            f.write(spec.to_json())
        cmd = [python, "-m", f"{PACKAGE}.core", "run", "--spec", spec_path, "--jsonl"]
        cmd += ["--journal", files.journal]
        if extra_paths is None:
            extra_paths = runtime_interpreter(python)[1]
        for path in extra_paths:
            cmd += ["--site", str(path)]
        if runner:
            cmd += ["--runner", runner]
        cmd += list(extra_args)
        outcome = _Session(cmd, worker_env(python), progress, is_cancelled, grace_seconds).run()
        if outcome.result is not None and outcome.returncode == 0:
            return outcome.result
        raise outcome.error(python)


def worker_runner(python: str, extra_paths: Sequence[str] = ()) -> Callable[..., JobResult]:
    """A ``JobTask`` runner ``runner(spec, progress, is_cancelled)`` using ``run_job_in_worker``."""
    return functools.partial(run_job_in_worker, python=python, extra_paths=tuple(extra_paths))


def runner_from_settings() -> Callable[..., JobResult] | None:
    """The runner the user chose: ``None`` (in QGIS's process), a worker with the set Python, or either of
    them running the job on the Dask cluster of the settings (``cluster.cluster_runner``).

    The private package folder is passed on when the worker Python is QGIS's own.
    """
    from ..adapters.settings import WORKER_PYTHON
    from .cluster import cluster_runner

    on_cluster = cluster_runner()
    if on_cluster is not None:
        return on_cluster
    python, sites, is_worker = runtime_interpreter(WORKER_PYTHON.value())
    return worker_runner(python, sites) if is_worker else None


@dataclass
class _Outcome:
    """How a worker ended: its exit code, the result or error event, and its last stderr lines."""

    returncode: int
    cancelled: bool
    result: JobResult | None = None
    error_event: dict[str, Any] | None = None
    stderr_tail: list[str] = field(default_factory=list)

    def error(self, python: str) -> TerraMindError:
        """The exception that describes this failed run."""
        ev = self.error_event
        if self.cancelled or (ev is not None and ev.get("type") == "JobCancelled"):
            return JobCancelled(tr("The TerraMind run was cancelled; its partial outputs were removed."))
        if ev is not None:
            if ev.get("details"):
                log.info("Worker traceback:\n%s", ev["details"])
            kind, message = str(ev.get("type")), str(ev.get("message"))
            if kind in _ERRORS:
                return _ERRORS[kind](message)
            if kind == "MissingDependency":
                return WorkerError(message)
            if kind in ("MemoryError", "OutOfMemoryError"):
                return WorkerError(
                    tr("The TerraMind worker ran out of memory ({0}: {1}). {2}").format(
                        kind, message, tr(_SMALLER)
                    )
                )
            return WorkerError(tr("The TerraMind worker failed with {0}: {1}").format(kind, message))
        return WorkerError(self._crash_message(python))

    def _crash_message(self, python: str) -> str:
        tail = " | ".join(self.stderr_tail[-3:]) or tr("no output")
        log.warning(
            "TerraMind worker ended with code %s; last output:\n%s",
            self.returncode,
            "\n".join(self.stderr_tail),
        )
        rc = self.returncode
        if "No module named" in tail:  # no-i18n: Python's own message
            return tr(
                "The Python of the TerraMind worker ({0}) cannot import a required package: {1}. "
                "Set up the runtime (Raster > TerraMind > Set Up Runtime) or choose another Python."
            ).format(python, tail)
        if rc == -getattr(signal, "SIGKILL", 9) or rc == 137:
            return tr(
                "The TerraMind worker was killed (SIGKILL), most likely by the operating system because it "
                "ran out of memory. {0}"
            ).format(tr(_SMALLER))
        if rc < 0:
            name = _signal_name(-rc)
            return tr(
                "The TerraMind worker crashed ({0}); QGIS itself is unaffected. Last output: {1}"
            ).format(name, tail)
        if (rc & 0xFFFFFFFF) in _WINDOWS_CRASHES:
            what = tr(_WINDOWS_CRASHES[rc & 0xFFFFFFFF])
            code = rc & 0xFFFFFFFF
            return tr(
                "The TerraMind worker stopped because of {0} (code 0x{1:08X}). Last output: {2}"
            ).format(what, code, tail)
        return tr("The TerraMind worker stopped with exit code {0} and no result. Last output: {1}").format(
            rc, tail
        )


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class _Session:
    """One worker process: start, pump events, stop on cancel."""

    def __init__(
        self,
        cmd: list[str],
        env: dict[str, str],
        progress: ProgressCallback | None,
        is_cancelled: CancelCheck | None,
        grace_seconds: float,
    ) -> None:
        self.cmd, self.env, self.grace = cmd, env, grace_seconds
        self.progress = progress or (lambda fraction, message: None)
        self.is_cancelled = is_cancelled or (lambda: False)
        self.events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stderr: deque[str] = deque(maxlen=200)

    def run(self) -> _Outcome:
        log.info("Starting TerraMind worker: %s", " ".join(self.cmd))
        try:
            proc = subprocess.Popen(
                self.cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=self.env,
                text=True,
                encoding="utf-8",
                errors="replace",
                creationflags=NO_WINDOW,
            )
        except OSError as exc:
            raise WorkerError(
                tr(
                    "Cannot start the TerraMind worker with Python {0}: {1}. "
                    "Check the worker Python in the TerraMind set-up dialog."
                ).format(self.cmd[0], exc)
            ) from exc
        readers = [
            threading.Thread(target=self._read_stdout, args=(proc,), daemon=True),
            threading.Thread(target=self._read_stderr, args=(proc,), daemon=True),
        ]
        for t in readers:
            t.start()
        try:
            outcome = self._pump(proc)
        finally:
            if proc.poll() is None:  # this thread was interrupted: never leave a worker behind
                proc.kill()
                proc.wait()
        for t in readers:
            t.join(timeout=5)
        outcome.stderr_tail = list(self.stderr)
        return outcome

    def _read_stdout(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            line = line.strip()
            if not line:
                continue
            try:
                event = json.loads(line)
            except ValueError:
                event = None
            if isinstance(event, dict):
                self.events.put(event)
            else:
                log.debug("worker stdout: %s", line)
        self.events.put(None)

    def _read_stderr(self, proc: subprocess.Popen) -> None:
        for line in proc.stderr:
            self.stderr.append(line.rstrip())
            log.debug("worker: %s", line.rstrip())

    def _pump(self, proc: subprocess.Popen) -> _Outcome:
        result: JobResult | None = None
        error: dict[str, Any] | None = None
        stop_sent: float | None = None
        eof = False
        while not eof or proc.poll() is None:
            if stop_sent is None and self.is_cancelled():
                log.info("Cancelling the TerraMind worker (pid %s)", proc.pid)
                proc.terminate()
                stop_sent = time.monotonic()
            elif stop_sent is not None and proc.poll() is None and time.monotonic() - stop_sent > self.grace:
                log.warning("The TerraMind worker did not stop within %.0f s: killing it", self.grace)
                proc.kill()
            try:
                event = self.events.get(timeout=0.1)
            except queue.Empty:
                continue
            if event is None:
                eof = True
            elif event.get("event") == "progress":
                self.progress(float(event.get("fraction", 0.0)), str(event.get("message", "")))
            elif event.get("event") == "result":
                result = JobResult(
                    outputs=dict(event["outputs"]),
                    warnings=tuple(event.get("warnings", ())),
                    styles=dict(event.get("styles", {})),
                )
            elif event.get("event") == "error":
                error = event
        return _Outcome(proc.wait(), stop_sent is not None, result, error)
