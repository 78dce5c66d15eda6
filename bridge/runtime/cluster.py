"""Jobs on a Dask cluster from QGIS: the runner the settings ask for, and the connection check.

With "Run jobs on a Dask cluster" on (``CLUSTER_ENABLED``), the dock and the Processing algorithms run
``core.cluster.run_on_cluster`` with the scheduler of ``CLUSTER_SCHEDULER``: in the worker Python when one
is set (``core run --scheduler``), else in QGIS's process. That Python needs dask and distributed.
"""

from __future__ import annotations

import functools
import json
import subprocess
from typing import Any, Callable

from ...core.errors import TerraMindError
from ...core.i18n import tr
from ...core.jobs import CancelCheck, JobResult, JobSpec, ProgressCallback
from ..adapters.settings import CLUSTER_ENABLED, CLUSTER_SCHEDULER, WORKER_PYTHON
from .deps import NO_WINDOW, PACKAGE, runtime_interpreter, worker_env

#: Seconds a worker Python may take to start, import dask and try the scheduler.
PROBE_TIMEOUT = 60.0


def install_hint() -> str:
    """How to add the optional packages (shown when the option is chosen and they are missing)."""
    return tr(
        "Running jobs on a Dask cluster needs the Python packages 'dask' and 'distributed' in the Python "
        "that runs the jobs (and on every worker): python -m pip install dask distributed"
    )


def cluster_runner() -> Callable[..., JobResult] | None:
    """The job runner for the cluster of the settings; ``None`` when the option is off."""
    if not CLUSTER_ENABLED.value():
        return None
    address = CLUSTER_SCHEDULER.value().strip()
    python, sites, is_worker = runtime_interpreter(WORKER_PYTHON.value())
    if is_worker and address:
        from .worker import run_job_in_worker

        return functools.partial(
            run_job_in_worker, python=python, extra_paths=tuple(sites), extra_args=("--scheduler", address)
        )
    return functools.partial(run_in_process_on_cluster, scheduler=address)


def run_in_process_on_cluster(
    spec: JobSpec, progress: ProgressCallback, is_cancelled: CancelCheck, scheduler: str
) -> JobResult:
    """``core.cluster.run_on_cluster`` in this process (a ``JobTask`` runner)."""
    if not scheduler:
        raise TerraMindError(
            tr(
                "Jobs are set to run on a Dask cluster, but no scheduler address is set: enter it in "
                "TerraMind Settings (e.g. tcp://host:8786), or untick 'Run jobs on a Dask cluster'."
            )
        )
    try:
        from ...core.cluster import require_dask, run_on_cluster

        require_dask()
    except ImportError as exc:
        raise TerraMindError(f"{install_hint()} ({exc})") from exc
    return run_on_cluster(spec, progress, is_cancelled, scheduler=scheduler)


def check_cluster(address: str, worker_python: str) -> dict[str, Any]:
    """Connect to the scheduler at ``address`` from the Python that runs jobs (slow: call from a task).

    Returns:
        ``{"address", "workers", "threads", "memory_bytes"}`` (``core.cluster.describe_cluster``), or
        ``{"error": message}``.
    """
    python, sites, is_worker = runtime_interpreter(worker_python)
    if not is_worker:
        try:
            from ...core.cli import probe_cluster
        except ImportError as exc:
            return {"error": f"{install_hint()} ({exc})"}
        return probe_cluster(address)
    cmd = [python, "-m", f"{PACKAGE}.core", "probe", "--scheduler", address]
    for site in sites:
        cmd += ["--site", str(site)]
    try:
        done = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            env=worker_env(python),
            stdin=subprocess.DEVNULL,
            creationflags=NO_WINDOW,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"error": tr("Python {0} could not check the cluster: {1}").format(python, exc)}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or [tr("no output")])[-1]
        return {"error": tr("Python {0} could not check the cluster: {1}").format(python, tail)}
    return json.loads(lines[-1]).get("cluster") or {"error": tr("no answer about the cluster")}
