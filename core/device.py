"""Device and precision choice, the autocast context, out-of-memory back-off and cancel points in the model.

torch is imported inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from .errors import InputError, JobCancelled, TerraMindError, is_out_of_memory
from .i18n import tr

log = logging.getLogger(__name__)

T = TypeVar("T")


def resolve_device(name: str) -> Any:
    """``torch.device`` for ``auto`` (cuda > mps > cpu), ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.

    Raises:
        InputError: the device is unknown or not available on this machine.
    """
    import torch

    name = (name or "auto").strip().lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(name)
    except RuntimeError as exc:
        raise InputError(
            tr("Unknown device {0!r}; use auto, cpu, cuda, cuda:N or mps.").format(name)
        ) from exc
    if device.type == "cuda":
        _check_cuda(device, name)
    elif device.type == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise InputError(
                tr("Device 'mps' was chosen but Apple Metal is not available; choose cpu or auto.")
            )
    elif device.type != "cpu":
        raise InputError(tr("Unsupported device {0!r}; use auto, cpu, cuda, cuda:N or mps.").format(name))
    return device


def _check_cuda(device: Any, name: str) -> None:
    """Raise ``InputError`` when the chosen CUDA device does not exist here."""
    import torch

    if not torch.cuda.is_available():
        raise InputError(
            tr("Device 'cuda' was chosen but this PyTorch has no usable CUDA GPU; choose cpu or auto.")
        )
    if device.index is not None and device.index >= torch.cuda.device_count():
        raise InputError(
            tr("Device {0!r} does not exist: this machine has {1} GPU(s).").format(
                name, torch.cuda.device_count()
            )
        )


#: CPU features that decide the automatic precision, as named in messages and benchmarks, with the
#: keys of ``torch.cpu.get_capabilities()``.
CPU_FEATURES = {"AVX2": "avx2", "AVX-512": "avx512_f", "AVX512-BF16": "avx512_bf16", "AMX-BF16": "amx_bf16"}
#: The features with which a CPU multiplies bfloat16 matrices natively (oneDNN uses them).
NATIVE_BF16_FEATURES = ("AVX512-BF16", "AMX-BF16")


def cpu_features() -> dict[str, bool]:
    """Which of ``CPU_FEATURES`` this CPU has, as torch detects them (cpuinfo, any operating system).

    Uses ``torch.cpu.get_capabilities()`` (torch 2.9+), else torch's older private probes; a feature torch
    cannot report counts as absent, so an unknown CPU keeps float32.
    """
    import torch

    get = getattr(torch.cpu, "get_capabilities", None)
    if get is not None:
        caps = get()
        return {name: bool(caps.get(key, False)) for name, key in CPU_FEATURES.items()}
    probes = {  # torch 2.1-2.8
        "AVX2": "_is_avx2_supported",
        "AVX-512": "_is_avx512_supported",
        "AVX512-BF16": "_is_avx512_bf16_supported",
        "AMX-BF16": "_is_amx_tile_supported",
    }
    return {name: bool(getattr(torch.cpu, fn, lambda: False)()) for name, fn in probes.items()}


def native_cpu_bfloat16() -> list[str]:
    """The features with which this CPU computes bfloat16 natively (empty: bfloat16 is emulated, slow)."""
    import torch

    mkldnn = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", None)
    if mkldnn is not None and not mkldnn():
        return []
    features = cpu_features()
    return [name for name in NATIVE_BF16_FEATURES if features[name]]


@dataclass(frozen=True)
class Precision:
    """The compute precision of a job and why it was chosen.

    Attributes:
        dtype: ``torch.float32``, ``torch.bfloat16`` or ``torch.float16``.
        reason: one sentence for the run log and the provenance tags.
    """

    dtype: Any
    reason: str

    @property
    def name(self) -> str:
        """``float32``, ``bfloat16`` or ``float16``."""
        return str(self.dtype).rpartition(".")[2]


def choose_precision(precision: str, device: Any, cpu_bfloat16: bool = True) -> Precision:
    """The compute precision for ``precision`` (auto, float32, bfloat16, float16) on ``device``.

    ``auto`` is bfloat16 on a CUDA GPU that supports it and on a CPU that computes it natively
    (AVX512-BF16 or AMX-BF16; docs/precision.md has the accuracy per model part), else float32: CPUs
    without them emulate bfloat16 at a fraction of the float32 speed. ``cpu_bfloat16=False`` keeps
    ``auto`` at float32 on every CPU, for models whose bfloat16 accuracy was not measured.

    Raises:
        InputError: unknown precision, or float16 on the CPU (not supported there).
    """
    import torch

    precision = (precision or "auto").lower()
    dtypes = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
    if precision != "auto":
        if precision not in dtypes:
            raise InputError(
                tr("Unknown precision {0!r}; use auto, float32, bfloat16 or float16.").format(precision)
            )
        if precision == "float16" and device.type == "cpu":
            raise InputError(tr("Precision float16 needs a GPU; choose float32 or bfloat16 on the CPU."))
        return Precision(dtypes[precision], tr("{0} was chosen in the job's options").format(precision))
    if device.type == "cuda":
        if torch.cuda.is_bf16_supported():
            return Precision(torch.bfloat16, tr("automatic: this GPU computes bfloat16"))
        return Precision(torch.float32, tr("automatic: this GPU has no bfloat16 support"))
    if device.type == "cpu" and not cpu_bfloat16:
        return Precision(
            torch.float32,
            tr("automatic: float32 on the CPU for this model (its bfloat16 accuracy is not measured)"),
        )
    if device.type == "cpu":
        native = native_cpu_bfloat16()
        if native:
            return Precision(
                torch.bfloat16,
                tr("automatic: this CPU computes bfloat16 natively ({0})").format(", ".join(native)),
            )
        return Precision(
            torch.float32,
            tr("automatic: this CPU has no native bfloat16 (AVX512-BF16 or AMX-BF16), where it is slower"),
        )
    return Precision(torch.float32, tr("automatic: float32 on {0}").format(device.type))


def cast_matmul_weights(model: Any, dtype: Any) -> Any:
    """Store the weights of every Linear and convolution of ``model`` in ``dtype``, in place; returns it.

    Under ``autocast`` these layers compute in ``dtype`` anyway; stored that way their weights are
    converted once, not by autocast inside the model's calls. Norms, embeddings, position
    tables, Linear weights tied to an embedding table and modules that set ``keeps_float32`` (they
    turn autocast off inside) stay float32. On the CPU, 2-D convolution weights take the channels-last
    layout of oneDNN's reduced-precision kernels, and in bfloat16 the 1-D and 2-D convolutions become
    ``core.onednn.PackedConv`` (weights kept in oneDNN's blocked layout). Either returns channels-last
    activations, which the norms, activations and later convolutions keep (the diffusion UNet: 1.4x
    faster per DDIM step from the layout, about 1.15x more from the packing).
    """
    import torch
    from torch import nn

    if dtype == torch.float32:
        return model
    kept = {id(m.weight) for m in model.modules() if isinstance(m, nn.Embedding)}
    kept |= {id(p) for m in model.modules() if getattr(m, "keeps_float32", False) for p in m.parameters()}
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # thousands of small copies: one thread each, no thread-team start per copy
    try:
        for module in model.modules():
            if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d)) and id(module.weight) not in kept:
                if isinstance(module, nn.Conv2d) and module.weight.device.type == "cpu":
                    module.to(dtype=dtype, memory_format=torch.channels_last)
                else:
                    module.to(dtype)
        if dtype == torch.bfloat16:
            _pack_convolutions(model)
    finally:
        torch.set_num_threads(threads)
    return model


def _pack_convolutions(model: Any) -> None:
    """Replace the bfloat16 CPU convolutions (1-D and 2-D) in ``model`` by ``core.onednn.PackedConv``."""
    import torch

    from .onednn import PackedConv, packed_convolutions_available

    if not packed_convolutions_available():
        return
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if PackedConv.accepts(child) and child.weight.dtype == torch.bfloat16:
                setattr(parent, name, PackedConv(child))


def autocast(device: Any, dtype: Any) -> AbstractContextManager:
    """Mixed-precision context for ``dtype`` on ``device`` (a no-op for float32)."""
    import torch

    if dtype == torch.float32:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=dtype)


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    import os

    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)


@contextlib.contextmanager
def job_threads() -> Iterator[int]:
    """Run a job with one torch intra-op thread per usable CPU and numpy's OpenBLAS on one thread, then
    restore the caller's settings.

    Both are process state shared with QGIS and its other plugins: the plugin changes them only for the
    duration of a job. Yields the job's thread count.
    """
    import torch

    previous = torch.get_num_threads()
    threads = usable_cpus()
    if threads != previous:
        torch.set_num_threads(threads)
    try:
        with numpy_blas_on_one_thread():
            yield threads
    finally:
        if torch.get_num_threads() != previous:
            torch.set_num_threads(previous)


def numpy_blas_on_one_thread() -> AbstractContextManager:
    """numpy's OpenBLAS limited to one thread while the model's threads own the cores.

    OpenBLAS wakes helper threads for the job's numpy products (the PCA statistics) that then spin for a
    while beside the model's threads: 0.3 CPU-s of a 2 s tiny embeddings job on 2 cores. Only an OpenBLAS
    that is not torch's is limited (torch's CPU builds use MKL or their own BLAS; a torch built on OpenBLAS
    may share numpy's library, which then keeps its threads).
    """
    import torch
    from threadpoolctl import ThreadpoolController

    if "BLAS_INFO=open" in torch.__config__.show():
        return contextlib.nullcontext()
    return ThreadpoolController().select(internal_api="openblas").limit(limits=1)


def _release_memory() -> None:
    import gc

    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


class BatchBackoff:
    """Runs items through a function in batches, halving the batch size on out-of-memory and retrying.

    Out of memory is any allocation failure (``errors.is_out_of_memory``: GPU, CPU allocator,
    ``MemoryError``). The reduced size is kept for later calls.

    Args:
        batch_size: first batch size to try (>= 1).
    """

    def __init__(self, batch_size: int):
        if batch_size < 1:
            raise InputError(tr("Batch size must be at least 1, got {0}.").format(batch_size))
        self.first_batch_size = self.batch_size = int(batch_size)

    def summary(self) -> str | None:
        """A line for the user when the batch size had to be reduced, else ``None``."""
        if self.batch_size == self.first_batch_size:
            return None
        return tr(
            "Memory ran out with {0} tiles per batch; the run continued "
            "with {1}. Set the batch size to {2} to avoid the retries."
        ).format(self.first_batch_size, self.batch_size, self.batch_size)

    def run(self, fn: Callable[[Sequence[T]], list[Any]], items: Sequence[T]) -> list[Any]:
        """``fn`` over consecutive chunks of ``items``; returns the concatenated results.

        Raises:
            TerraMindError: out of memory even with a batch of one tile.
        """
        out: list[Any] = []
        start = 0
        while start < len(items):
            chunk = items[start : start + self.batch_size]
            try:
                out.extend(fn(chunk))
            except Exception as exc:
                if not is_out_of_memory(exc):
                    raise
                _release_memory()
                if self.batch_size == 1:
                    raise TerraMindError(
                        tr(
                            "Out of memory even with one tile per batch: choose a "
                            "smaller model, a smaller tile size, lower precision, or the "
                            "CPU."
                        )
                    ) from exc
                self.batch_size = max(1, self.batch_size // 2)
                log.warning(
                    "Out of memory (%s: %s): retrying with batch size %d",
                    type(exc).__name__,
                    (str(exc).splitlines() or [""])[0][:200],
                    self.batch_size,
                )
                continue
            start += len(chunk)
        return out


def measure_matmul_gflops(
    device: str = "auto",
    seconds: float = 0.3,
    size: int = 1024,
    typical: bool = False,
    dtype: str = "float32",
) -> float:
    """Calibrate this machine: the ``dtype`` matrix-multiply rate (GFLOP/s) on ``device``.

    Runs ``size``³ matmuls for about ``seconds`` and keeps the fastest (the machine's peak), or with
    ``typical`` the mean over the window: the rate a long job can expect, also while other work shares the
    machine (bfloat16 products on AMX CPUs take one of two quite different times; a median flips between
    them). The pre-flight estimate (``core.estimate``) turns a tile's FLOP count into seconds with it.
    """
    import time

    import torch

    dev = resolve_device(device)
    a = torch.randn(size, size, device=dev, dtype=getattr(torch, dtype))
    b = torch.randn(size, size, device=dev, dtype=getattr(torch, dtype))
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    times: list[float] = []
    deadline = time.perf_counter() + seconds
    with torch.inference_mode():
        a @ b  # warm-up: kernel selection, thread pool start
        sync()
        while time.perf_counter() < deadline or not times:
            start = time.perf_counter()
            a @ b
            sync()
            times.append(time.perf_counter() - start)
    chosen = sum(times) / len(times) if typical else min(times)
    return 2 * size**3 / chosen / 1e9


@dataclass(frozen=True)
class MatmulRates:
    """A device's calibrated matrix-multiply rates, for the pre-flight estimate.

    Attributes:
        gflops: GFLOP/s per precision name: ``float32`` always, and the precision ``auto`` picks there.
        auto: the precision ``auto`` picks on the device (``choose_precision``).
    """

    gflops: dict[str, float]
    auto: str = "float32"

    def rate(self, precision: str) -> tuple[str, float]:
        """``(precision, GFLOP/s)`` a job of ``precision`` runs at; float32's rate where that one was not
        measured (then the job counts as float32)."""
        name = self.auto if precision == "auto" else precision
        return (name, self.gflops[name]) if name in self.gflops else ("float32", self.gflops["float32"])


def measure_matmul_rates(device: str = "auto", seconds: float = 0.5) -> MatmulRates:
    """Typical float32 rate of ``device``, and the rate of the precision ``auto`` picks there if another."""
    auto = choose_precision("auto", resolve_device(device)).name
    gflops = {"float32": measure_matmul_gflops(device, seconds, typical=True)}
    if auto != "float32":
        gflops[auto] = measure_matmul_gflops(device, seconds, typical=True, dtype=auto)
    return MatmulRates(gflops, auto)


@contextlib.contextmanager
def cancel_inside_model(is_cancelled: Callable[[], bool]) -> Iterator[None]:
    """Let a cancel stop the model between two of its layers, not only between batches and diffusion steps.

    While the context is open, a forward pre-hook on every torch module raises ``JobCancelled`` once
    ``is_cancelled()`` is true, in this thread only (other jobs' models are left alone). One diffusion step
    can take seconds per tile; a layer takes milliseconds. Nothing is installed if torch is not loaded.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    owner = threading.get_ident()

    def hook(_module: Any, _inputs: Any) -> None:
        if threading.get_ident() == owner and is_cancelled():
            raise JobCancelled(tr("The job was cancelled; partial outputs were removed."))

    handle = torch.nn.modules.module.register_module_forward_pre_hook(hook)
    try:
        yield
    finally:
        handle.remove()
