"""A copyable Markdown diagnostics report for bug reports: versions, packages, devices, settings.

The home folder is replaced by ``~`` in every path, so the report can be pasted into a public issue.
``build_report`` is pure (tested without QGIS); ``diagnostics_report`` collects the facts in QGIS.
"""

from __future__ import annotations

import configparser
import os
import platform
import sys
from collections.abc import Mapping
from pathlib import Path

from ...core.i18n import tr
from .deps import DependencyReport, DeviceReport, check_dependencies, private_site_dir

METADATA = Path(__file__).resolve().parents[2] / "metadata.txt"


def redact_home(text: str, home: str | None = None) -> str:
    """Replace the user's home folder (as written and with symlinks resolved) by ``~``."""
    home = home if home is not None else os.path.expanduser("~")
    variants = {home, os.path.realpath(home), home.replace("\\", "/"), home.replace("/", "\\")}
    for variant in sorted(
        (v.rstrip("/\\") for v in variants if len(v.rstrip("/\\")) > 1), key=len, reverse=True
    ):
        text = text.replace(variant, "~")
    return text


def plugin_version(path: Path = METADATA) -> str:
    """``version`` of ``metadata.txt`` ("unknown" when unreadable)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
        return parser.get("general", "version")
    except (OSError, configparser.Error):
        return tr("unknown")


def collect_environment() -> dict[str, str]:
    """Versions of the plugin, QGIS, Qt, GDAL, PROJ, Python and the OS (imports qgis)."""
    from qgis.core import Qgis, QgsProjUtils
    from qgis.PyQt.QtCore import PYQT_VERSION_STR, QT_VERSION_STR

    try:
        from osgeo import gdal

        gdal_version = gdal.__version__
    except ImportError:
        gdal_version = tr("not importable from Python")
    return {
        tr("Plugin"): plugin_version(),
        "QGIS": Qgis.QGIS_VERSION,
        "Qt / PyQt": f"{QT_VERSION_STR} / {PYQT_VERSION_STR}",  # no-i18n: product names
        "GDAL": gdal_version,
        "PROJ": f"{QgsProjUtils.projVersionMajor()}.{QgsProjUtils.projVersionMinor()}",
        "Python": f"{platform.python_version()} ({sys.executable})",
        "OS": f"{platform.platform()} ({platform.machine()})",
    }


def collect_settings() -> dict[str, object]:
    """Every plugin setting, key -> value."""
    from ..adapters.settings import ALL_KEYS

    return {key.name: key.value() for key in ALL_KEYS}


def _header(*names: str) -> list[str]:
    """A Markdown table header: the row of ``names`` and the separator row."""
    return ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]


def _table(rows: Mapping[str, object], *header: str) -> str:
    lines = _header(*header) + [f"| {k} | {_cell(v)} |" for k, v in rows.items()]
    return "\n".join(lines)


def _cell(value: object) -> str:
    text = tr("(empty)") if value in ("", None) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _devices_section(devices: DeviceReport | None) -> str:
    if devices is None:
        return tr("Not probed (open the About dialog and wait for the device check).")
    if devices.error:
        return tr("torch does not work: `{0}`").format(devices.error)
    lines = [
        tr("torch {0}, CUDA build: {1}").format(
            devices.torch_version, devices.cuda_build or tr("none (CPU build)")
        ),
        "",
        *_header(tr("device"), tr("name"), tr("memory"), tr("capability"), tr("test")),
    ]
    for d in devices.devices:
        memory = tr("{0:.1f} GiB").format(d.memory_bytes / 2**30) if d.memory_bytes else ""
        capability = ".".join(map(str, d.capability)) if d.capability else ""
        test = tr("ok") if d.ok else tr("failed: {0}").format(d.error)
        lines.append(f"| {d.id} | {_cell(d.name)} | {memory} | {capability} | {_cell(test)} |")
    return "\n".join(lines)


def _packages(deps: DependencyReport) -> str:
    missing = tr("missing")
    rows = _header(tr("package"), tr("version"), tr("location")) + [
        f"| {p.name} | {p.version or '?'} | {p.location} |"
        if p.importable
        else f"| {p.name} | **{missing}** | |"
        for p in deps.packages
    ]
    return "\n".join(rows)


def build_report(
    environment: Mapping[str, str],
    deps: DependencyReport,
    devices: DeviceReport | None,
    settings: Mapping[str, object],
    private_site: str | None,
    worker: DependencyReport | None = None,
    home: str | None = None,
) -> str:
    """The Markdown report with the home folder redacted.

    Args:
        environment: name -> version (``collect_environment()``).
        deps: the dependency check of QGIS's Python (or of the worker's).
        devices: the device probe, ``None`` when not run yet.
        settings: plugin settings (``collect_settings()``).
        private_site: the private package folder (whether it exists is reported).
        worker: the dependency check of the worker Python, when jobs run in one.
        home: home folder to redact (default: the user's).
    """
    exists = private_site and os.path.isdir(private_site)
    site = (
        tr("Private package folder: `{0}` (exists)")
        if exists
        else tr("Private package folder: `{0}` (not created)")
    )
    sections = [
        "# " + tr("TerraMind for QGIS: diagnostics"),
        _table(environment, tr("component"), tr("version")),
        "## " + tr("QGIS's Python packages ({0}, Python {1})").format(deps.python, deps.python_version),
        _packages(deps),
        site.format(private_site),
    ]
    if worker is not None:
        sections += [
            "## "
            + tr("Worker Python packages ({0}, Python {1})").format(worker.python, worker.python_version),
            _packages(worker),
        ]
    sections += [
        "## " + (tr("Devices (worker Python)") if worker is not None else tr("Devices")),
        _devices_section(devices),
        "## " + tr("Settings"),
        _table(settings, tr("setting"), tr("value")),
    ]
    return redact_home("\n\n".join(sections) + "\n", home)


def diagnostics_report(devices: DeviceReport | None = None, worker: DependencyReport | None = None) -> str:
    """Collect everything in QGIS and build the report (cheap: no torch import).

    Args:
        devices: result of the device probe (``deps.probe_python``), if it has run.
        worker: package check of the worker Python, if jobs run in one.
    """
    return build_report(
        collect_environment(),
        check_dependencies(),
        devices,
        collect_settings(),
        str(private_site_dir()),
        worker,
    )
