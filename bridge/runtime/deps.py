"""Which Python packages the plugin can use, where they come from, and which devices torch sees.

Start-up cost matters: ``check_dependencies`` only asks the import system where packages are
(``importlib.util.find_spec``) and reads their versions from metadata; it never imports torch.
Devices are probed in a subprocess (``probe_python``), from a background task, never on the main
thread at start-up.

Packages the user installs through the set-up dialog live in a private folder per QGIS profile and
Python version (``private_site_dir``); ``activate_private_site`` appends it to ``sys.path`` at plugin
start, after QGIS's own packages, so QGIS's numpy and GDAL always win.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.cli import REQUIRED_PACKAGES, package_status
from ...core.i18n import tr

log = logging.getLogger(__name__)

PRIVATE_SITE_FOLDER = "terramind_qgis_deps"
#: Import name of the plugin package (its folder name).
PACKAGE = __name__.split(".")[0]


@dataclass(frozen=True)
class PackageStatus:
    """One required package.

    Attributes:
        name: import name (also the distribution name), e.g. ``"torch"``.
        importable: the import system finds it.
        version: installed version from its metadata, ``None`` when unknown or missing.
        location: folder it imports from.
    """

    name: str
    importable: bool
    version: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class DependencyReport:
    """Required packages of one Python interpreter.

    Attributes:
        python: interpreter path.
        python_version: e.g. ``"3.11.2"``.
        packages: one status per name of ``REQUIRED_PACKAGES``.
    """

    python: str
    python_version: str
    packages: tuple[PackageStatus, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """Names of the packages that do not import."""
        return tuple(p.name for p in self.packages if not p.importable)

    @property
    def ok(self) -> bool:
        return not self.missing

    def version_of(self, name: str) -> str | None:
        return next((p.version for p in self.packages if p.name == name), None)

    def message(self) -> str:
        """One paragraph for the user: all good, or what is missing and what to do."""
        if self.ok:
            return tr("All TerraMind dependencies are installed for Python {0}.").format(self.python_version)
        return tr(
            "TerraMind needs {0}, which Python {1} ({2}) cannot import. "
            "Open Raster > TerraMind > Set Up Runtime to install them "
            "into a private folder or to use an existing Python "
            "environment that has them."
        ).format(", ".join(self.missing), self.python_version, self.python)

    @classmethod
    def from_probe(cls, probe: dict[str, Any]) -> DependencyReport:
        """Build from the JSON of ``python -m terramind_qgis.core probe``."""
        packages = tuple(PackageStatus(**p) for p in probe["packages"])
        return cls(python=probe["python"], python_version=probe["python_version"], packages=packages)


@dataclass(frozen=True)
class Device:
    """One device torch sees: ``id`` (``"cpu"``, ``"cuda:0"``, ``"mps"``), name, memory, test result."""

    id: str
    name: str
    memory_bytes: int | None = None
    capability: tuple[int, int] | None = None
    ok: bool = False
    error: str | None = None


@dataclass(frozen=True)
class DeviceReport:
    """What torch reports in one interpreter; ``error`` says why torch could not be used."""

    torch_version: str | None = None
    cuda_build: str | None = None
    devices: tuple[Device, ...] = ()
    error: str | None = None

    @classmethod
    def from_probe(cls, data: dict[str, Any]) -> DeviceReport:
        if "error" in data:
            return cls(error=data["error"])
        devices = tuple(
            Device(**dict(d, capability=tuple(d["capability"]) if d.get("capability") else None))
            for d in data["devices"]
        )
        return cls(torch_version=data["torch"], cuda_build=data.get("cuda_build"), devices=devices)


def check_dependencies(names: Sequence[str] = REQUIRED_PACKAGES) -> DependencyReport:
    """Which required packages this (QGIS's) Python can import; cheap, never imports them."""
    packages = tuple(PackageStatus(**package_status(n)) for n in names)
    return DependencyReport(python=python_executable(), python_version=_python_version(), packages=packages)


def _python_version() -> str:
    return ".".join(str(p) for p in sys.version_info[:3])


def python_executable() -> str:
    """Path of a ``python`` of this process's installation.

    Inside QGIS ``sys.executable`` is often QGIS itself (``qgis-bin.exe``, ``QGIS.app/.../QGIS``); the
    interpreter then lies in ``sys.exec_prefix`` (Windows: ``python.exe``; elsewhere ``bin/python3.X``).
    """
    exe = sys.executable
    if Path(exe).name.lower().startswith("python"):
        return exe
    major_minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = []
    for prefix in dict.fromkeys((sys.exec_prefix, sys.base_exec_prefix)):
        if os.name == "nt":
            candidates += [Path(prefix) / "python.exe", Path(prefix) / "python3.exe"]
        else:
            candidates += [Path(prefix) / "bin" / f"python{major_minor}", Path(prefix) / "bin" / "python3"]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    return shutil.which(f"python{major_minor}") or exe


def is_this_python(python: str) -> bool:
    """``python`` belongs to this process's installation (so it can use ``private_site_dir()``)."""
    path = os.path.normcase(os.path.abspath(python))
    prefixes = {os.path.normcase(os.path.abspath(p)) for p in (sys.prefix, sys.exec_prefix)}
    return path == os.path.normcase(os.path.abspath(python_executable())) or any(
        path.startswith(p + os.sep) for p in prefixes
    )


def private_site_dir(profile_dir: str | None = None, version: Sequence[int] = sys.version_info) -> Path:
    """``<QGIS profile>/python/terramind_qgis_deps/py3.X``: the plugin's private package folder.

    Args:
        profile_dir: the QGIS profile folder; default ``QgsApplication.qgisSettingsDirPath()``.
        version: Python version the folder is for (wheels are built per minor version).
    """
    if profile_dir is None:
        from qgis.core import QgsApplication

        profile_dir = QgsApplication.qgisSettingsDirPath()
    return Path(profile_dir) / "python" / PRIVATE_SITE_FOLDER / f"py{version[0]}.{version[1]}"


def activate_private_site(site_dir: Path | None = None) -> str | None:
    """Append the private package folder to ``sys.path`` if it exists (call once in ``initGui``).

    Appended, not prepended: a package QGIS ships (numpy, GDAL) always imports from QGIS.

    Returns:
        The folder added or already present, or ``None`` when there is none.
    """
    folder = str(site_dir if site_dir is not None else private_site_dir())
    if not os.path.isdir(folder):
        return None
    if folder not in sys.path:
        sys.path.append(folder)
        log.info("Using TerraMind's private packages in %s", folder)
    return folder


def runtime_interpreter(worker_python: str = "") -> tuple[str, list[str], bool]:
    """The Python that runs jobs, the package folders to append for it, and whether it is a worker.

    Args:
        worker_python: the ``WORKER_PYTHON`` setting (``""``: jobs run in QGIS's process).

    The private folder is used only by QGIS's own Python (its wheels are built for that interpreter).
    """
    python = worker_python or python_executable()
    folder = str(private_site_dir())
    sites = [folder] if is_this_python(python) and os.path.isdir(folder) else []
    return python, sites, bool(worker_python)


def check_job_runtime(worker_python: str = "") -> tuple[DependencyReport, DeviceReport, bool]:
    """Packages and devices of the Python that runs jobs, checked the way jobs start: in this process
    (torch imported in the calling thread, as a job's task does) or in the worker Python (a subprocess with
    the worker's environment). Slow; call it from a task.

    Returns:
        The packages, the devices, and whether jobs run in a separate worker process.

    Raises:
        OSError: the worker interpreter cannot be started or does not answer.
    """
    if worker_python:
        python, sites, _ = runtime_interpreter(worker_python)
        report, devices = probe_python(python, sites=sites, devices=True)
        return report, devices or DeviceReport(error=tr("no device report")), True
    from ...core.cli import probe

    data = probe(devices=True)
    return DependencyReport.from_probe(data), DeviceReport.from_probe(data["devices"]), False


def package_parent_dir() -> str:
    """Folder that contains the plugin package, for a worker's PYTHONPATH (symlinks kept)."""
    here = os.path.abspath(__file__)  # <parent>/<package>/bridge/runtime/deps.py
    for _ in range(4):
        here = os.path.dirname(here)
    return here


def probe_python(
    python: str, sites: Sequence[str] = (), devices: bool = True, timeout: float = 180.0
) -> tuple[DependencyReport, DeviceReport | None]:
    """Ask another interpreter (or this installation's) which packages and devices it has.

    Runs ``python -m terramind_qgis.core probe`` in a subprocess: a torch import or a CUDA driver
    failure there cannot hurt QGIS. Slow (imports torch when ``devices``): call it from a task.

    Raises:
        OSError: the interpreter cannot be started, times out or does not answer with a probe.
    """
    cmd = [python, "-m", f"{PACKAGE}.core", "probe"] + (["--devices"] if devices else [])
    for site in sites:
        cmd += ["--site", str(site)]
    try:
        done = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=worker_env(python),
            stdin=subprocess.DEVNULL,
            creationflags=NO_WINDOW,
        )
    except subprocess.TimeoutExpired as exc:
        raise OSError(tr("Python {0} did not answer within {1:.0f} s.").format(python, timeout)) from exc
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or [tr("no output")])[-1]
        raise OSError(tr("Python {0} could not run the TerraMind probe: {1}").format(python, tail))
    data = json.loads(lines[-1])
    report = DependencyReport.from_probe(data)
    return report, DeviceReport.from_probe(data["devices"]) if devices else None


#: ``creationflags`` that keep Windows from opening a console for a child process.
NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0)

#: Variables QGIS sets for its own Python and libraries, which break another installation.
_FOREIGN_ENV = (
    "PYTHONHOME",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PROJ_LIB",
    "PROJ_DATA",
    "GDAL_DATA",
    "GDAL_DRIVER_PATH",
)


def worker_env(python: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment of a child interpreter that imports the plugin package.

    PYTHONPATH is exactly the folder containing the plugin package. For an interpreter of another
    installation (conda, venv) the variables QGIS sets for its own Python, PROJ and GDAL are dropped.
    """
    env = dict(os.environ if base is None else base)
    env.pop("PYTHONHOME", None)
    if not is_this_python(python):
        for name in _FOREIGN_ENV:
            env.pop(name, None)
    env["PYTHONPATH"] = package_parent_dir()
    env["PYTHONIOENCODING"] = "utf-8"
    return env
