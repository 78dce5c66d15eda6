"""Guided install of the missing Python packages into the plugin's private folder, never into QGIS's.

The install runs ``pip`` with QGIS's own interpreter in two steps:

1. resolve: ``pip install --dry-run --report`` against QGIS's installed packages with a constraints
   file that pins every distribution QGIS's Python already has (numpy above all): pip must keep them
   or fail with a conflict; it never upgrades them;
2. install: exactly the resolved new distributions (``--no-deps``, pinned) into a staging folder,
   which then replaces ``private_site_dir()`` (appended to ``sys.path`` at plugin start).

torch comes from the PyTorch index chosen by ``bridge/runtime/cuda.py`` (CPU by default). A failure is
classified from pip's output (network, permission, conflict, ...) and the dialog shows a command the
user can run instead. ``bridge/install_task.py`` runs it as a cancellable ``QgsTask``. A pip older
than 22.2 (no ``--dry-run --report``) installs in one ``--target`` step with the same constraints.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import queue
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ...core.cli import DISTRIBUTIONS
from ...core.errors import JobCancelled, TerraMindError
from ...core.i18n import tr
from .deps import NO_WINDOW, DependencyReport, DeviceReport, probe_python
from .pip_failures import classify_pip_failure

log = logging.getLogger(__name__)

REQUIREMENTS_FILE = Path(__file__).resolve().parents[2] / "requirements.txt"
#: Packages that must come from QGIS: a second numpy breaks GDAL and QGIS's own Python code.
NEVER_INSTALL = ("numpy",)
_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?(\+[a-z0-9]+(\.[a-z0-9]+)*)?$", re.I)


class InstallError(TerraMindError):
    """pip or the verification failed; ``kind`` names the cause (see ``classify_pip_failure``)."""

    def __init__(self, message: str, kind: str = "unknown", output: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.output = output


def canonical_name(name: str) -> str:
    """PEP 503 normalised distribution name: ``Typing_Extensions`` -> ``typing-extensions``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_requirements(path: Path = REQUIREMENTS_FILE) -> dict[str, str]:
    """``requirements.txt`` as canonical name -> requirement line (the plugin's tested pins)."""
    pins: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)", line)
            if m:
                pins[canonical_name(m.group(1))] = line
    return pins


def requirements_for(missing: Iterable[str], pins: dict[str, str] | None = None) -> tuple[str, ...]:
    """Requirement strings to install for the missing import names (pinned where the plugin pins them)."""
    pins = read_requirements() if pins is None else pins
    names = (DISTRIBUTIONS.get(n, n) for n in missing if n not in NEVER_INSTALL)
    return tuple(pins.get(canonical_name(n), n) for n in names)


def qgis_constraints(exclude: Sequence[str] = ()) -> list[str]:
    """``name==version`` for every distribution this Python imports, in ``sys.path`` order.

    Args:
        exclude: folders whose distributions are not pinned (the private folder being replaced).

    Versions that are not PEP 440 (some distribution patches) cannot be pinned and are skipped.
    """
    excluded = [os.path.normcase(os.path.abspath(p)) for p in exclude]
    pins: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name, version = dist.metadata["Name"], dist.version
        if not name or not version or not _PEP440.match(version):
            continue
        where = os.path.normcase(os.path.abspath(str(dist.locate_file(""))))
        if any(where == e or where.startswith(e + os.sep) for e in excluded):
            continue
        pins.setdefault(canonical_name(name), version)  # the first on sys.path is the one that imports
    return [f"{n}=={v}" for n, v in sorted(pins.items())]


@dataclass(frozen=True)
class InstallPlan:
    """What ``run_install`` does.

    Attributes:
        python: QGIS's interpreter (runs pip).
        target: the private folder (``deps.private_site_dir()``).
        requirements: requirement strings, e.g. ``("torch==2.13.0", "huggingface_hub==2.4.0")``.
        index_url: PyTorch wheel index added to pip's indexes (``None``: pip's configured ones only).
        constraints: pins of QGIS's distributions.
        wheel_reason: why this torch build (shown to the user).
    """

    python: str
    target: str
    requirements: tuple[str, ...]
    index_url: str | None
    constraints: tuple[str, ...]
    wheel_reason: str = ""

    @property
    def constraints_path(self) -> Path:
        """Where the constraints file is written (kept for the manual command)."""
        target = Path(self.target)
        return target.parent / f"constraints-{target.name}.txt"

    def common_args(self) -> list[str]:
        args = ["--disable-pip-version-check", "--no-input", "--progress-bar", "off", "--prefer-binary"]
        return args + (["--extra-index-url", self.index_url] if self.index_url else [])

    def _pip_install(self, options: Sequence[str], packages: Sequence[str]) -> list[str]:
        """``python -m pip install <options> <common args> <packages>``."""
        return [self.python, "-m", "pip", "install", *options, *self.common_args(), *packages]

    def _constrained_requirements(self) -> list[str]:
        """The requirements under the constraints file that pins QGIS's own packages."""
        return ["--constraint", str(self.constraints_path), *self.requirements]

    def resolve_command(self, report_path: str) -> list[str]:
        """Step 1: resolve against QGIS's packages; nothing is installed."""
        return self._pip_install(["--dry-run", "--report", report_path], self._constrained_requirements())

    def install_command(self, target: str, pinned: Sequence[str]) -> list[str]:
        """Step 2: exactly the resolved distributions, without dependencies, into ``target``."""
        return self._pip_install(["--target", target, "--no-deps"], pinned)

    def one_step_command(self, target: str) -> list[str]:
        """Resolve and install with dependencies into ``target`` in one pip call (pip < 22.2, manual use).

        ``--target`` ignores installed packages, so QGIS's own ones are copied too, at the pinned versions.
        """
        return self._pip_install(["--target", target], self._constrained_requirements())

    def manual_command(self, windows: bool = os.name == "nt") -> str:
        """One command a user can run in a terminal instead (OSGeo4W Shell on Windows)."""
        cmd = self.one_step_command(self.target)
        return subprocess.list2cmdline(cmd) if windows else shlex.join(cmd)


def plan_install(
    report: DependencyReport,
    target: Path,
    index_url: str | None,
    wheel_reason: str = "",
    reinstall: bool = False,
) -> InstallPlan:
    """Plan the install of ``report.missing`` for ``report.python`` into ``target``.

    With ``reinstall``, the packages now imported from ``target`` are installed again too (e.g. to
    switch from the CPU to a CUDA build of torch).
    """
    names = list(report.missing)
    if reinstall:
        inside = os.path.normcase(os.path.abspath(target)) + os.sep
        names += [
            p.name
            for p in report.packages
            if p.location and os.path.normcase(os.path.abspath(p.location)).startswith(inside)
        ]
    return InstallPlan(
        python=report.python,
        target=str(target),
        requirements=requirements_for(names),
        index_url=index_url,
        constraints=tuple(qgis_constraints(exclude=[str(target)])),
        wheel_reason=wheel_reason,
    )


@dataclass(frozen=True)
class InstallResult:
    """A finished install: the folder, the distributions put there and the verified devices."""

    target: str
    installed: tuple[str, ...]
    devices: DeviceReport | None
    warnings: tuple[str, ...] = ()


LineCallback = Callable[[str], None]


def _run_pip(
    cmd: list[str], on_line: LineCallback, is_cancelled: Callable[[], bool], env: dict[str, str] | None
) -> tuple[int, str]:
    """Run pip, streaming its combined output line by line; terminate it on cancel."""
    log.info("Running %s", " ".join(cmd))
    try:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
            creationflags=NO_WINDOW,
        )
    except OSError as exc:
        raise InstallError(tr("Cannot start {0}: {1}").format(cmd[0], exc), kind="no_python") from exc
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(
        target=lambda: [lines.put(x.rstrip()) for x in proc.stdout] + [lines.put(None)], daemon=True
    )
    reader.start()
    output: list[str] = []
    done = False
    while not done:
        if is_cancelled():
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            raise JobCancelled(tr("The installation was cancelled."))
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        if line is None:
            done = True
        elif line:
            output.append(line)
            on_line(line)
    return proc.wait(), "\n".join(output)


def _check(rc: int, output: str) -> None:
    if rc != 0:
        kind, message = classify_pip_failure(output)
        raise InstallError(message, kind=kind, output=output)


def run_install(
    plan: InstallPlan,
    progress: Callable[[float, str], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    on_line: LineCallback | None = None,
    env: dict[str, str] | None = None,
) -> InstallResult:
    """Resolve, install into a staging folder, swap it in, and verify by importing torch in a subprocess.

    Raises:
        InstallError: pip failed (``kind`` says why) or the installed torch does not work.
        JobCancelled: cancelled; the staging folder is removed and the old private folder is kept.
    """
    progress = progress or (lambda fraction, message: None)
    is_cancelled = is_cancelled or (lambda: False)
    on_line = on_line or (lambda line: log.debug("pip: %s", line))
    target = Path(plan.target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        plan.constraints_path.write_text("\n".join(plan.constraints) + "\n", encoding="utf-8")
    except OSError as exc:
        kind, message = classify_pip_failure(str(exc))
        raise InstallError(f"{message} ({exc})", kind=kind) from exc
    _check_free_space(plan, target.parent)
    plan = _without_unreachable_index(plan, on_line)
    staging = target.parent / (target.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        progress(0.02, tr("Resolving packages against QGIS's own"))
        pinned = _resolve(plan, on_line, is_cancelled, env)
        progress(0.15, tr("Installing {0} packages").format(len(pinned) if pinned is not None else "the"))
        if pinned is None:  # pip < 22.2: one step, dependencies included
            _check(*_run_pip(plan.one_step_command(str(staging)), on_line, is_cancelled, env))
        elif pinned:
            count = {"n": 0}

            def _line(line: str) -> None:
                on_line(line)
                if line.startswith(("Collecting", "Downloading", "Processing")):
                    count["n"] += line.startswith(("Collecting", "Processing"))
                    progress(0.15 + 0.7 * min(count["n"], len(pinned)) / len(pinned), line[:100])

            _check(*_run_pip(plan.install_command(str(staging), pinned), _line, is_cancelled, env))
        else:
            staging.mkdir()
        progress(0.88, tr("Activating the private package folder"))
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    progress(0.9, tr("Checking torch and the devices it sees"))
    installed = tuple(pinned) if pinned is not None else tuple(_installed_in(target))
    return InstallResult(str(target), installed, *_verify(plan))


def _resolve(
    plan: InstallPlan, on_line: LineCallback, is_cancelled: Callable[[], bool], env: dict[str, str] | None
) -> list[str] | None:
    """``name==version`` of every distribution to add to QGIS's; ``None`` if this pip cannot resolve alone."""
    with tempfile.TemporaryDirectory(prefix="terramind_pip_") as tmp:
        report_path = os.path.join(tmp, "report.json")
        rc, output = _run_pip(plan.resolve_command(report_path), on_line, is_cancelled, env)
        if rc != 0 and "no such option" in output:  # no-i18n: pip's English error text
            log.info("This pip has no --dry-run --report: installing in one step with the constraints")
            return None
        _check(rc, output)
        with open(report_path, encoding="utf-8") as f:
            items = json.load(f).get("install", [])
    return [f"{i['metadata']['name']}=={i['metadata']['version']}" for i in items]


def _installed_in(folder: Path) -> list[str]:
    """``name==version`` of the distributions in ``folder``."""
    return sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions(path=[str(folder)])
    )


def _swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging``; the old folder is kept until the new one is in place."""
    old = target.parent / (target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    try:
        if target.exists():
            target.rename(old)
        staging.rename(target)
    except OSError as exc:
        if old.exists() and not target.exists():
            old.rename(target)
        raise InstallError(
            tr("Cannot replace {0} ({1}); it may be in use: restart QGIS and run the set-up again.").format(
                target, exc
            ),
            kind="permission",
        ) from exc
    shutil.rmtree(old, ignore_errors=True)


def _without_unreachable_index(
    plan: InstallPlan, on_line: LineCallback, timeout: float = 10.0
) -> InstallPlan:
    """The plan without its PyTorch index when that cannot be reached (pip would retry it for every package).

    pip then takes torch from its configured indexes (PyPI: on Linux a CUDA build, which also runs on CPU).
    """
    if not plan.index_url:
        return plan
    try:
        urllib.request.urlopen(plan.index_url.rstrip("/") + "/", timeout=timeout).close()
        return plan
    except (OSError, ValueError) as exc:
        on_line(
            tr("{0} cannot be reached ({1}); torch comes from pip's configured package index.").format(
                plan.index_url, exc
            )
        )
        return replace(plan, index_url=None)


def _check_free_space(plan: InstallPlan, folder: Path) -> None:
    """Refuse to start when torch cannot fit (about 1 GB unpacked for the CPU build, 5 GB for CUDA)."""
    if not any(
        canonical_name(re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0]) == "torch" for r in plan.requirements
    ):
        return
    need = (5 if plan.index_url and "/cu" in plan.index_url else 1.5) * 2**30
    free = shutil.disk_usage(folder).free
    if free < need:
        raise InstallError(
            tr(
                "Only {0:.1f} GB are free in {1}; torch needs about {2:.1f} GB. Free some space and retry."
            ).format(free / 2**30, folder, need / 2**30),
            kind="disk_full",
        )


def _verify(plan: InstallPlan) -> tuple[DeviceReport | None, tuple[str, ...]]:
    """Import everything in a fresh QGIS Python with the new folder appended; test the devices."""
    try:
        report, devices = probe_python(plan.python, sites=[plan.target], devices=True)
    except OSError as exc:
        raise InstallError(
            tr("The packages were installed but cannot be checked: {0}").format(exc), kind="verify"
        ) from exc
    if not report.ok:
        raise InstallError(
            tr("The packages were installed but {0} still cannot be imported.").format(
                ", ".join(report.missing)
            ),
            kind="verify",
        )
    if devices is not None and devices.error:
        raise InstallError(
            tr("torch was installed but does not work: {0}").format(devices.error), kind="verify"
        )
    pinned_numpy = next((c.split("==")[1] for c in plan.constraints if c.startswith("numpy==")), None)
    if pinned_numpy and report.version_of("numpy") != pinned_numpy:
        raise InstallError(
            tr(
                "numpy {0} now imports instead of QGIS's numpy {1}; remove {2} and report this problem."
            ).format(report.version_of("numpy"), pinned_numpy, plan.target),
            kind="verify",
        )
    warnings = []
    if plan.index_url and "/cu" in plan.index_url and devices is not None:
        if not any(d.id.startswith("cuda") and d.ok for d in devices.devices):
            warnings.append(
                tr(
                    "A CUDA build of torch was installed but it cannot use the "
                    "GPU; TerraMind will run on the CPU. Update the NVIDIA "
                    "driver, then run the set-up again."
                )
            )
    return devices, tuple(warnings)
