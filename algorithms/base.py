"""Parameters shared by every TerraMind algorithm (they mirror ``JobSpec``), parameters -> spec, and the run.

Subclasses only say what they produce: ``task``, their raster outputs and help text (docs/architecture.md §3).
``processAlgorithm`` runs in Processing's background thread (the no-threading flag is never set): it builds a
``JobSpec``, runs it like the dock does (``core.pipeline.run_job`` in process, or in the worker Python
chosen in the settings) with feedback-driven progress and cancel, and styles the outputs QGIS loads
with the ``.qml`` written by core.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import threading
import traceback
from collections.abc import Iterator
from typing import Any, Callable

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtGui import QIcon

from ..bridge.adapters import settings
from ..bridge.adapters.layers import area_from_rectangle, gdal_read_error, input_from_layer
from ..bridge.adapters.task import run_in_process
from ..bridge.runtime.calibration import calibrated_rates
from ..bridge.runtime.deps import check_dependencies
from ..bridge.runtime.worker import runner_from_settings
from ..core.errors import InputError, JobCancelled, TerraMindError
from ..core.i18n import tr
from ..core.jobs import (
    DEVICES,
    LIMITS,
    MODALITIES,
    MODEL_SIZES,
    PRECISIONS,
    CancelCheck,
    JobResult,
    JobSpec,
    ProgressCallback,
    Task,
)
from ..core.products import PRODUCTS, ROLES, TASKS
from .styling import style_on_load

log = logging.getLogger(__name__)

ICON_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "icon.svg")
HELP_URL = "https://github.com/terramind-qgis/terramind_qgis#processing-and-qgis_process"

INPUT_PREFIX = "INPUT_"
BANDS = "BANDS"
EXTENT = "EXTENT"
MODEL_SIZE = "MODEL_SIZE"
WEIGHTS_DIR = "WEIGHTS_DIR"
OFFLINE = "OFFLINE"
DEVICE = "DEVICE"
PRECISION = "PRECISION"
BATCH_SIZE = "BATCH_SIZE"
TILE_SIZE = "TILE_SIZE"
OVERLAP = "OVERLAP"
TIMESTEPS = "TIMESTEPS"
SEED = "SEED"
ALLOW_LARGE_JOB = "ALLOW_LARGE_JOB"


def parse_band_mapping(text: str) -> dict[str, tuple[int, ...]]:
    """Parse ``"S2L2A: 1,2,3,4,5,6,7,8,9,10,11,12; S1GRD: 2,1"`` into modality -> 1-based band numbers.

    Entries are separated by ``;`` or new lines; ``=`` may replace ``:``. An empty text means "guess".

    Raises:
        InputError: an entry is malformed, names an unknown modality, or repeats one.
    """
    mapping: dict[str, tuple[int, ...]] = {}
    for entry in filter(None, (e.strip() for e in re.split(r"[;\n]", text or ""))):
        match = re.fullmatch(r"([A-Za-z0-9]+)\s*[:=]\s*([0-9,\s]+)", entry)
        if match is None:
            raise InputError(
                tr(
                    "Band mapping entry '{0}' is not of the form 'MODALITY: 1,2,3' (e.g. 'S1GRD: 1,2')."
                ).format(entry)
            )
        modality = match.group(1).upper()
        if modality not in MODALITIES:
            raise InputError(
                tr("Band mapping names unknown modality '{0}'; valid: {1}.").format(
                    modality, ", ".join(MODALITIES)
                )
            )
        if modality in mapping:
            raise InputError(tr("Band mapping gives modality '{0}' twice.").format(modality))
        mapping[modality] = tuple(int(b) for b in match.group(2).replace(",", " ").split())
    return mapping


class PluginAlgorithm(QgsProcessingAlgorithm):
    """Identity shared by every algorithm of the provider: id, icon, help link, help text, new instance; and
    how a run ends for Processing (``run_reported``).

    The help text is the algorithm's own ``_help`` followed by its family's ``_common_help``.
    """

    algorithm_id = ""

    def name(self) -> str:
        return self.algorithm_id

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def helpUrl(self) -> str:
        return HELP_URL

    def shortHelpString(self) -> str:
        return self._help() + "\n\n" + self._common_help()

    def _help(self) -> str:
        raise NotImplementedError

    def _common_help(self) -> str:
        raise NotImplementedError

    def createInstance(self) -> PluginAlgorithm:
        return type(self)()

    def _missing_package(self, exc: ImportError) -> str:
        """What to tell the user when a package the run needs cannot be imported."""
        raise NotImplementedError

    def run_reported(
        self, job: Callable[[CancelCheck], JobResult], feedback: QgsProcessingFeedback
    ) -> JobResult | None:
        """Run ``job(is_cancelled)`` and turn how it ended into what Processing shows.

        SIGINT and SIGTERM cancel it where it blocks the main thread (``qgis_process``). Errors become a
        ``QgsProcessingException`` with core's message. A cancel (the job removed its files) ends as
        ``cancelled_run`` says; ``None`` then means "return no outputs".
        """
        try:
            with _stop_on_signals(feedback.cancel) as stopped:
                return job(lambda: feedback.isCanceled() or stopped.is_set())
        except JobCancelled:
            cancelled_run(feedback)
            return None
        except TerraMindError as exc:
            raise QgsProcessingException(str(exc)) from exc
        except ImportError as exc:
            raise QgsProcessingException(self._missing_package(exc)) from exc
        except Exception as exc:
            feedback.reportError(traceback.format_exc())
            raise QgsProcessingException(
                tr("Unexpected error: {0}: {1}").format(type(exc).__name__, exc)
            ) from exc


def progress_to(feedback: QgsProcessingFeedback) -> ProgressCallback:
    """A job's ``progress(fraction, message)`` shown by Processing: the percentage, and each new message."""
    state = {"message": ""}

    def progress(fraction: float, message: str) -> None:
        feedback.setProgress(100.0 * min(max(float(fraction), 0.0), 1.0))
        if message and message != state["message"]:
            state["message"] = message
            feedback.setProgressText(message)

    return progress


def cancelled_run(feedback: QgsProcessingFeedback) -> None:
    """End a run the user cancelled, once its files are removed (docs/processing-cancel.md).

    In a Processing task (the algorithm dialog, QGIS 3.40's batch dialog) the run says so as a warning and
    returns no outputs: QGIS then ends the task as cancelled ("Execution canceled" in the batch log) without
    an error of ours in red or in the message log. On the main thread (``qgis_process``, ``processing.run``
    in a script or the console, QGIS 3.22's batch loop) only an exception stops the caller: ``qgis_process``
    exits with 1 instead of 0 and a script does not go on with outputs that do not exist.

    Raises:
        QgsProcessingException: on the main thread.
    """
    message = tr("Cancelled; no output was written.")
    if threading.current_thread() is threading.main_thread():
        raise QgsProcessingException(message)
    feedback.pushWarning(message)


class TerraMindAlgorithm(PluginAlgorithm):
    """Base of the TerraMind algorithms. Subclasses set the class attributes below and ``_help``."""

    task: Task = Task.LULC
    outputs: tuple[tuple[str, str], ...] = ()  # (parameter name, output kind); titles from core.products

    @property
    def generative(self) -> bool:
        """The task samples tokens / runs diffusion (exposes the diffusion steps)."""
        return TASKS[self.task].generative

    # ----- identity -------------------------------------------------------------------------------------
    def displayName(self) -> str:
        return tr(TASKS[self.task].title)

    def group(self) -> str:
        return tr("Generation") if self.generative else tr("Embeddings")

    def groupId(self) -> str:
        return "generation" if self.generative else "embeddings"

    def _common_help(self) -> str:
        return tr(
            "Give at least one input raster; the optical one (S2 or RGB) defines the output grid and the "
            "others are warped onto it. Large scenes are processed in overlapping tiles. Weights are "
            "downloaded from Hugging Face on first use and cached; set a local weights folder for "
            "offline use. Needs the Python package torch."
        )

    # ----- parameters -----------------------------------------------------------------------------------
    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self._add_inputs()
        self._add_task_parameters()
        self._add_model_parameters()
        self._add_run_parameters()
        optional = TASKS[self.task].any_output  # any one output is enough; each is still created by default
        for name, kind in self.outputs:
            title = tr(PRODUCTS[kind].title) if kind in PRODUCTS else tr("Generated modality")
            self.addParameter(QgsProcessingParameterRasterDestination(name, title, None, optional))

    def _add_inputs(self) -> None:
        """One optional raster per modality, the band mapping and the area."""
        for modality in MODALITIES:
            p = QgsProcessingParameterRasterLayer(
                INPUT_PREFIX + modality, tr(ROLES[modality].description), optional=True
            )
            p.setHelp(tr("Raster layer or file used as the {0} input.").format(modality))
            self.addParameter(p)
        self._add(
            QgsProcessingParameterString(BANDS, tr("Band mapping"), "", multiLine=False, optional=True),
            tr(
                "Optional 1-based band numbers per modality in the pretrained order, e.g. 'S1GRD: 2,1'. "
                "Empty: guessed from band descriptions and count."
            ),
            advanced=True,
        )
        self._add(
            QgsProcessingParameterExtent(EXTENT, tr("Area (extent)"), optional=True),
            tr("Process only this area; empty: the whole extent of the grid-defining input."),
        )

    def _add_model_parameters(self) -> None:
        """Model size (a fine-tuned model has its own), weights and device."""
        if TASKS[self.task].model != "task":
            self._add(
                QgsProcessingParameterEnum(MODEL_SIZE, tr("Model size"), list(MODEL_SIZES), defaultValue=0),
                tr("TerraMind 1.0 variant: tiny is fastest (212 MB), base and large give better results."),
            )
        self._add(
            QgsProcessingParameterFile(
                WEIGHTS_DIR,
                tr("Local weights folder"),
                QgsProcessingParameterFile.Behavior.Folder,
                optional=True,
            ),
            tr(
                "Folder holding the checkpoint files under their official names (TerraMind_v1_tiny.pt, "
                "TerraMind_Tokenizer_LULC.pt, ...). Empty: the folder from the plugin settings, else Hugging "
                "Face."
            ),
        )
        self._add(
            QgsProcessingParameterBoolean(OFFLINE, tr("Offline (never download)"), defaultValue=False),
            tr("Use only cached or local checkpoint files."),
            advanced=True,
        )
        self._add(
            QgsProcessingParameterEnum(DEVICE, tr("Device"), list(DEVICES), defaultValue=0),
            tr("auto picks CUDA, then MPS, then CPU."),
            advanced=True,
        )
        self._add(
            QgsProcessingParameterEnum(PRECISION, tr("Precision"), list(PRECISIONS), defaultValue=0),
            tr(
                "auto: bfloat16 on a CUDA GPU that supports it and on a CPU that computes it natively "
                "(AVX512-BF16 or AMX-BF16), float32 elsewhere."
            ),
            advanced=True,
        )

    def _add_run_parameters(self) -> None:
        """Batching, tiling, diffusion steps and seed."""
        self._add_int(
            BATCH_SIZE, tr("Batch size (tiles per pass)"), tr("Halved automatically on out-of-memory.")
        )
        self._add_int(TILE_SIZE, tr("Tile size (pixels)"), tr("Model window; a multiple of 32."))
        self._add_int(OVERLAP, tr("Tile overlap (pixels)"), tr("Overlap blended between neighbouring tiles."))
        if self.generative:
            self._add_int(TIMESTEPS, tr("Diffusion steps"), tr("DDIM steps of the diffusion decoders."))
        self._add_int(SEED, tr("Seed"), tr("Same seed and inputs give the same output."))
        self._add(
            QgsProcessingParameterBoolean(ALLOW_LARGE_JOB, tr("Allow large jobs"), defaultValue=False),
            tr(
                "Run a job above the pre-flight limits (several hours or "
                "tens of thousands of tiles); without "
                "it such a job is refused before it starts."
            ),
            advanced=True,
        )

    def _add_task_parameters(self) -> None:
        """Hook for task-specific parameters (the modality to generate)."""

    def _add(self, param: QgsProcessingParameterDefinition, help_text: str, advanced: bool = False) -> None:
        param.setHelp(help_text)
        if advanced:
            param.setFlags(param.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(param)

    def _add_int(self, name: str, title: str, help_text: str) -> None:
        """An integer parameter with the default and range of ``core.jobs.LIMITS[name.lower()]``."""
        limit = LIMITS[name.lower()]
        param = QgsProcessingParameterNumber(
            name,
            title,
            QgsProcessingParameterNumber.Type.Integer,
            TASKS[self.task].default(name.lower(), limit.default),
            False,
            limit.low,
            limit.high,
        )
        self._add(param, help_text, advanced=name not in (SEED, TIMESTEPS))

    def checkParameterValues(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> tuple[bool, str]:
        if not any(parameters.get(INPUT_PREFIX + m) not in (None, "") for m in MODALITIES):
            return False, tr("Give at least one input raster (for example a Sentinel-2 L2A layer).")
        for modality in MODALITIES:  # an existing file QGIS cannot load: say why, not "not found"
            value = parameters.get(INPUT_PREFIX + modality)
            if isinstance(value, str) and os.path.isfile(value):
                reason = gdal_read_error(value)
                if reason is not None:
                    return False, tr(
                        "Input {0}: the file {1} exists but GDAL cannot read it ({2}). Check that it is a "
                        "complete raster file (e.g. not still downloading) of a format GDAL supports."
                    ).format(INPUT_PREFIX + modality, value, reason)
        try:
            parse_band_mapping(self.parameterAsString(parameters, BANDS, context))
        except InputError as exc:
            return False, str(exc)
        return super().checkParameterValues(parameters, context)

    def _missing_package(self, exc: ImportError) -> str:
        text = tr("TerraMind cannot run: {0}. Install torch (see the plugin's README, 'Requirements').")
        return text.format(exc)

    def canExecute(self):
        """Runnable when QGIS's Python has torch & co, or when jobs go to a worker Python (settings)."""
        if settings.WORKER_PYTHON.value():
            return True, ""
        report = check_dependencies()
        return (True, "") if report.ok else (False, report.message())

    # ----- run --------------------------------------------------------------------------------------------
    def processAlgorithm(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        from ..core.estimate import check_limits  # numpy & co: imported when a run starts

        try:
            spec = self.build_spec(parameters, context)
            allow = self.parameterAsBool(parameters, ALLOW_LARGE_JOB, context)
            hint = tr("set {0}=true (Allow large jobs)").format(ALLOW_LARGE_JOB)
            for warning in check_limits(spec, allow, hint, calibrated_rates(spec.device)):
                feedback.pushWarning(warning)
        except TerraMindError as exc:
            raise QgsProcessingException(str(exc)) from exc
        runner = runner_from_settings() or run_in_process
        result = self.run_reported(lambda cancelled: runner(spec, progress_to(feedback), cancelled), feedback)
        if result is None:
            return {}
        for warning in result.warnings:
            feedback.pushWarning(warning)
        outputs = {}
        for name, kind in self._output_kinds(parameters, context):
            path = result.outputs.get(kind)
            if path:
                style_on_load(context, path, kind, result.styles.get(kind))
                outputs[name] = path
        return outputs

    def build_spec(self, parameters: dict[str, Any], context: QgsProcessingContext) -> JobSpec:
        """Turn the parameter values into a ``JobSpec``.

        Raises:
            InputError: no input, a bad band mapping, an unusable layer or extent.
        """
        return JobSpec(
            task=self.task,
            outputs=self._output_paths(parameters, context),
            output_modality=self._output_modality(parameters, context),
            **self._input_fields(parameters, context),
            **self._run_fields(parameters, context),
        )

    def _input_fields(self, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, Any]:
        """The ``JobSpec`` input fields: one raster per modality with the band mapping."""
        mapping = parse_band_mapping(self.parameterAsString(parameters, BANDS, context))
        inputs = []
        for modality in MODALITIES:
            layer = self.parameterAsRasterLayer(parameters, INPUT_PREFIX + modality, context)
            if layer is not None:
                inputs.append(input_from_layer(layer, modality, mapping.pop(modality, None)))
        if not inputs:
            raise InputError(tr("Give at least one input raster (for example a Sentinel-2 L2A layer)."))
        if mapping:
            raise InputError(
                tr("Band mapping given for {0}, but no such input layer was set.").format(", ".join(mapping))
            )
        return {"inputs": tuple(inputs)}

    def _run_fields(self, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, Any]:
        """The ``JobSpec`` fields of the area, the model source, the device and the run options."""
        area = None
        if parameters.get(EXTENT) not in (None, ""):
            area = area_from_rectangle(
                self.parameterAsExtent(parameters, EXTENT, context),
                self.parameterAsExtentCrs(parameters, EXTENT, context),
            )
        weights_dir = self.parameterAsFile(parameters, WEIGHTS_DIR, context) or settings.WEIGHTS_DIR.value()
        return dict(
            area=area,
            model_size=MODEL_SIZES[self.parameterAsEnum(parameters, MODEL_SIZE, context)],
            weights_dir=os.path.abspath(weights_dir) if weights_dir else None,
            cache_dir=settings.CACHE_DIR.value() or None,
            offline=self.parameterAsBool(parameters, OFFLINE, context) or settings.OFFLINE.value(),
            device=DEVICES[self.parameterAsEnum(parameters, DEVICE, context)],
            precision=PRECISIONS[self.parameterAsEnum(parameters, PRECISION, context)],
            batch_size=self.parameterAsInt(parameters, BATCH_SIZE, context),
            tile_size=self.parameterAsInt(parameters, TILE_SIZE, context),
            overlap=self.parameterAsInt(parameters, OVERLAP, context),
            timesteps=(
                self.parameterAsInt(parameters, TIMESTEPS, context)
                if self.generative
                else LIMITS["timesteps"].default
            ),
            seed=self.parameterAsInt(parameters, SEED, context),
        )

    def _output_modality(self, parameters: dict[str, Any], context: QgsProcessingContext) -> str | None:
        """The modality for ``Task.GENERATE``; ``None`` for the other tasks."""
        return None

    def _output_kinds(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> list[tuple[str, str]]:
        """(parameter name, output kind) of each raster output."""
        return list(self.outputs)

    def _output_paths(self, parameters: dict[str, Any], context: QgsProcessingContext) -> dict[str, str]:
        paths = {}
        for name, kind in self._output_kinds(parameters, context):
            path = self.parameterAsOutputLayer(parameters, name, context)
            if not path:
                continue
            if not path.lower().endswith((".tif", ".tiff")):
                raise InputError(tr("Output '{0}' must be a GeoTIFF (.tif), got '{1}'.").format(name, path))
            paths[kind] = os.path.abspath(path)
        if not paths:
            raise InputError(tr("Choose at least one output file."))
        return paths


@contextlib.contextmanager
def _stop_on_signals(cancel: Callable[[], None]) -> Iterator[threading.Event]:
    """While a run blocks the main thread (``qgis_process``), SIGINT and SIGTERM cancel it: the job stops at
    its next check and removes its files. Elsewhere (Processing's background thread) nothing changes."""
    stopped = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stopped
        return

    def handler(signum: int, _frame: Any) -> None:
        log.warning("Signal %s received: cancelling the TerraMind run", signum)
        stopped.set()
        cancel()

    signals = [signal.SIGINT, signal.SIGTERM]
    previous = {s: signal.signal(s, handler) for s in signals}
    try:
        yield stopped
    finally:
        for s, old in previous.items():
            signal.signal(s, old if old is not None else signal.SIG_DFL)
