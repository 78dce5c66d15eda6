"""Choose the PyTorch wheel index (CPU or a CUDA build) from what ``nvidia-smi`` reports.

Pure functions over the text ``nvidia-smi`` prints, so the choice is testable with recorded outputs.
Two outputs are understood:

* the query form ``nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap
  --format=csv,noheader`` (``QUERY_ARGS``), one line per GPU;
* the plain ``nvidia-smi`` table, whose header holds ``Driver Version: ...  CUDA Version: X.Y``
  (the newest CUDA runtime the driver can run) and whose body names each GPU.

The rule: take the newest wheel index whose CUDA version the driver supports and whose builds cover
every GPU's compute capability; otherwise the CPU wheel, with the reason.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

try:
    from ...core.i18n import tr
except ImportError:  # loaded as a lone file by scripts/setup.sh, before the plugin is installed

    def tr(text: str) -> str:
        return text


log = logging.getLogger(__name__)

CPU_INDEX_URL = "https://download.pytorch.org/whl/cpu"
INDEX_URL_TEMPLATE = "https://download.pytorch.org/whl/{tag}"
QUERY_ARGS = ("--query-gpu=name,driver_version,memory.total,compute_cap", "--format=csv,noheader")

Version = tuple[int, ...]


@dataclass(frozen=True)
class WheelIndex:
    """One PyTorch CUDA wheel index.

    Attributes:
        tag: index name, e.g. ``"cu128"``.
        cuda: CUDA runtime version the wheels bundle, e.g. ``(12, 8)``.
        min_capability: oldest GPU compute capability the builds include, e.g. ``(7, 5)``.
        max_capability: newest compute capability the builds include.
    """

    tag: str
    cuda: Version
    min_capability: Version
    max_capability: Version


# Newest first. Architecture ranges from the PyTorch release notes: the CUDA 13 builds dropped
# Maxwell/Pascal/Volta (sm < 7.5), CUDA 12.8 builds start at Volta and are the first with Blackwell
# (sm_100/sm_120), CUDA 12.6 builds keep Maxwell/Pascal but stop at Hopper (sm_90).
WHEEL_INDEXES: tuple[WheelIndex, ...] = (
    WheelIndex("cu130", (13, 0), (7, 5), (12, 1)),
    WheelIndex("cu128", (12, 8), (7, 0), (12, 1)),
    WheelIndex("cu126", (12, 6), (5, 0), (9, 0)),
)

# Minimum driver of each CUDA toolkit release (NVIDIA CUDA Toolkit release notes, table
# "CUDA Toolkit and Corresponding Driver Versions", GA releases): (cuda, linux driver, windows driver).
# Used when nvidia-smi's output does not state the CUDA version itself (query form).
DRIVER_MINIMUMS: tuple[tuple[Version, Version, Version], ...] = (
    ((13, 0), (580, 65, 6), (580, 88)),
    ((12, 9), (575, 51, 3), (576, 2)),
    ((12, 8), (570, 26), (570, 65)),
    ((12, 6), (560, 28, 3), (560, 76)),
    ((12, 5), (555, 42, 2), (555, 85)),
    ((12, 4), (550, 54, 14), (551, 61)),
    ((12, 3), (545, 23, 6), (545, 84)),
    ((12, 2), (535, 54, 3), (536, 25)),
    ((12, 1), (530, 30, 2), (531, 14)),
    ((12, 0), (525, 60, 13), (527, 41)),
    ((11, 8), (520, 61, 5), (520, 6)),
)


@dataclass(frozen=True)
class Gpu:
    """One GPU as nvidia-smi lists it.

    Attributes:
        name: product name, e.g. ``"NVIDIA GeForce RTX 4090"``.
        memory_mib: total memory in MiB (``None`` when not reported).
        capability: compute capability, e.g. ``(8, 9)`` (``None`` when not reported).
        index: nvidia-smi's GPU index (its listing order).
    """

    name: str
    memory_mib: int | None = None
    capability: Version | None = None
    index: int = 0

    @property
    def device(self) -> str:
        """Device string of the job spec, e.g. ``"cuda:0"``."""
        return f"cuda:{self.index}"  # no-i18n: a torch device id


@dataclass(frozen=True)
class NvidiaSmiInfo:
    """What one nvidia-smi output says.

    Attributes:
        driver: driver version, e.g. ``(560, 94)``.
        cuda: newest CUDA version the driver supports when the output states it, else ``None``.
        gpus: the GPUs found.
    """

    driver: Version | None
    cuda: Version | None
    gpus: tuple[Gpu, ...]


@dataclass(frozen=True)
class WheelChoice:
    """Which torch wheel to install.

    Attributes:
        tag: ``"cpu"`` or a CUDA index tag (``"cu128"``).
        index_url: the PyTorch index to install torch from.
        reason: one sentence for the user saying why.
    """

    tag: str
    index_url: str
    reason: str

    @property
    def is_cuda(self) -> bool:
        return self.tag != "cpu"


def _version(text: str) -> Version:
    return tuple(int(p) for p in re.findall(r"\d+", text))


def parse_nvidia_smi(text: str) -> NvidiaSmiInfo:
    """Parse the output of ``nvidia-smi`` (plain table) or of ``nvidia-smi`` with ``QUERY_ARGS``.

    An error text ("couldn't communicate with the NVIDIA driver", "command not found", empty) gives
    ``NvidiaSmiInfo(None, None, ())``.
    """
    driver = cuda = None
    m = re.search(r"Driver Version:\s*([\d.]+)", text)
    if m:
        driver = _version(m.group(1))
    m = re.search(r"CUDA Version:\s*([\d.]+)", text)
    if m:
        cuda = _version(m.group(1))
    if driver is not None:
        names = re.findall(r"^\|\s+\d+\s+(.+?)\s{2,}(?:On|Off|WDDM|TCC)\s+\|", text, flags=re.MULTILINE)
        mems = re.findall(r"\d+MiB\s*/\s*(\d+)MiB", text)
        gpus = tuple(
            Gpu(name=n.strip(), memory_mib=int(mems[i]) if i < len(mems) else None, index=i)
            for i, n in enumerate(names)
        )
        return NvidiaSmiInfo(driver, cuda, gpus)
    return _parse_query(text)


def _parse_query(text: str) -> NvidiaSmiInfo:
    """Parse CSV lines ``name, driver_version, memory.total [MiB], compute_cap``."""
    gpus = []
    drivers = []
    for line in text.splitlines():
        fields = [f.strip() for f in line.split(",")]
        if len(fields) < 3 or not re.fullmatch(r"[\d.]+", fields[1]):
            continue
        memory = re.match(r"(\d+)", fields[2])
        cap = fields[3] if len(fields) > 3 and re.fullmatch(r"\d+\.\d+", fields[3]) else None
        gpus.append(
            Gpu(
                fields[0],
                int(memory.group(1)) if memory else None,
                _version(cap) if cap else None,
                index=len(gpus),
            )
        )
        drivers.append(_version(fields[1]))
    return NvidiaSmiInfo(min(drivers) if drivers else None, None, tuple(gpus))


def max_cuda_for_driver(driver: Version, windows: bool) -> Version | None:
    """Newest CUDA release in ``DRIVER_MINIMUMS`` that ``driver`` can run; ``None`` if older than all."""
    for cuda, linux_min, windows_min in DRIVER_MINIMUMS:
        if driver >= (windows_min if windows else linux_min):
            return cuda
    return None


def choose_wheel(
    info: NvidiaSmiInfo, windows: bool = False, indexes: Sequence[WheelIndex] = WHEEL_INDEXES
) -> WheelChoice:
    """Pick the torch wheel index for the GPUs nvidia-smi reported.

    Args:
        info: parsed nvidia-smi output (``parse_nvidia_smi``).
        windows: the driver is a Windows driver (its version numbers differ from Linux's).
        indexes: candidate CUDA indexes, newest first.

    Returns:
        Among the indexes whose builds cover every GPU's compute capability (unknown capabilities count
        as covered): the newest whose CUDA version the driver supports; else the newest of the driver's
        CUDA major release (CUDA minor-version compatibility); else the CPU index, with the reason.
    """
    if not info.gpus or info.driver is None:
        return WheelChoice("cpu", CPU_INDEX_URL, tr("No NVIDIA GPU was found (nvidia-smi reported none)."))
    driver_text = _dotted(info.driver)
    cuda = info.cuda or max_cuda_for_driver(info.driver, windows)
    if cuda is None:
        return WheelChoice(
            "cpu",
            CPU_INDEX_URL,
            tr(
                "The NVIDIA driver {0} is too old for current PyTorch CUDA builds; update the driver to use "
                "the GPU."
            ).format(driver_text),
        )
    caps = [g.capability for g in info.gpus if g.capability is not None]
    covering = [i for i in indexes if all(i.min_capability <= c[:2] <= i.max_capability for c in caps)]
    names = ", ".join(g.name for g in info.gpus)
    for index in covering:
        if index.cuda <= cuda:
            return WheelChoice(
                index.tag,
                INDEX_URL_TEMPLATE.format(tag=index.tag),
                tr("{0}: driver {1} supports CUDA {2}; CUDA {3} build of torch.").format(
                    names, driver_text, _dotted(cuda), _dotted(index.cuda)
                ),
            )
    for index in covering:  # CUDA minor-version compatibility: any driver of the same major release works
        if index.cuda[0] == cuda[0]:
            return WheelChoice(
                index.tag,
                INDEX_URL_TEMPLATE.format(tag=index.tag),
                tr(
                    "{0}: driver {1} supports CUDA {2}; CUDA {3} build of torch through CUDA minor-version "
                    "compatibility (a driver update is recommended)."
                ).format(names, driver_text, _dotted(cuda), _dotted(index.cuda)),
            )
    return WheelChoice(
        "cpu",
        CPU_INDEX_URL,
        tr(
            "No PyTorch CUDA build supports {0} with driver {1} (CUDA {2}); update the NVIDIA driver to use "
            "the GPU."
        ).format(names, driver_text, _dotted(cuda)),
    )


def _dotted(version: Version) -> str:
    return ".".join(str(p) for p in version)


def read_nvidia_smi(timeout: float = 15.0) -> str:
    """Run ``nvidia-smi`` (query form first, the plain table if that fails) and return its output.

    Returns ``""`` when nvidia-smi is absent, fails or hangs (no NVIDIA driver).
    """
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return ""
    for args in (QUERY_ARGS, ()):
        try:
            done = subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            log.info("nvidia-smi failed: %s", exc)
            return ""
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout
        log.debug("nvidia-smi %s exited %s: %s", " ".join(args), done.returncode, done.stderr.strip())
    return ""
