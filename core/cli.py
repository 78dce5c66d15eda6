"""Command line of the headless core, also the protocol of the plugin's worker process.

Commands::

    python -m terramind_qgis.core run job.json [--jsonl] [--allow-large] [--journal FILE] [--site DIR]
        [--scheduler tcp://host:8786 | --local-cluster N] [--worker-threads N] [--connect-timeout S]
    python -m terramind_qgis.core probe [--devices] [--scheduler tcp://host:8786] [--site DIR]

``--site DIR`` appends a folder of extra packages (the plugin's private dependency folder) to
``sys.path``, after the interpreter's own packages.

``run`` executes one ``JobSpec`` (a file, positional or ``--spec``) with ``core.pipeline.run_job``; with
``--scheduler`` or ``--local-cluster`` the model runs on a Dask cluster (``core.cluster``), same outputs.
``--journal`` joins a run another
process started (``run_files.RunFiles.join``: the plugin holds the claim on the outputs and removes the
files the run journals if the worker dies, after its own pre-flight checks); without it the job starts
its own run after ``estimate.check_limits`` (``--allow-large`` runs a large job). With ``--jsonl``
stdout carries only JSON lines, one event each (everything else, logging included, goes to stderr)::

    {"event": "progress", "fraction": 0.42, "message": "tile 5/12"}
    {"event": "result", "outputs": {...}, "warnings": [...], "styles": {...}}
    {"event": "error", "type": "InputError", "message": "...", "details": "traceback or empty"}

SIGTERM or SIGINT sets the cancel flag the pipeline polls between batches; the pipeline then removes
its temporary files and raises ``JobCancelled`` (reported as an error event of that type, exit code 3).
The error type ``MissingDependency`` means this Python cannot import a required package.

``probe`` prints one JSON object describing this Python: its version, which required packages import
(and their versions, read from package metadata without importing them) and, with ``--devices``, the
devices torch sees, each checked with a small matrix product, and with ``--scheduler`` the Dask cluster
behind that address (``"cluster": {...}`` or ``{"error": ...}``).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import platform
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Callable, TextIO

from .errors import InputError, JobCancelled, TerraMindError
from .i18n import tr
from .jobs import JobResult, JobSpec
from .run_files import RunFiles

log = logging.getLogger(__name__)

EXIT_OK, EXIT_ERROR, EXIT_CANCELLED, EXIT_MISSING_DEPENDENCY = 0, 1, 3, 4  # 2: bad arguments (argparse)
#: Import names the plugin needs (sklearn: the embedding workbench; yaml: configs of fine-tuned models;
#: threadpoolctl: numpy's BLAS threads during a job).
REQUIRED_PACKAGES = ("torch", "huggingface_hub", "numpy", "rasterio", "sklearn", "yaml", "threadpoolctl")
#: Distribution (pip) names that differ from the import name.
DISTRIBUTIONS = {"sklearn": "scikit-learn", "yaml": "PyYAML"}
MISSING_DEPENDENCY = "MissingDependency"


def package_status(name: str) -> dict[str, Any]:
    """Whether ``name`` imports here, without importing it.

    Returns:
        ``{"name", "importable", "version", "location"}``; ``version`` comes from the installed
        distribution's metadata (``None`` when unknown), ``location`` is the package folder.
    """
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):  # an import hook refused it, or a broken parent package
        spec = None
    if spec is None:
        return {"name": name, "importable": False, "version": None, "location": None}
    try:
        version: str | None = importlib.metadata.version(DISTRIBUTIONS.get(name, name))
    except importlib.metadata.PackageNotFoundError:
        version = None
    locations = list(spec.submodule_search_locations or [])
    location = locations[0] if locations else spec.origin
    return {"name": name, "importable": True, "version": version, "location": location}


def probe_devices() -> dict[str, Any]:
    """Import torch and check every device it sees with a small matrix product.

    Returns:
        ``{"torch": version, "cuda_build": torch.version.cuda, "devices": [...]}``; each device is
        ``{"id", "name", "memory_bytes", "capability", "ok", "error"}``. ``{"error": ...}`` if torch
        does not import.
    """
    try:
        import torch
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    devices: list[dict[str, Any]] = [{"id": "cpu", "name": platform.processor() or platform.machine()}]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            devices.append(
                {
                    "id": f"cuda:{i}",  # no-i18n: a torch device id
                    "name": props.name,
                    "memory_bytes": int(props.total_memory),
                    "capability": [props.major, props.minor],
                }
            )
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append({"id": "mps", "name": "Apple Metal (MPS)"})  # no-i18n: a product name
    for device in devices:
        device.setdefault("memory_bytes", None)
        device.setdefault("capability", None)
        try:
            a = torch.ones(64, 64, device=device["id"])
            device["ok"] = bool((a @ a).sum().item() == 64.0**3)  # every entry of a @ a is 64
            device["error"] = None if device["ok"] else tr("wrong result of a test matrix product")
        except Exception as exc:
            device["ok"], device["error"] = False, f"{type(exc).__name__}: {exc}"
    return {"torch": torch.__version__, "cuda_build": torch.version.cuda, "devices": devices}


def probe(devices: bool = False, scheduler: str | None = None) -> dict[str, Any]:
    """Describe this Python: version, required packages, if ``devices`` the torch devices, if ``scheduler``
    the Dask cluster behind it."""
    report: dict[str, Any] = {
        "python": sys.executable,
        "python_version": platform.python_version(),
        "platform": platform.platform(),
        "packages": [package_status(name) for name in REQUIRED_PACKAGES],
    }
    if devices:
        report["devices"] = probe_devices()
    if scheduler:
        report["cluster"] = probe_cluster(scheduler)
    return report


def probe_cluster(address: str) -> dict[str, Any]:
    """``cluster.check_scheduler(address)``, or ``{"error": message}``."""
    from .cluster import check_scheduler

    try:
        return check_scheduler(address)
    except (TerraMindError, ImportError) as exc:
        return {"error": str(exc)}


class _Events:
    """Writes progress, result and error events, as JSON lines or for a person."""

    def __init__(self, stream: TextIO, jsonl: bool) -> None:
        self._stream = stream
        self._jsonl = jsonl
        self._lock = threading.Lock()

    def _send(self, event: dict[str, Any]) -> None:
        with self._lock:
            self._stream.write(json.dumps(event) + "\n")
            self._stream.flush()

    def progress(self, fraction: float, message: str = "") -> None:
        if self._jsonl:
            self._send({"event": "progress", "fraction": float(fraction), "message": str(message)})
        else:
            sys.stderr.write(f"[{100.0 * float(fraction):5.1f}%] {message}\n")

    def result(self, result: JobResult) -> None:
        payload = {
            "outputs": dict(result.outputs),
            "warnings": list(result.warnings),
            "styles": dict(result.styles),
        }
        if self._jsonl:
            self._send({"event": "result", **payload})
        else:
            self._stream.write(json.dumps(payload, indent=2) + "\n")

    def error(self, kind: str, message: str, details: str = "") -> None:
        if self._jsonl:
            self._send({"event": "error", "type": kind, "message": message, "details": details})
        else:
            sys.stderr.write(f"{kind}: {message}\n")


def _protocol_stream() -> TextIO:
    """Keep the real stdout for events and point file descriptor 1 at stderr.

    Anything else that writes to stdout (print, native libraries) then lands on stderr and cannot
    corrupt the JSON lines.
    """
    sys.stdout.flush()
    fd = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return os.fdopen(fd, "w", buffering=1, encoding="utf-8")


def _load_runner(dotted: str | None, cluster: dict[str, Any] | None = None) -> Callable[..., JobResult]:
    """``"package.module:function"`` -> the callable; ``None`` -> ``core.pipeline.run_job``, or with
    ``cluster`` (``cluster.run_on_cluster``'s keyword arguments) the job on a Dask cluster."""
    if cluster:
        from .cluster import run_on_cluster

        return functools.partial(run_on_cluster, **cluster)
    if dotted is None:
        from .pipeline import run_job

        return run_job
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


def _read_spec(path: str) -> JobSpec:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(tr("Cannot read the job spec {0}: {1}.").format(path, exc)) from exc
    try:
        return JobSpec.from_json(text)
    except InputError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise InputError(tr("The job spec {0} is not a valid TerraMind job: {1}.").format(path, exc)) from exc


def _missing_dependency_message(exc: ImportError) -> str:
    name = exc.name or str(exc)
    return tr(
        "This Python ({0}) cannot import '{1}': {2}. Install the missing package or set up the TerraMind "
        "runtime (Raster > TerraMind > Set Up Runtime)."
    ).format(sys.executable, name, exc)


def run_command(
    spec_path: str,
    jsonl: bool,
    runner: str | None = None,
    journal: str | None = None,
    allow_large: bool = False,
    cluster: dict[str, Any] | None = None,
) -> int:
    """Run one job file and report events; returns the process exit code.

    A ``runner`` is called as ``runner(spec, progress=..., is_cancelled=...)``, plus ``files=`` (the joined
    ``RunFiles``) when a ``journal`` is given. ``cluster``: keyword arguments of ``cluster.run_on_cluster``
    (scheduler or local workers, ...) to run the job on a Dask cluster.
    """
    events = _Events(_protocol_stream() if jsonl else sys.stdout, jsonl)
    cancel = threading.Event()

    def _on_signal(signum: int, _frame: Any) -> None:
        log.info("Signal %s received: cancelling the job", signum)
        cancel.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _on_signal)
    try:
        spec = _read_spec(spec_path)
        if journal is None:
            from .estimate import check_limits

            for warning in check_limits(spec, allow_large, tr("pass --allow-large")):
                log.warning("%s", warning)
        extra = {"files": RunFiles.join(journal)} if journal else {}
        run = _load_runner(runner, cluster)
        result = run(spec, progress=events.progress, is_cancelled=cancel.is_set, **extra)
    except JobCancelled as exc:
        events.error(type(exc).__name__, str(exc) or tr("The job was cancelled."))
        return EXIT_CANCELLED
    except TerraMindError as exc:
        events.error(type(exc).__name__, str(exc), traceback.format_exc())
        return EXIT_ERROR
    except ImportError as exc:
        events.error(MISSING_DEPENDENCY, _missing_dependency_message(exc), traceback.format_exc())
        return EXIT_MISSING_DEPENDENCY
    except Exception as exc:
        log.exception("Unexpected error in the TerraMind job")
        events.error(type(exc).__name__, str(exc), traceback.format_exc())
        return EXIT_ERROR
    events.result(result)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--site",
        action="append",
        default=[],
        metavar="DIR",
        help=tr("folder of extra packages, appended to sys.path (repeatable)"),
    )
    parser = argparse.ArgumentParser(
        prog="python -m terramind_qgis.core",  # no-i18n: the command line that runs this module
        description=__doc__.splitlines()[0],
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", parents=[common], help=tr("run one job spec (JSON file)"))
    run.add_argument("spec_file", nargs="?", help=tr("path of the job JSON (JobSpec.to_json())"))
    run.add_argument("--spec", help=tr("the same, as an option"))
    run.add_argument("--jsonl", action="store_true", help=tr("write events as JSON lines on stdout"))
    run.add_argument("--journal", default=None, help=tr("journal of a run started by the plugin (join it)"))
    run.add_argument("--allow-large", action="store_true", help=tr("run a job above the size or time limits"))
    run.add_argument(
        "--runner",
        default=None,
        help=tr("'module:function' with run_job's signature (default: core.pipeline.run_job)"),
    )
    where = run.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help=tr("run on the Dask scheduler at tcp://host:8786")
    )
    where.add_argument(
        "--local-cluster", type=int, metavar="N", help=tr("run on a local Dask cluster of N workers")
    )
    run.add_argument(
        "--worker-threads",
        type=int,
        metavar="N",
        help=tr(
            "torch threads per Dask worker (default: one per CPU of the worker; local cluster: CPUs / N)"
        ),
    )
    run.add_argument(
        "--connect-timeout",
        type=float,
        default=5.0,
        metavar="S",
        help=tr("seconds to wait for the scheduler"),
    )
    info = sub.add_parser(
        "probe", parents=[common], help=tr("print this Python's packages (and devices) as JSON")
    )
    info.add_argument("--devices", action="store_true", help=tr("also import torch and test its devices"))
    info.add_argument("--scheduler", metavar="ADDRESS", help=tr("also connect to this Dask scheduler"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m terramind_qgis.core``; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    for folder in args.site:  # after the interpreter's own packages, as the plugin does in QGIS
        if folder not in sys.path:
            sys.path.append(folder)
    log_format = "%(levelname)s %(name)s: %(message)s"  # no-i18n: a logging format
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format=log_format)
    if args.command == "probe":
        sys.stdout.write(json.dumps(probe(devices=args.devices, scheduler=args.scheduler)) + "\n")
        return EXIT_OK
    spec = args.spec or args.spec_file
    if spec is None or (args.spec and args.spec_file):
        parser.error(tr("give the job file once: 'run job.json' or 'run --spec job.json'"))
    if args.local_cluster is not None and args.local_cluster < 1:
        parser.error(tr("--local-cluster needs at least 1 worker"))
    cluster = None
    if args.scheduler or args.local_cluster:
        cluster = dict(
            scheduler=args.scheduler,
            local_workers=args.local_cluster,
            worker_threads=args.worker_threads,
            timeout=args.connect_timeout,
        )
    return run_command(spec, args.jsonl, args.runner, args.journal, args.allow_large, cluster)
