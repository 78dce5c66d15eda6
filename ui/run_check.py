"""Before a dock run: the pre-flight checks of the dock's choices and the estimate (tiles, time, disk space)
shown in its run controls; this computer's speed is measured once in the background for the estimate."""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

from qgis.core import QgsProcessingUtils
from qgis.PyQt.QtCore import QObject

from ..bridge.adapters import settings
from ..bridge.runtime.calibration import calibrated_rates, start_calibration
from ..bridge.runtime.deps import check_dependencies
from ..core.errors import TerraMindError
from ..core.jobs import validate_spec
from . import preflight
from .widgets.area import DRAWN

if TYPE_CHECKING:
    from .dock import TerraMindDock


class RunCheck(QObject):
    """Checks the choices of ``dock`` and shows the outcome and the estimate in its run controls."""

    def __init__(self, dock: TerraMindDock) -> None:
        super().__init__(dock)
        self.dock = dock
        self._calibration = None  # background speed measurement (bridge.runtime.calibration)

    def check(self) -> preflight.Preflight:
        """Run the pre-flight checks on the current choices (no spec needed)."""
        dock = self.dock
        if dock.uses_fine_tuned_model():
            return self._check_dated()
        layers = dock.chosen_layers()
        result = preflight.check_layers(layers, {role: dock.pickers[role].mapping() for role in layers})
        if result.errors:
            return result
        result.errors += self._check_area(layers[preflight.reference_role(list(layers))])
        result.errors += preflight.check_task(
            dock.current_task(), list(layers), dock.task_form.output_modality()
        )
        result.errors += preflight.check_output_folder(dock.output.folder())
        return result

    def _check_dated(self) -> preflight.Preflight:
        """Pre-flight of a fine-tuned model: the first date's layer (the grid), the area, the folder; the
        rows and the model files are checked when the spec is built."""
        result = preflight.Preflight([], [])
        reference = self.dock.dated.first_layer()
        if reference is None:
            result.errors.append(self.tr("Choose the Sentinel-2 L2A and Sentinel-1 RTC layers of each date."))
            return result
        result.errors += self._check_area(reference)
        result.errors += preflight.check_output_folder(self.dock.output.folder())
        return result

    def _check_area(self, reference) -> list[str]:
        """The area's problems against the grid-defining layer ``reference``."""
        area = self.dock.area
        drawn_missing = area.mode() == DRAWN and not area.has_drawn_rectangle()
        try:
            return preflight.check_area(area.area(), reference, drawn_missing)
        except TerraMindError as exc:  # an empty map extent or one without a CRS
            return [str(exc)]

    def show(self) -> list[str]:
        """Show the pre-flight errors, warnings and estimate in the panel; return the errors."""
        dock = self.dock
        result = self.check()
        if not settings.WORKER_PYTHON.value():  # jobs run in QGIS's Python: it needs torch & co
            report = check_dependencies()
            if not report.ok:
                result.errors.append(report.message())
        if result.errors:
            dock.controls.show_summary(result.errors, [])
            return result.errors
        try:
            spec = dock.build_spec(tempfile.gettempdir(), "estimate")
            validate_spec(spec)
        except TerraMindError as exc:
            dock.controls.show_summary([str(exc)], [])
            return [str(exc)]
        errors, warnings = preflight.check_weights(spec)
        rates = calibrated_rates(spec.device)
        folder = dock.output.folder() or QgsProcessingUtils.tempFolder()
        limit_errors, limit_warnings = preflight.limit_messages(spec, folder, rates)
        errors, warnings = errors + limit_errors, warnings + limit_warnings
        if rates is None and self._calibration is None and not settings.WORKER_PYTHON.value():
            self._calibration = start_calibration(spec.device, on_done=self._calibrated)
        dock.controls.show_summary(
            errors,
            [self.tr("⚠ {0}").format(w) for w in result.warnings + warnings]
            + [preflight.estimate_text(spec, rates)],
        )
        return errors

    def _calibrated(self) -> None:
        """Show the estimate again with this computer's measured speed (main thread)."""
        self._calibration = None
        if not self.dock.busy() and calibrated_rates(self.dock.devices.device()) is not None:
            self.show()

    def shutdown(self) -> None:
        """A calibration that finishes after the widgets are gone calls nothing."""
        if self._calibration is not None:
            self._calibration.on_done = None
