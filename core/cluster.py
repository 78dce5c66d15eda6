"""Run a job's model on a Dask cluster; the outputs equal those of the desktop run.

The client (this process) plans the job and owns the outputs, exactly as ``pipeline.execute_job`` does on
the desktop. Only the model work moves: every batch of tiles the desktop run would predict becomes one Dask
task, which reads its tiles from the inputs (a path every worker can read) and returns the model outputs.
The client blends them in the desktop's order with the same ``TilePass`` code and writes them through the
same sinks, so files, grid, tags and values are the same (bit-identical when the workers use the same CPU
kind and torch thread count as the desktop run). Each worker builds the model once and keeps it.

Faults: tasks are pure, so when a worker dies the scheduler runs its tasks again elsewhere (and the nanny
restarts it). A cancel releases the job's tasks, stops diffusion steps on the workers and removes the
temp outputs; a scheduler that cannot be reached fails within ``CONNECT_TIMEOUT`` seconds.

dask and distributed are optional: they are imported only here, inside the functions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass
from typing import Any, Callable

from .device import BatchBackoff
from .errors import JobCancelled, TerraMindError
from .grid import Box, Grid
from .i18n import tr
from .jobs import CancelCheck, JobResult, JobSpec, ProgressCallback
from .outputs import Sink
from .predictor import Predictor, PredictorFactory
from .raster_io import InputReader
from .run_files import RunFiles
from .tile_pass import (
    TileLayout,
    TileOutput,
    TilePass,
    check_cancel,
    predict_tiles,
    tile_outputs,
)
from .tile_reader import TileReader

log = logging.getLogger(__name__)

#: Seconds to wait for a scheduler before giving up.
CONNECT_TIMEOUT = 5.0
#: How often the client checks for a cancel while it waits for a task.
POLL_SECONDS = 0.2


class ClusterError(TerraMindError):
    """The scheduler cannot be reached, or the cluster lost the job's tasks."""


def require_dask() -> None:
    """Raise ``ImportError`` with how to install them if dask or distributed is missing."""
    try:
        import distributed  # noqa: F401 (imports dask)
    except ImportError as exc:
        hint = tr(
            "Running jobs on a Dask cluster needs the Python packages 'dask' and 'distributed' in the Python "
            "that runs the jobs (and on every worker): python -m pip install dask distributed"
        )
        raise ImportError(f"{hint} ({exc}).", name=exc.name) from exc


def connect(address: str, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A ``distributed.Client`` of the scheduler at ``address`` (e.g. ``tcp://host:8786``).

    Raises:
        ClusterError: no scheduler answered within ``timeout`` seconds, or the address is invalid.
    """
    require_dask()
    from distributed import Client

    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ClusterError(
            tr(
                "Cannot reach the Dask scheduler at {0!r} within {1:g} s "
                "({2}). Check the address (tcp://host:8786), that the "
                "scheduler is running and that this computer can reach it."
            ).format(address, timeout, exc)
        ) from exc


@contextlib.contextmanager
def cluster_client(
    scheduler: str | None = None, local_workers: int | None = None, timeout: float = CONNECT_TIMEOUT
) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler``, or of a new ``LocalCluster`` of ``local_workers``
    single-threaded worker processes (closed on exit)."""
    if (scheduler is None) == (local_workers is None):
        raise ValueError("give either a scheduler address or a number of local workers")
    if scheduler is not None:
        client = connect(scheduler, timeout)
        try:
            yield client
        finally:
            client.close()
        return
    require_dask()
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=local_workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client


def describe_cluster(client: Any) -> dict[str, Any]:
    """``{"address", "workers", "threads", "memory_bytes"}`` of the cluster behind ``client``."""
    workers = client.scheduler_info(n_workers=-1)["workers"]
    return {
        "address": client.scheduler.address,
        "workers": len(workers),
        "threads": sum(w["nthreads"] for w in workers.values()),
        "memory_bytes": sum(w.get("memory_limit") or 0 for w in workers.values()),
    }


def check_scheduler(address: str, timeout: float = CONNECT_TIMEOUT) -> dict[str, Any]:
    """Connect to ``address`` and describe the cluster (``describe_cluster``); raises ``ClusterError``."""
    client = connect(address, timeout)
    try:
        return describe_cluster(client)
    finally:
        client.close()


def run_on_cluster(
    spec: JobSpec,
    progress: ProgressCallback | None = None,
    is_cancelled: CancelCheck | None = None,
    scheduler: str | None = None,
    local_workers: int | None = None,
    worker_threads: int | None = None,
    timeout: float = CONNECT_TIMEOUT,
    files: RunFiles | None = None,
) -> JobResult:
    """``pipeline.run_job`` on the scheduler at ``scheduler`` or on a local cluster of ``local_workers``.

    Args:
        worker_threads: torch threads per worker while it runs a task (``None``: one per CPU of the worker,
            as on the desktop; a local cluster gets the CPU count shared among its workers).
        timeout: seconds to wait for the scheduler.
        files: as for ``run_job`` (a run another process started).
    """
    from .pipeline import run_job

    if local_workers is not None and worker_threads is None:
        worker_threads = max(1, (os.cpu_count() or 1) // local_workers)
    with cluster_client(scheduler, local_workers, timeout) as client:
        if progress is not None:
            info = describe_cluster(client)
            progress(
                0.0,
                tr("Dask cluster {0}: {1} workers, {2} threads").format(
                    info["address"], info["workers"], info["threads"]
                ),
            )
        return run_job(
            spec, progress, is_cancelled, files=files, executor=DaskExecutor(client, worker_threads)
        )


@dataclass
class RemotePredictor:
    """The description of a model that lives on the workers, and what a task needs to build it there."""

    out_channels: int
    out_scale: int
    provenance: dict[str, str]
    factory: PredictorFactory
    spec_json: str
    token: str

    def __call__(self, *args, **kwargs) -> Any:
        raise TypeError("the model of a cluster job runs on the workers")


class DaskExecutor:
    """``executor.Executor`` running the model on the workers of ``client`` (see module docstring).

    Args:
        client: a connected ``distributed.Client``.
        worker_threads: torch threads per worker during a task (``None``: one per CPU the worker may use,
            as a desktop job).
        max_in_flight: tasks submitted ahead of the one being blended (``None``: twice the cluster's
            threads, at least 2); bounds the client's and the workers' memory.
    """

    def __init__(self, client: Any, worker_threads: int | None = None, max_in_flight: int | None = None):
        self.client, self.worker_threads, self.max_in_flight = client, worker_threads, max_in_flight

    def predictor(
        self,
        factory: PredictorFactory,
        spec: JobSpec,
        modalities: Sequence[str],
        progress: ProgressCallback | None,
    ) -> Predictor:
        import cloudpickle

        spec_json = spec.to_json()
        token = hashlib.sha256(cloudpickle.dumps(factory) + _model_key(spec, modalities).encode()).hexdigest()
        if progress is not None:
            progress(0.0, tr("Loading the model on a Dask worker"))
        future = self.client.submit(
            describe_model,
            factory,
            spec_json,
            token,
            self.worker_threads,
            key=f"terramind-model-{uuid.uuid4()}",
        )
        channels, scale, provenance = _result(self.client, future, lambda: False)
        return RemotePredictor(channels, scale, provenance, factory, spec_json, token)

    def tile_pass(
        self,
        spec: JobSpec,
        grid: Grid,
        layout: TileLayout,
        readers: Sequence[InputReader],
        modalities: Sequence[str],
        predictor: Predictor,
        sinks: Sequence[Sink],
        temp_dir: str | None = None,
    ) -> TilePass:
        limit = self.max_in_flight or max(2, 2 * sum(self.client.nthreads().values()))
        args = (spec, grid, layout, readers, modalities, predictor, sinks, temp_dir)
        return ClusterTilePass(*args, executor=self, limit=limit)


class ClusterTilePass(TilePass):
    """A ``TilePass`` whose batches are predicted by Dask tasks, submitted ahead and blended in order.

    The batches are those of the desktop run (``TileLayout.strip_batches`` with the spec's batch size), so the
    model sees the same batches and the blending the same outputs in the same order.
    """

    def __init__(self, *args, executor: DaskExecutor, limit: int):
        super().__init__(*args)
        self.executor, self.limit = executor, limit
        self._queue: _InOrder | None = None

    def run(self, progress: ProgressCallback, is_cancelled: CancelCheck) -> None:
        ex, p = self.executor, self.predictor
        cancel_event = f"terramind-cancel-{uuid.uuid4()}"
        job = uuid.uuid4().hex[:12]
        counter = iter(range(1 << 62))

        def submit(boxes: Sequence[Box]) -> Any:
            return ex.client.submit(
                predict_boxes,
                p.factory,
                p.spec_json,
                p.token,
                list(boxes),
                ex.worker_threads,
                cancel_event,
                key=f"terramind-tiles-{job}-{next(counter)}",
            )

        self._queue = _InOrder(ex.client, submit, self._chunks(), self.limit)
        try:
            super().run(progress, is_cancelled)
        except BaseException:
            if is_cancelled():
                _set_event(ex.client, cancel_event)
            raise
        finally:
            self._queue.cancel()

    def _chunks(self) -> Iterator[list[Box]]:
        for strip in self.layout.strips:
            yield from self.layout.strip_batches(strip, self.spec.batch_size)

    def _predicted(
        self, pool, boxes, n_cols, progress, is_cancelled
    ) -> Iterator[tuple[int, list[TileOutput]]]:
        done = 0
        while done < len(boxes):
            count, outputs, batch_size = self._queue.next(is_cancelled)
            self.backoff.batch_size = min(self.backoff.batch_size, batch_size)  # a worker ran out of memory
            done += count
            self.done += count
            self.skipped += count - len(outputs)
            yield count, outputs


class _InOrder:
    """Keeps up to ``limit`` tasks submitted ahead and returns their results in submission order."""

    def __init__(self, client: Any, submit: Callable[[Any], Any], items: Iterator[Any], limit: int):
        self.client, self.submit, self.items, self.limit = client, submit, items, limit
        self.futures: deque[Any] = deque()
        self._fill()

    def _fill(self) -> None:
        while len(self.futures) < self.limit:
            item = next(self.items, None)
            if item is None:
                return
            self.futures.append(self.submit(item))

    def next(self, is_cancelled: CancelCheck) -> Any:
        result = _result(self.client, self.futures[0], is_cancelled)
        self.futures.popleft()
        self._fill()
        return result

    def cancel(self) -> None:
        if self.futures:
            self.client.cancel(list(self.futures))
            self.futures.clear()


def _result(client: Any, future: Any, is_cancelled: CancelCheck) -> Any:
    """``future``'s result, polling ``is_cancelled``; cluster failures become ``ClusterError``."""
    from distributed import KilledWorker

    done = threading.Event()
    future.add_done_callback(lambda _: done.set())
    check_cancel(is_cancelled)
    while not done.wait(POLL_SECONDS):  # not future.result(timeout): its timeouts race in distributed
        check_cancel(is_cancelled)
    try:
        return future.result()
    except KilledWorker as exc:
        raise ClusterError(
            tr(
                "Dask workers died while running {0!r} several times in a "
                "row (the task was retried on other workers). They may run "
                "out of memory: give each worker more memory, or use a "
                "smaller batch size, tile size or model. ({1})"
            ).format(exc.task, exc)
        ) from exc
    except CancelledError as exc:
        raise ClusterError(
            tr(
                "The Dask scheduler {0} dropped the job's tasks (was it "
                "restarted, or did the connection break?). Run the job "
                "again. ({1})"
            ).format(client.scheduler.address, exc)
        ) from exc
    except ModuleNotFoundError as exc:
        raise ClusterError(
            tr(
                "A Dask worker cannot import {0!r}: install the same "
                "packages on the workers as here (terramind_qgis on their "
                "PYTHONPATH, torch, rasterio, numpy<2). ({1})"
            ).format(exc.name, exc)
        ) from exc


def _set_event(client: Any, name: str) -> None:
    from distributed import Event

    try:
        Event(name, client=client).set()
    except Exception:
        log.debug("could not signal the cancel to the workers", exc_info=True)


def _model_key(spec: JobSpec, modalities: Sequence[str]) -> str:
    """What the model depends on: the spec less its inputs, outputs, area and tiling, plus the modalities."""
    d = spec.to_dict()
    for name in ("inputs", "outputs", "area", "batch_size", "tile_size", "overlap", "embedding_dtype"):
        d.pop(name, None)
    d["modalities"] = list(modalities)
    return json.dumps(d, sort_keys=True)


# --- on the workers -----------------------------------------------------------------------------------


@dataclass
class _WorkerJob:
    """What a worker keeps for the job it works on: the grid, open readers, the model."""

    spec_json: str
    grid: Grid
    readers: list[InputReader]
    modalities: list[str]
    predictor: Predictor
    backoff: BatchBackoff
    stack: contextlib.ExitStack


_LOCK = threading.Lock()  # one task at a time per worker process: readers and model are not shared
_MODEL: dict[str, Predictor] = {}  # token -> model; only the latest one is kept
_JOB: list[_WorkerJob] = []  # the latest job


def _worker_job(factory: PredictorFactory, spec_json: str, token: str) -> _WorkerJob:
    from .pipeline import plan_inputs

    if _JOB and _JOB[0].spec_json == spec_json and token in _MODEL:
        return _JOB[0]
    while _JOB:
        _JOB.pop().stack.close()
    spec = JobSpec.from_json(spec_json)
    grid, planned = plan_inputs(spec, check_outputs=False)
    modalities = [p.key for p in planned]
    if token not in _MODEL:
        _MODEL.clear()  # free the previous model before building the next one
        _MODEL[token] = factory(spec, modalities, None)
        log.info("Built the model %s on this worker", _MODEL[token].provenance.get("TERRAMIND_MODEL", token))
    stack = contextlib.ExitStack()
    readers = [stack.enter_context(InputReader(p.info, p.bands, grid)) for p in planned]
    job = _WorkerJob(
        spec_json, grid, readers, modalities, _MODEL[token], BatchBackoff(spec.batch_size), stack
    )
    _JOB.append(job)
    return job


@contextlib.contextmanager
def _torch_threads(n: int | None) -> Iterator[None]:
    """torch's intra-op threads set to ``n`` during one task (``None``: one per CPU this worker may use, as
    ``device.job_threads`` gives a desktop job; Dask's nanny starts workers with ``OMP_NUM_THREADS=1``)."""
    import torch

    from .device import usable_cpus

    n = n or usable_cpus()
    previous = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def describe_model(
    factory: PredictorFactory, spec_json: str, token: str, threads: int | None
) -> tuple[int, int, dict[str, str]]:
    """Dask task: build (and keep) the job's model on this worker; return its channels, scale, provenance."""
    with _LOCK, _torch_threads(threads):
        p = _worker_job(factory, spec_json, token).predictor
        return p.out_channels, p.out_scale, dict(p.provenance)


def predict_boxes(
    factory: PredictorFactory,
    spec_json: str,
    token: str,
    boxes: Sequence[Box],
    threads: int | None,
    cancel_event: str,
) -> tuple[int, list[TileOutput], int]:
    """Dask task: read one batch of tiles on this worker and run the model on those with a valid pixel.

    Returns:
        ``(len(boxes), outputs)``, as ``TilePass._predicted`` yields them, and the worker's batch size
        (smaller than the spec's after running out of memory).
    """
    with _LOCK, _torch_threads(threads):
        job = _worker_job(factory, spec_json, token)
        tiles = TileReader(job.grid, job.readers, job.modalities).read(boxes).with_valid_pixels()
        on_step = _cancel_check(cancel_event)
        outputs = job.backoff.run(lambda items: predict_tiles(job.predictor, items, on_step), tiles)
        return len(boxes), tile_outputs(tiles, outputs, job.predictor.out_scale), job.backoff.batch_size


def _cancel_check(name: str) -> Callable[[int, int], None]:
    """A diffusion step callback that stops the task once the client signalled a cancel."""
    from distributed import Event

    event = Event(name)

    def on_step(step: int, num_steps: int) -> None:
        if event.is_set():
            raise JobCancelled(tr("The job was cancelled."))

    return on_step
