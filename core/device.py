"""Device and precision choice, the autocast context, and out-of-memory back-off.

torch is imported inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Callable, TypeVar

from .errors import InputError, TerraMindError, is_out_of_memory

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
        raise InputError(f"Unknown device {name!r}; use auto, cpu, cuda, cuda:N or mps.") from exc
    if device.type == "cuda":
        _check_cuda(device, name)
    elif device.type == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise InputError("Device 'mps' was chosen but Apple Metal is not available; choose cpu or auto.")
    elif device.type != "cpu":
        raise InputError(f"Unsupported device {name!r}; use auto, cpu, cuda, cuda:N or mps.")
    return device


def _check_cuda(device: Any, name: str) -> None:
    """Raise ``InputError`` when the chosen CUDA device does not exist here."""
    import torch

    if not torch.cuda.is_available():
        raise InputError(
            "Device 'cuda' was chosen but this PyTorch has no usable CUDA GPU; choose cpu or auto."
        )
    if device.index is not None and device.index >= torch.cuda.device_count():
        raise InputError(
            f"Device {name!r} does not exist: this machine has {torch.cuda.device_count()} GPU(s)."
        )


def resolve_precision(precision: str, device: Any) -> Any:
    """Compute dtype: ``auto`` = bfloat16 on a CUDA GPU that supports it, else float32.

    Raises:
        InputError: unknown precision, or float16 on the CPU (not supported there).
    """
    import torch

    precision = (precision or "auto").lower()
    if precision == "auto":
        if device.type == "cuda" and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32
    dtypes = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
    if precision not in dtypes:
        raise InputError(f"Unknown precision {precision!r}; use auto, float32, bfloat16 or float16.")
    if precision == "float16" and device.type == "cpu":
        raise InputError("Precision float16 needs a GPU; choose float32 or bfloat16 on the CPU.")
    return dtypes[precision]


def autocast(device: Any, dtype: Any) -> AbstractContextManager:
    """Mixed-precision context for ``dtype`` on ``device`` (a no-op for float32)."""
    import torch

    if dtype == torch.float32:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=dtype)


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
            raise InputError(f"Batch size must be at least 1, got {batch_size}.")
        self.first_batch_size = self.batch_size = int(batch_size)

    def summary(self) -> str | None:
        """A line for the user when the batch size had to be reduced, else ``None``."""
        if self.batch_size == self.first_batch_size:
            return None
        return (
            f"Memory ran out with {self.first_batch_size} tiles per batch; the run continued with "
            f"{self.batch_size}. Set the batch size to {self.batch_size} to avoid the retries."
        )

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
                        "Out of memory even with one tile per batch: choose a smaller model, a smaller tile "
                        "size, lower precision, or the CPU."
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


def measure_matmul_gflops(device: str = "auto", seconds: float = 0.3, size: int = 1024) -> float:
    """Calibrate this machine: the best float32 matrix-multiply rate (GFLOP/s) on ``device``.

    Runs ``size``³ matmuls for about ``seconds`` and keeps the fastest; the pre-flight estimate
    (``core.estimate``) turns a tile's FLOP count into seconds with it.
    """
    import time

    import torch

    dev = resolve_device(device)
    a = torch.randn(size, size, device=dev)
    b = torch.randn(size, size, device=dev)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    best = float("inf")
    deadline = time.perf_counter() + seconds
    with torch.inference_mode():
        a @ b  # warm-up: kernel selection, thread pool start
        sync()
        while time.perf_counter() < deadline or best == float("inf"):
            start = time.perf_counter()
            a @ b
            sync()
            best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best / 1e9
