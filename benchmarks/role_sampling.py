"""How long reading a raster's values for role guessing takes on a full Sentinel-2 tile (10980 x 10980 px).

The scene: a mosaic of the real 12-band TerraMesh S2L2A samples, written in two layouts (uncompressed
one-row strips, as the samples are stored; 512 px DEFLATE tiles, pixel-interleaved, no overviews). For
each, the median of ``--runs`` reads:

- ``provider``: QGIS's provider statistics of every band on a 250 000-pixel sample (what the dock ran on
  the main thread before ``bridge/adapters/value_sample.py``);
- ``sample``: ``value_sample.sampled_ranges`` (five windows of at most 4096 pixels, one block each), which
  ``ui/role_guesses.py`` now runs in a ``QgsTask``.

Each time is printed as a ratio to the 100 ms a click may take, with the CPU's speed at inflating DEFLATE
data (what reading a compressed block costs) and the load average. Run from the repository root::

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/role_sampling.py [--side 10980] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]
import conftest  # noqa: E402,F401  (exposes the package as terramind_qgis)
from helpers.scenes import write_mosaic  # noqa: E402

BUDGET_MS = 100.0
LAYOUTS = {
    "strips, uncompressed": dict(tiled=False, blockysize=1, compress="none", interleave="pixel"),
    "512 px tiles, DEFLATE": dict(blockxsize=512, blockysize=512, interleave="pixel", BIGTIFF="YES"),
}


def inflate_mb_per_s() -> float:
    """This CPU's zlib inflate rate on 6 MB of int16 imagery-like data (one 512 px, 12-band tile)."""
    import numpy as np

    tile = (np.arange(512 * 512 * 12, dtype=np.int64) * 7919 % 4096).astype(np.int16).tobytes()
    packed = zlib.compress(tile, 6)
    best = min(_seconds(lambda: zlib.decompress(packed)) for _ in range(5))
    return len(tile) / best / 1e6


def _seconds(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def provider_ranges(path: str) -> list[tuple[float, float]]:
    """What the dock read before: QGIS provider statistics of each band on a 250 000-pixel sample."""
    from qgis.core import QgsRasterBandStats, QgsRasterLayer, QgsRectangle

    layer = QgsRasterLayer(path, "scene", "gdal")
    provider = layer.dataProvider()
    stats = QgsRasterBandStats.Stats.Min | QgsRasterBandStats.Stats.Max
    ranges = []
    for band in range(1, provider.bandCount() + 1):
        s = provider.bandStatistics(band, stats, QgsRectangle(), 250_000)
        ranges.append((s.minimumValue, s.maximumValue))
    return ranges


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=10980, help="scene width and height in pixels")
    parser.add_argument("--runs", type=int, default=5, help="reads per method and layout (median)")
    args = parser.parse_args()
    os.environ["GDAL_PAM_ENABLED"] = "NO"  # no .aux.xml statistics cache: every read is a real one
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from terramind_qgis.bridge.adapters.value_sample import sampled_ranges

    print(f"CPU: {os.cpu_count()} cores, zlib inflate {inflate_mb_per_s():.0f} MB/s, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="terramind-roles-") as work:
        for name, layout in LAYOUTS.items():
            path = str(Path(work) / "scene.tif")
            t0 = time.perf_counter()
            write_mosaic(path, args.side, **layout)
            print(f"\n{args.side} px, 12 bands, {name}: {os.path.getsize(path) / 1e9:.2f} GB, "
                  f"built in {time.perf_counter() - t0:.0f} s")  # fmt: skip
            for method, read in (("provider", provider_ranges), ("sample", sampled_ranges)):
                times = [1000 * _seconds(lambda: read(path)) for _ in range(args.runs)]
                ms = statistics.median(times)
                ratio = ms / BUDGET_MS
                print(f"  {method:9s} {ms:8.1f} ms  (max {max(times):.1f})  {ratio:6.2f} x the 100 ms budget")
            os.remove(path)
    app.exitQgis()


if __name__ == "__main__":
    main()
