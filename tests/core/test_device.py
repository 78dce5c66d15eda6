"""Device/precision choice and out-of-memory back-off."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from terramind_qgis.core.device import (
    BatchBackoff,
    autocast,
    is_out_of_memory,
    resolve_device,
    resolve_precision,
)
from terramind_qgis.core.errors import InputError, TerraMindError


def test_auto_device_and_precision_on_this_machine():
    dev = resolve_device("auto")
    expected = "cuda" if torch.cuda.is_available() else dev.type
    assert dev.type == expected
    if dev.type == "cpu":
        assert resolve_precision("auto", dev) == torch.float32


def test_cpu_float16_and_unknown_values_are_rejected():
    cpu = torch.device("cpu")
    with pytest.raises(InputError, match="float16 needs a GPU"):
        resolve_precision("float16", cpu)
    with pytest.raises(InputError, match="Unknown precision"):
        resolve_precision("int8", cpu)
    with pytest.raises(InputError):
        resolve_device("tpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message on a machine without CUDA")
def test_cuda_requested_without_gpu_raises_clear_error():
    with pytest.raises(InputError, match="no usable CUDA"):
        resolve_device("cuda")


def test_autocast_bfloat16_on_cpu_runs_matmul_in_bfloat16():
    cpu = torch.device("cpu")
    with autocast(cpu, torch.bfloat16):
        y = torch.ones(2, 2) @ torch.ones(2, 2)
    assert y.dtype == torch.bfloat16
    with autocast(cpu, torch.float32):
        assert (torch.ones(2, 2) @ torch.ones(2, 2)).dtype == torch.float32


def test_backoff_halves_batch_on_oom_and_keeps_order():
    seen = []

    def fn(chunk):
        seen.append(len(chunk))
        if len(chunk) > 3:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return [x * 10 for x in chunk]

    backoff = BatchBackoff(16)
    assert backoff.run(fn, list(range(11))) == [x * 10 for x in range(11)]
    assert backoff.batch_size == 2 and seen[:4] == [11, 8, 4, 2]  # 16 -> 8 -> 4 -> 2, then kept


def test_backoff_gives_up_at_batch_one_and_passes_other_errors():
    def oom(chunk):
        raise RuntimeError("CUDA error: out of memory")

    with pytest.raises(TerraMindError, match="one tile per batch"):
        BatchBackoff(4).run(oom, [1, 2, 3])

    def bug(chunk):
        raise KeyError("x")

    with pytest.raises(KeyError):
        BatchBackoff(4).run(bug, [1])
    assert is_out_of_memory(torch.OutOfMemoryError("x")) and not is_out_of_memory(ValueError("out of memory"))


def test_cpu_allocation_failures_are_out_of_memory():
    """torch's genuine CPU allocator error and numpy's MemoryError (the cases the GPU check missed)."""
    with pytest.raises(RuntimeError) as torch_error:
        torch.empty(2**60, dtype=torch.uint8)
    with pytest.raises(MemoryError) as numpy_error:
        np.empty(2**60, dtype=np.uint8)
    assert is_out_of_memory(torch_error.value) and is_out_of_memory(numpy_error.value)
    assert not is_out_of_memory(RuntimeError("shape mismatch")) and not is_out_of_memory(OSError(12, "x"))
