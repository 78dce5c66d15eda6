"""Device/precision choice and out-of-memory back-off."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from terramind_qgis.core.device import (
    BatchBackoff,
    autocast,
    cast_matmul_weights,
    choose_precision,
    cpu_features,
    is_out_of_memory,
    job_threads,
    native_cpu_bfloat16,
    resolve_device,
    usable_cpus,
)
from terramind_qgis.core.errors import InputError, TerraMindError


def test_auto_device_and_precision_on_this_machine():
    dev = resolve_device("auto")
    expected = "cuda" if torch.cuda.is_available() else dev.type
    assert dev.type == expected
    cpu = choose_precision("auto", torch.device("cpu"))
    native = native_cpu_bfloat16()
    assert cpu.dtype == (torch.bfloat16 if native else torch.float32)
    assert all(name in cpu.reason for name in native) and cpu.reason.startswith("automatic")


def test_cpu_features_come_from_torch_and_name_the_bfloat16_units():
    features = cpu_features()
    assert set(features) == {"AVX2", "AVX-512", "AVX512-BF16", "AMX-BF16"}
    caps = torch.cpu.get_capabilities()
    assert features["AVX512-BF16"] == caps["avx512_bf16"] and features["AMX-BF16"] == caps["amx_bf16"]
    assert set(native_cpu_bfloat16()) <= {"AVX512-BF16", "AMX-BF16"}


def test_forced_precision_is_kept_with_its_reason():
    cpu = torch.device("cpu")
    for name in ("float32", "bfloat16"):
        chosen = choose_precision(name, cpu)
        assert chosen.name == name and "chosen in the job's options" in chosen.reason


def test_cpu_float16_and_unknown_values_are_rejected():
    cpu = torch.device("cpu")
    with pytest.raises(InputError, match="float16 needs a GPU"):
        choose_precision("float16", cpu)
    with pytest.raises(InputError, match="Unknown precision"):
        choose_precision("int8", cpu)
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


def test_matmul_weights_are_cast_once_and_float32_parts_are_kept():
    class Kept(torch.nn.Module):
        keeps_float32 = True

        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(4, 4)

    table = torch.nn.Embedding(10, 4)
    head = torch.nn.Linear(4, 10, bias=False)
    head.weight = table.weight  # tied, as the decoder embeddings' to_logits
    model = torch.nn.ModuleDict(
        {"conv": torch.nn.Conv2d(3, 4, 3), "norm": torch.nn.LayerNorm(4), "table": table, "head": head}
    )
    model["kept"] = Kept()
    cast_matmul_weights(model, torch.bfloat16)
    assert model["conv"].weight.dtype == model["conv"].bias.dtype == torch.bfloat16
    assert model["conv"].weight.is_contiguous(memory_format=torch.channels_last)  # oneDNN's layout
    assert model["norm"].weight.dtype == torch.float32 and model["kept"].fc.weight.dtype == torch.float32
    assert model["head"].weight is model["table"].weight and table.weight.dtype == torch.float32
    with autocast(torch.device("cpu"), torch.bfloat16):
        assert model["conv"](torch.ones(1, 3, 5, 5)).dtype == torch.bfloat16
    assert cast_matmul_weights(model, torch.float32) is model


def test_job_threads_use_every_usable_cpu_and_restore_the_callers_count():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with job_threads() as threads:
            assert threads == usable_cpus() == torch.get_num_threads()
        assert torch.get_num_threads() == 1
        with pytest.raises(KeyError), job_threads():
            raise KeyError("a failing job")
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_job_threads_run_numpys_openblas_on_one_thread_and_restore_it():
    from threadpoolctl import threadpool_info

    def openblas() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["internal_api"] == "openblas"]

    np.ones((64, 64)) @ np.ones((64, 64))  # loads numpy's BLAS
    before = openblas()
    if not before or "BLAS_INFO=open" in torch.__config__.show():
        pytest.skip("numpy has no OpenBLAS of its own here")
    with job_threads() as threads:
        assert openblas() == [1] * len(before) and torch.get_num_threads() == threads
    assert openblas() == before
    with pytest.raises(KeyError), job_threads():
        raise KeyError("a failing job")
    assert openblas() == before


def test_cancel_stops_the_model_between_layers_in_its_own_thread_only():
    from terramind_qgis.core.device import cancel_inside_model
    from terramind_qgis.core.errors import JobCancelled

    ran, cancelled = [], []

    class Layer(torch.nn.Module):
        def __init__(self, name, cancel=False):
            super().__init__()
            self.name, self.cancel = name, cancel

        def forward(self, x):
            ran.append(self.name)
            if self.cancel:
                cancelled.append(True)  # the user presses Cancel while this layer runs
            return x

    model = torch.nn.Sequential(Layer("a"), Layer("b", cancel=True), Layer("c"))
    with cancel_inside_model(lambda: bool(cancelled)):
        other = threading.Thread(target=lambda: model(torch.zeros(1)))  # another job's thread runs through
        with pytest.raises(JobCancelled):
            model(torch.zeros(1))
        other.start()
        other.join()
    assert ran == ["a", "b", "a", "b", "c"]
    model(torch.zeros(1))  # the hook is gone after the job
    assert ran[-3:] == ["a", "b", "c"]
