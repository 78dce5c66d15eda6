"""Calibrate this machine's speed once, in the background, for the dock's pre-flight estimate.

The measured matmul rates (``core.device.measure_matmul_rates``: float32, and the precision ``auto`` picks
on the device) are stored in the ``CALIBRATION`` setting as JSON, ``{"device": "cpu", "auto": "bfloat16",
"gflops": {"float32": 259.0, "bfloat16": 881.0}}``, and turned into seconds by ``core.estimate``. A value
in another form (older versions stored ``"cpu:259.0"``) counts as not calibrated.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from typing import Callable

from qgis.core import QgsApplication, QgsTask

from ...core.device import MatmulRates
from ..adapters import settings

log = logging.getLogger(__name__)


def device_type(device: str) -> str:
    """``cpu``, ``cuda`` or ``mps`` of a settings/spec device; ``auto`` counts as the GPU if one is known."""
    device = (device or "auto").split(":")[0]
    return device if device != "auto" else _auto_type()


def _auto_type() -> str:
    stored = _stored()
    return stored[0] if stored else "cpu"


def _stored() -> tuple[str, MatmulRates] | None:
    """The stored ``(device type, rates)``, or ``None`` when nothing valid is stored."""
    try:
        value = json.loads(settings.CALIBRATION.value() or "null")
        gflops = {str(k): float(v) for k, v in value["gflops"].items()}
        rates = MatmulRates(gflops, str(value["auto"]))
        if "float32" not in gflops:
            return None
        return str(value["device"]), rates
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def calibrated_rates(device: str) -> MatmulRates | None:
    """The stored matmul rates for ``device``'s type, or ``None`` when they were not measured yet."""
    stored = _stored()
    if stored is None or stored[0] != device_type(device):
        return None
    return stored[1]


class CalibrationTask(QgsTask):
    """Measure the matmul rate of ``device`` in a worker thread (torch is imported there, not on the GUI)."""

    def __init__(self, device: str, on_done: Callable[[], None] | None = None) -> None:
        super().__init__(QgsApplication.translate("TerraMind", "TerraMind: measuring this computer's speed"))
        self.device = device
        self.on_done = on_done
        self.rates: MatmulRates | None = None
        self.kind = "cpu"

    def run(self) -> bool:
        from ...core.device import measure_matmul_rates, resolve_device

        try:
            self.kind = resolve_device(self.device).type
            self.rates = measure_matmul_rates(self.device)
        except Exception:
            log.warning(
                "Speed calibration on %s failed; estimates use a typical speed", self.device, exc_info=True
            )
            return False
        return True

    def finished(self, ok: bool) -> None:
        if ok and self.rates:
            gflops = {k: round(v, 1) for k, v in self.rates.gflops.items()}
            value = {"device": self.kind, "auto": self.rates.auto, "gflops": gflops}
            settings.CALIBRATION.set_value(json.dumps(value))
            rates = ", ".join(f"{k} {v:.0f} GFLOP/s" for k, v in gflops.items())
            log.info("This computer multiplies matrices on %s at %s", self.kind, rates)
        if self.on_done is not None:
            self.on_done()


def start_calibration(device: str, on_done: Callable[[], None] | None = None) -> CalibrationTask | None:
    """Start a background calibration unless one is stored for ``device`` or torch cannot load here."""
    if calibrated_rates(device) is not None or importlib.util.find_spec("torch") is None:
        return None
    task = CalibrationTask(device, on_done)
    QgsApplication.taskManager().addTask(task)
    return task
