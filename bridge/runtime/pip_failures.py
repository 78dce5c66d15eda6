"""Why a pip run failed, from its output: the cause and what the user can do about it.

Used by ``bridge/installer.py``. Patterns are plain substrings of pip's (and the OS's) messages; the
first kind whose pattern occurs wins, so the decisive causes come first: a resolver conflict is often
accompanied by network warnings from an unreachable extra index.
"""

from __future__ import annotations

from ...core.i18n import QT_TR_NOOP, tr

# (kind, patterns in pip's output, message). The first kind whose pattern matches wins. The patterns are
# pip's own English output (marked no-i18n: they are matched, never shown); the messages are translated when
# returned.
_FAILURES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "no_pip",
        ("No module named pip",),  # no-i18n: pip's output
        QT_TR_NOOP(
            "QGIS's Python has no pip. Install pip for it (Linux: the python3-pip package), or choose an "
            "existing Python environment that has torch."
        ),
    ),
    (
        "conflict",
        ("ResolutionImpossible", "conflicting dependencies", "Cannot install "),  # no-i18n: pip's output
        QT_TR_NOOP(
            "The packages TerraMind needs conflict with packages QGIS ships (which are never upgraded, to "
            "keep QGIS working). Use an existing Python environment (conda or venv) with torch instead."
        ),
    ),
    (
        "permission",
        (
            "Permission denied",  # no-i18n: pip's output
            "[Errno 13]",  # no-i18n: pip's output
            "PermissionError",  # no-i18n: pip's output
            "Access is denied",  # no-i18n: pip's output
            "[WinError 5]",  # no-i18n: pip's output
            "Read-only file system",  # no-i18n: pip's output
            "[Errno 30]",  # no-i18n: pip's output
            "Operation not permitted",  # no-i18n: pip's output
        ),
        QT_TR_NOOP(
            "No permission to write the private package folder. Check the rights on the QGIS profile folder "
            "or choose an existing Python environment."
        ),
    ),
    (
        "disk_full",
        (
            "No space left on device",  # no-i18n: pip's output
            "[Errno 28]",  # no-i18n: pip's output
            "There is not enough space on the disk",  # no-i18n: pip's output
        ),
        QT_TR_NOOP(
            "The disk is full. torch needs about 1 GB (CPU build) to 5 GB (CUDA build); free some space and "
            "retry."
        ),
    ),
    (
        "ssl",
        ("SSLError", "CERTIFICATE_VERIFY_FAILED", "SSL: "),  # no-i18n: pip's output
        QT_TR_NOOP(
            "A secure connection to the package index failed (a proxy or firewall replacing certificates?). "
            "Ask your IT for the certificate, or run the manual command with --cert."
        ),
    ),
    (
        "network",
        (
            "Failed to establish a new connection",  # no-i18n: pip's output
            "Max retries exceeded",  # no-i18n: pip's output
            "Temporary failure in name resolution",  # no-i18n: pip's output
            "Name or service not known",  # no-i18n: pip's output
            "ConnectionError",  # no-i18n: pip's output
            "Read timed out",  # no-i18n: pip's output
            "ProxyError",  # no-i18n: pip's output
            "Network is unreachable",  # no-i18n: pip's output
            "getaddrinfo failed",  # no-i18n: pip's output
        ),
        QT_TR_NOOP(
            "The package index cannot be reached (no network, or a proxy is required). Check the connection "
            "or the proxy settings, or run the manual command on a machine that is online."
        ),
    ),
    (
        "no_match",
        (
            "No matching distribution found",  # no-i18n: pip's output
            "Could not find a version that satisfies",  # no-i18n: pip's output
        ),
        QT_TR_NOOP(
            "pip found no build of a required package for this Python version and platform (or could not "
            "read the package index). Use an existing Python environment with torch instead."
        ),
    ),
)


def classify_pip_failure(output: str) -> tuple[str, str]:
    """``(kind, message)`` for a failed pip run from its combined output."""
    for kind, patterns, message in _FAILURES:
        if any(p in output for p in patterns):
            return kind, tr(message)
    last = next((line for line in reversed(output.splitlines()) if line.strip()), tr("no output"))
    return "unknown", tr("pip failed: {0}").format(last.strip())
