"""Calibrate this machine's speed once, in the background, for the dock's pre-flight estimate.

The measured float32 matmul rate (``core.device.measure_matmul_gflops``) is stored in the
``CALIBRATION`` setting as ``"<device type>:<GFLOP/s>"`` and turned into seconds by ``core.estimate``.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Callable

from qgis.core import QgsApplication, QgsTask

from ..adapters import settings

log = logging.getLogger(__name__)


def device_type(device: str) -> str:
    """``cpu``, ``cuda`` or ``mps`` of a settings/spec device; ``auto`` counts as the GPU if one is known."""
    device = (device or "auto").split(":")[0]
    return device if device != "auto" else _auto_type()


def _auto_type() -> str:
    stored = settings.CALIBRATION.value().split(":")[0]
    return stored or "cpu"


def calibrated_gflops(device: str) -> float | None:
    """The stored matmul rate for ``device``'s type, or ``None`` when it was not measured yet."""
    kind, _, rate = settings.CALIBRATION.value().partition(":")
    if not rate or kind != device_type(device):
        return None
    try:
        return float(rate)
    except ValueError:
        return None


class CalibrationTask(QgsTask):
    """Measure the matmul rate of ``device`` in a worker thread (torch is imported there, not on the GUI)."""

    def __init__(self, device: str, on_done: Callable[[], None] | None = None) -> None:
        super().__init__(QgsApplication.translate("TerraMind", "TerraMind: measuring this computer's speed"))
        self.device = device
        self.on_done = on_done
        self.gflops: float | None = None
        self.kind = "cpu"

    def run(self) -> bool:
        from ...core.device import measure_matmul_gflops, resolve_device

        try:
            self.kind = resolve_device(self.device).type
            self.gflops = measure_matmul_gflops(self.device, typical=True)
        except Exception:
            log.warning(
                "Speed calibration on %s failed; estimates use a typical speed", self.device, exc_info=True
            )
            return False
        return True

    def finished(self, ok: bool) -> None:
        if ok and self.gflops:
            settings.CALIBRATION.set_value(f"{self.kind}:{self.gflops:.1f}")
            log.info("This computer multiplies matrices at %.0f GFLOP/s on %s", self.gflops, self.kind)
        if self.on_done is not None:
            self.on_done()


def start_calibration(device: str, on_done: Callable[[], None] | None = None) -> CalibrationTask | None:
    """Start a background calibration unless one is stored for ``device`` or torch cannot load here."""
    if calibrated_gflops(device) is not None or importlib.util.find_spec("torch") is None:
        return None
    task = CalibrationTask(device, on_done)
    QgsApplication.taskManager().addTask(task)
    return task
