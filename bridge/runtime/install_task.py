"""``InstallTask``: the private-folder install (``bridge/installer.py``) as a cancellable QgsTask.

pip runs with QGIS's proxy settings (Settings > Options > Network) unless the environment already
names a proxy, so installs work behind a corporate proxy without extra steps.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from urllib.parse import quote

from qgis.core import QgsSettings, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ...core.errors import JobCancelled
from ...core.i18n import tr
from .installer import InstallError, InstallPlan, InstallResult, run_install

log = logging.getLogger(__name__)

#: QGIS proxy types pip can use (SOCKS needs an extra package pip does not ship).
_PROXY_TYPES = ("HttpProxy", "HttpCachingProxy", "DefaultProxy")


def pip_env(settings: QgsSettings | None = None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for pip: ``base`` (default ``os.environ``) plus QGIS's HTTP proxy, when one is enabled."""
    env = dict(os.environ if base is None else base)
    s = settings or QgsSettings()
    enabled = str(s.value("proxy/proxyEnabled", False)).lower() in ("true", "1")
    host = str(s.value("proxy/proxyHost", "") or "")
    kind = str(s.value("proxy/proxyType", "DefaultProxy") or "DefaultProxy")
    if not enabled or not host or kind not in _PROXY_TYPES or any(k.lower() == "https_proxy" for k in env):
        return env
    port = str(s.value("proxy/proxyPort", "") or "")
    user = str(s.value("proxy/proxyUser", "") or "")
    password = str(s.value("proxy/proxyPassword", "") or "")
    auth = f"{quote(user, safe='')}:{quote(password, safe='')}@" if user else ""
    url = f"http://{auth}{host}{':' + port if port and port != '0' else ''}"
    env["HTTP_PROXY"] = env["HTTPS_PROXY"] = url
    return env


class InstallTask(QgsTask):
    """``run_install`` as a cancellable background task.

    Signals: ``line(str)`` for each line of pip's output (queued to the main thread),
    ``succeeded(InstallResult)`` and ``failed(message, kind, output)`` from ``finished()`` (main thread).
    Keep a Python reference to the task until it has finished.
    """

    line = pyqtSignal(str)
    succeeded = pyqtSignal(object)
    failed = pyqtSignal(str, str, str)

    def __init__(self, plan: InstallPlan, description: str) -> None:
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.plan = plan
        self.result: InstallResult | None = None
        self.error: InstallError | None = None
        self.message = ""

    def run(self) -> bool:
        try:
            self.result = run_install(self.plan, self._progress, self.isCanceled, self.line.emit, pip_env())
            return True
        except JobCancelled:
            self.error = InstallError(
                tr("The installation was cancelled; nothing was changed."), kind="cancelled"
            )
        except InstallError as exc:
            self.error = exc
        except Exception as exc:
            log.exception("Unexpected error while installing the TerraMind dependencies")
            self.error = InstallError(tr("Unexpected error: {0}: {1}").format(type(exc).__name__, exc))
        return False

    def _progress(self, fraction: float, message: str) -> None:
        self.message = message
        self.setProgress(100.0 * fraction)

    def finished(self, result: bool) -> None:
        if result and self.result is not None:
            self.succeeded.emit(self.result)
        else:
            error = self.error or InstallError(
                tr("The installation was cancelled; nothing was changed."), "cancelled"
            )
            self.failed.emit(str(error), error.kind, error.output)
