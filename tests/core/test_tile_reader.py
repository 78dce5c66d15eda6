"""Tiles read in row bands (core/tile_reader.py) on a real Sentinel-2 scene, against direct numpy reads."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import numpy as np
import pytest
import rasterio
from helpers.fake_predictors import LocalFake, factory
from helpers.paths import SEN1FLOODS

from terramind_qgis.core import tile_reader
from terramind_qgis.core.grid import Box
from terramind_qgis.core.jobs import InputRaster, JobSpec, Task
from terramind_qgis.core.pipeline import execute_job
from terramind_qgis.core.raster_io import InputReader, inspect_raster, threaded_decoding_is_safe
from terramind_qgis.core.tile_reader import TileReader
from terramind_qgis.core.tiling import tile_boxes

S2 = SEN1FLOODS / "Spain_7370579_S2Hand.tif"
HOLE = (slice(150, 190), slice(200, 260))  # rows, columns set to nodata in every band


@pytest.fixture
def scene(tmp_path):
    """A 500 x 470 window of the real scene with a nodata hole: tiles aligned to 16 px stick out of it."""
    with rasterio.open(S2) as src:
        data = src.read(window=((0, 500), (0, 470)))
        profile = dict(
            src.profile, height=500, width=470, transform=src.window_transform(((0, 500), (0, 470)))
        )
    data[:, HOLE[0], HOLE[1]] = 0  # the file's nodata
    path = tmp_path / "s2_hole.tif"
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)
    return str(path)


def expected_tile(full: np.ndarray, box: Box) -> tuple[np.ndarray, np.ndarray]:
    """The tile computed directly: nodata filled with the tile's band means, mirrored outside the grid."""
    h, w = full.shape[1:]
    r0, c0, r1, c1 = box.row, box.col, min(box.row + box.height, h), min(box.col + box.width, w)
    part = full[:, r0:r1, c0:c1].copy()
    ok = ~(part == 0).all(axis=0)
    for band in part:
        band[~ok] = band[ok].mean()
    pads = ((0, box.height - (r1 - r0)), (0, box.width - (c1 - c0)))
    return np.pad(part, ((0, 0), *pads), mode="symmetric"), np.pad(ok, pads)


def test_batches_equal_direct_reads_with_filled_holes_and_mirrored_edges(scene):
    info = inspect_raster(scene, "s2")
    bands = (4, 3, 2, 8)
    with rasterio.open(scene) as src:
        full = src.read(bands, out_dtype=np.float32)
    boxes = tile_boxes(500, 470, 224, 32, align=16)
    assert max(b.row + b.height for b in boxes) > 500 and max(b.col + b.width for b in boxes) > 470
    with InputReader(info, bands, info.grid, threads=2) as reader:
        for columns in ((0, 470), None):
            tiles = TileReader(info.grid, [reader], ["S2L2A"], columns)
            for i in range(0, len(boxes), 4):
                batch = tiles.read(boxes[i : i + 4])
                assert batch.inputs["S2L2A"].shape == (len(batch), 4, 224, 224)
                for k, box in enumerate(batch.boxes):
                    data, ok = expected_tile(full, box)
                    np.testing.assert_array_equal(batch.inputs["S2L2A"][k], data)
                    np.testing.assert_array_equal(batch.valid[k], ok)
    assert not batch.valid.all()  # the last tiles stick out of the grid


def test_each_tile_row_is_read_once_per_input(scene, monkeypatch):
    info = inspect_raster(scene, "s2")
    reads = []
    original = InputReader.read
    monkeypatch.setattr(InputReader, "read", lambda self, box: reads.append(box) or original(self, box))
    boxes = tile_boxes(500, 470, 224, 32, align=16)  # 3 x 3 tiles
    with InputReader(info, (1, 2), info.grid) as a, InputReader(info, (3,), info.grid) as b:
        tiles = TileReader(info.grid, [a, b], ["one", "two"], (0, 470))
        batches = [tiles.read(boxes[i : i + 2]) for i in range(0, len(boxes), 2)]
    rows = sorted({box.row for box in boxes})
    assert reads == [Box(r, 0, min(224, 500 - r), 470) for r in rows for _ in (a, b)]
    assert [len(x) for x in batches] == [2, 2, 2, 2, 1]
    assert batches[1].inputs["two"].shape == (2, 1, 224, 224)


def test_tiles_without_valid_pixels_are_dropped_and_slices_are_views(scene):
    info = inspect_raster(scene, "s2")
    with InputReader(info, (1, 2), info.grid) as reader:
        inside = Box(HOLE[0].start, HOLE[1].start, 32, 32)  # wholly in the hole
        batch = TileReader(info.grid, [reader], ["S2L2A"]).read(
            [Box(0, 0, 32, 32), inside, Box(0, 64, 32, 32)]
        )
    kept = batch.with_valid_pixels()
    assert kept.boxes == [Box(0, 0, 32, 32), Box(0, 64, 32, 32)]
    np.testing.assert_array_equal(kept.inputs["S2L2A"][1], batch.inputs["S2L2A"][2])
    assert np.shares_memory(batch[1:].inputs["S2L2A"], batch.inputs["S2L2A"])
    assert batch[1:].origins == [(inside.row, inside.col), (0, 64)]


@pytest.mark.parametrize("interleave", ["pixel", "band"])
def test_reads_with_decoding_threads_equal_single_threaded_ones(tmp_path, interleave):
    """Band-interleaved files crash GDAL < 3.7.1's threaded decoder on these very reads (GDAL PR 7963)."""
    path = tmp_path / f"{interleave}.tif"
    with rasterio.open(S2) as src:
        profile = dict(src.profile, interleave=interleave, blockxsize=256, blockysize=256)
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(src.read())
    info = inspect_raster(str(path), interleave)
    assert info.interleave == interleave
    gdal = tuple(int(p) for p in rasterio.__gdal_version__.split(".")[:3])
    assert threaded_decoding_is_safe(info) == (interleave == "pixel" or gdal >= (3, 7, 1))
    bands = (4, 3, 2, 8)
    with InputReader(info, bands, info.grid) as one, InputReader(info, bands, info.grid, threads=2) as two:
        for row in (0, 192, 288):
            box = Box(row, 0, min(224, 512 - row), 470)
            np.testing.assert_array_equal(one.read(box)[0], two.read(box)[0])


@pytest.mark.parametrize("device, ahead", [(None, False), ("cpu", False), ("cuda", True)])
def test_tiles_are_read_ahead_in_a_thread_only_when_the_model_leaves_the_cpu_free(
    tmp_path, monkeypatch, device, ahead
):
    threads = set()
    original = TileReader.read

    def read(self, boxes):
        threads.add(threading.current_thread() is threading.main_thread())
        return original(self, boxes)

    monkeypatch.setattr(tile_reader.TileReader, "read", read)
    fake = LocalFake(10)
    if device is not None:
        fake.device = SimpleNamespace(type=device)
    spec = JobSpec(Task.LULC, (InputRaster(str(S2), "S2L2A"),), {"lulc": str(tmp_path / "lulc.tif")})
    execute_job(spec, factory(fake))
    assert threads == {not ahead}
