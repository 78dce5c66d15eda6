"""Why a pip run failed, from its output: the cause and what the user can do about it.

Used by ``bridge/installer.py``. Patterns are plain substrings of pip's (and the OS's) messages; the
first kind whose pattern occurs wins, so the decisive causes come first: a resolver conflict is often
accompanied by network warnings from an unreachable extra index.
"""

from __future__ import annotations

# (kind, patterns in pip's output, message). The first kind whose pattern matches wins.
_FAILURES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "no_pip",
        ("No module named pip",),
        "QGIS's Python has no pip. Install pip for it (Linux: the python3-pip package), or choose an "
        "existing Python environment that has torch.",
    ),
    (
        "conflict",
        ("ResolutionImpossible", "conflicting dependencies", "Cannot install "),
        "The packages TerraMind needs conflict with packages QGIS ships (which are never upgraded, to keep "
        "QGIS working). Use an existing Python environment (conda or venv) with torch instead.",
    ),
    (
        "permission",
        (
            "Permission denied",
            "[Errno 13]",
            "PermissionError",
            "Access is denied",
            "[WinError 5]",
            "Read-only file system",
            "[Errno 30]",
            "Operation not permitted",
        ),
        "No permission to write the private package folder. Check the rights on the QGIS profile folder or "
        "choose an existing Python environment.",
    ),
    (
        "disk_full",
        ("No space left on device", "[Errno 28]", "There is not enough space on the disk"),
        "The disk is full. torch needs about 1 GB (CPU build) to 5 GB (CUDA build); free some space and "
        "retry.",
    ),
    (
        "ssl",
        ("SSLError", "CERTIFICATE_VERIFY_FAILED", "SSL: "),
        "A secure connection to the package index failed (a proxy or firewall replacing certificates?). "
        "Ask your IT for the certificate, or run the manual command with --cert.",
    ),
    (
        "network",
        (
            "Failed to establish a new connection",
            "Max retries exceeded",
            "Temporary failure in name resolution",
            "Name or service not known",
            "ConnectionError",
            "Read timed out",
            "ProxyError",
            "Network is unreachable",
            "getaddrinfo failed",
        ),
        "The package index cannot be reached (no network, or a proxy is required). Check the connection or "
        "the proxy settings, or run the manual command on a machine that is online.",
    ),
    (
        "no_match",
        ("No matching distribution found", "Could not find a version that satisfies"),
        "pip found no build of a required package for this Python version and platform (or could not read "
        "the package index). Use an existing Python environment with torch instead.",
    ),
)


def classify_pip_failure(output: str) -> tuple[str, str]:
    """``(kind, message)`` for a failed pip run from its combined output."""
    for kind, patterns, message in _FAILURES:
        if any(p in output for p in patterns):
            return kind, message
    last = next((line for line in reversed(output.splitlines()) if line.strip()), "no output")
    return "unknown", f"pip failed: {last.strip()}"
