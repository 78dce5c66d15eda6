"""Peak memory of a job does not grow with the scene: 2k x 1k against 8k-wide and 4k-tall real-data mosaics.

Each job runs in a fresh subprocess (a cheap stand-in model) that reports its peak RSS: VmHWM of
/proc/self/status, which starts afresh at exec (ru_maxrss would include the pytest parent's peak).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers.scenes import write_mosaic

CHILD = r"""
import json, sys
sys.path[:0] = sys.argv[3:]
from helpers.fake_predictors import LocalFake, factory
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import execute_job
spec = JobSpec(Task.LULC, (InputRaster(sys.argv[1], "S2L2A"),), {"lulc": sys.argv[2]}, batch_size=4)
execute_job(spec, factory(LocalFake(10)))
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")][0]
print(json.dumps({"maxrss_kib": int(hwm.split()[1])}))
"""


def _peak_rss_mib(tmp_path, width: int, height: int) -> float:
    scene = write_mosaic(tmp_path / f"s2_{width}x{height}.tif", width, height=height)
    out = str(tmp_path / f"lulc_{width}x{height}.tif")
    paths = [p for p in sys.path if p.endswith((".pkg", "tests"))]
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, scene, out, *paths], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])["maxrss_kib"] / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_peak_memory_does_not_grow_with_scene_width_or_height(tmp_path):
    base = _peak_rss_mib(tmp_path, 2048, 1024)  # one strip (core/tile_pass.STRIP_WIDTH)
    wide = _peak_rss_mib(tmp_path, 8192, 768)  # four strips
    tall = _peak_rss_mib(tmp_path, 2048, 4096)
    # Whole-scene float32 arrays of 10 logits + weight + validity would grow by 12 * 4 B per pixel (wide:
    # +96 MiB, tall: +288 MiB); full-width row bands by 12 * 4 B * 416 rows per column (wide: +117 MiB).
    # Strips keep the accumulator, the output blocks and the GDAL cache one strip wide: allocator noise only.
    assert wide - base < 16, (base, wide)
    assert tall - base < 16, (base, tall)
