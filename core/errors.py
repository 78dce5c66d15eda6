"""Exception hierarchy of the headless core (docs/architecture.md §4).

Every message names the layer, band or file concerned and says what to do.
"""

from __future__ import annotations


class TerraMindError(Exception):
    """Base class of every error the core raises on purpose."""


class InputError(TerraMindError, ValueError):
    """A user input (raster, band mapping, area, option) cannot be used as given."""


class WeightsError(TerraMindError, OSError):
    """A checkpoint is missing, unreachable, truncated, corrupt or of the wrong model."""


class OutputError(TerraMindError, OSError):
    """An output file cannot be written."""


class JobCancelled(TerraMindError):
    """The user cancelled the job; partial outputs have been removed."""


#: Lower-case texts of allocation failures: CUDA/MPS (``torch.OutOfMemoryError``), torch's CPU allocator.
OUT_OF_MEMORY_TEXTS = (
    "out of memory",  # no-i18n: matched in torch's English error text
    "can't allocate memory",  # no-i18n: matched in torch's English error text
    "cannot allocate memory",  # no-i18n: matched in torch's English error text
    "defaultcpuallocator",
)


def is_out_of_memory(exc: BaseException) -> bool:
    """True for an allocation failure on any device: ``MemoryError`` (numpy, Python) or a torch
    ``RuntimeError`` (``OutOfMemoryError`` on GPUs, "DefaultCPUAllocator: can't allocate memory" on the CPU,
    "unable to mmap ... Cannot allocate memory")."""
    if isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError":
        return True
    return isinstance(exc, RuntimeError) and any(t in str(exc).lower() for t in OUT_OF_MEMORY_TEXTS)
