"""scripts/demo.sh end to end: built zip in a throwaway profile, qgis_process runs terramind:generate_lulc."""

from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest
import rasterio
from helpers.paths import ROOT

SAMPLE = ROOT / "resources" / "sample"


@pytest.fixture(scope="session")
def weights_dir(tmp_path_factory):
    from helpers.session_weights import seeded_weights_dir

    return seeded_weights_dir(tmp_path_factory)


def _demo(args, tmp_path, **env):
    environment = dict(os.environ, HF_HOME=str(tmp_path / "hf"), **env)
    environment.pop("TERRAMIND_WEIGHTS_DIR", None)
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo.sh"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=environment,
    )


def test_demo_runs_qgis_process_on_the_sample_scene(weights_dir, tmp_path):
    side_files = set(SAMPLE.glob("*.aux.xml"))
    done = _demo(["--weights-dir", str(weights_dir), "--out", str(tmp_path / "out"), "--offline"], tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    out = tmp_path / "out" / "lulc.tif"
    assert f"Output: {out} (224 x 224 px, EPSG:32718)" in done.stdout
    with rasterio.open(out) as ds, rasterio.open(SAMPLE / "S2L2A_433D_629L_3_1.tif") as s2:
        assert (ds.crs, ds.transform, ds.shape) == (s2.crs, s2.transform, s2.shape)
        lulc = ds.read(1)
    shares = 100 * np.bincount(lulc.ravel(), minlength=10) / lulc.size
    for value, name in ((1, "Water"), (4, "Crops")):  # the histogram printed is the file's
        assert f"{value} {name:<19} {shares[value]:6.2f} %" in done.stdout
    assert set(SAMPLE.glob("*.aux.xml")) == side_files  # the demo leaves the bundled sample untouched


def test_demo_offline_without_weights_names_the_files(tmp_path):
    done = _demo(["--out", str(tmp_path / "out"), "--offline"], tmp_path)
    assert done.returncode == 1
    assert "TerraMind_v1_tiny.pt is not available offline" in done.stderr
    assert "TerraMind_Tokenizer_LULC.pt" in done.stderr and "--weights-dir FOLDER" in done.stderr
    assert not (tmp_path / "out" / "lulc.tif").exists()
