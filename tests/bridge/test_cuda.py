"""Torch wheel choice from recorded nvidia-smi outputs (tests/data/nvidia_smi/README.md lists them)."""

from __future__ import annotations

import pytest
from helpers.paths import DATA

from terramind_qgis.bridge.runtime.cuda import (
    CPU_INDEX_URL,
    Gpu,
    choose_wheel,
    max_cuda_for_driver,
    parse_nvidia_smi,
)

SMI = DATA / "nvidia_smi"


def _read(name: str) -> str:
    return (SMI / name).read_text(encoding="utf-8")


def test_parse_nvidia_smi_reads_driver_cuda_and_gpu_from_plain_table():
    info = parse_nvidia_smi(_read("linux_rtx3060_driver535.txt"))
    assert info.driver == (535, 161, 7)
    assert info.cuda == (12, 2)
    assert info.gpus == (Gpu("NVIDIA GeForce RTX 3060", 12288, None),)  # process rows are not GPUs


def test_parse_nvidia_smi_lists_every_gpu_of_a_multi_gpu_server():
    info = parse_nvidia_smi(_read("linux_2x_a100_driver550.txt"))
    assert [g.name for g in info.gpus] == ["NVIDIA A100-SXM4-80GB"] * 2
    assert [g.memory_mib for g in info.gpus] == [81920, 81920]


def test_parse_nvidia_smi_reads_query_csv_with_compute_capability():
    info = parse_nvidia_smi(_read("query_p100_t4_driver535.csv"))
    assert info.driver == (535, 183, 1)
    assert info.cuda is None  # the query form does not state it
    assert info.gpus == (Gpu("Tesla P100-PCIE-16GB", 16384, (6, 0)), Gpu("Tesla T4", 15360, (7, 5), index=1))


@pytest.mark.parametrize("text", [_read("no_driver.txt"), "", "bash: nvidia-smi: command not found\n"])
def test_choose_wheel_is_cpu_when_nvidia_smi_finds_no_gpu(text):
    choice = choose_wheel(parse_nvidia_smi(text))
    assert (choice.tag, choice.index_url, choice.is_cuda) == ("cpu", CPU_INDEX_URL, False)


@pytest.mark.parametrize(
    "name, windows, tag",
    [
        # Driver 560.94 states CUDA 12.6: the cu126 build is supported outright.
        ("windows_rtx4090_driver560.txt", True, "cu126"),
        # Driver 535 states CUDA 12.2, older than every build: newest 12.x build (minor-version compat.).
        ("linux_rtx3060_driver535.txt", False, "cu128"),
        ("linux_2x_a100_driver550.txt", False, "cu128"),
        # Blackwell (sm 12.0), Windows driver 576.02 (>= 576.02 -> CUDA 12.9): cu130 needs 580.88, so cu128.
        ("query_rtx5090_driver576.csv", True, "cu128"),
        # Pascal (sm 6.0) next to Turing: only the cu126 builds still include sm 6.0.
        ("query_p100_t4_driver535.csv", False, "cu126"),
        # Pascal (sm 6.1) on driver 580 (CUDA 13): cu130/cu128 dropped Pascal, cu126 supported outright.
        ("query_gtx1080_driver580.csv", False, "cu126"),
    ],
)
def test_choose_wheel_picks_cuda_index_from_driver_and_capability(name, windows, tag):
    choice = choose_wheel(parse_nvidia_smi(_read(name)), windows=windows)
    assert choice.tag == tag
    assert choice.index_url == f"https://download.pytorch.org/whl/{tag}"
    assert choice.is_cuda


def test_choose_wheel_explains_compatibility_fallback():
    choice = choose_wheel(parse_nvidia_smi(_read("linux_rtx3060_driver535.txt")))
    assert "minor-version compatibility" in choice.reason
    assert "NVIDIA GeForce RTX 3060" in choice.reason and "535.161.7" in choice.reason


def test_choose_wheel_is_cpu_with_reason_for_a_cuda_11_driver():
    choice = choose_wheel(parse_nvidia_smi(_read("linux_gtx1050ti_driver470.txt")))
    assert choice.tag == "cpu"
    assert "update the NVIDIA driver" in choice.reason and "470.239.6" in choice.reason


@pytest.mark.parametrize(
    "driver, windows, cuda",
    [
        # Boundaries from DRIVER_MINIMUMS (NVIDIA release notes): 570.26 is CUDA 12.8's Linux minimum.
        ((570, 26), False, (12, 8)),
        ((570, 25, 99), False, (12, 6)),
        ((570, 65), True, (12, 8)),
        ((570, 64), True, (12, 6)),
        ((520, 61, 5), False, (11, 8)),
        ((520, 61, 4), False, None),
    ],
)
def test_max_cuda_for_driver_uses_release_note_minimums(driver, windows, cuda):
    assert max_cuda_for_driver(driver, windows) == cuda
