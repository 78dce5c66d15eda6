"""The release zip as a user gets it, on the QGIS this runs on (3.22 here; 3.40 via scripts/test_qgis340.sh).

The zip (``scripts/package.py``, qgis-plugin-ci; ``TERRAMIND_RELEASE_ZIP`` names one built already) is
installed into a fresh profile and enabled; ``qgis_process`` must list the algorithms and run
the tiny LULC job on the bundled sample with seeded weights. torch comes from where that QGIS's user gets
it: on the host from the venv (``scripts/setup.sh``), in the 3.40 chroot (``TERRAMIND_RUNTIME_INSTALL=1``)
from the plugin's own runtime installer (Set Up Runtime) into the profile's private folder.
``TERRAMIND_LULC_EXPORT`` keeps the LULC result (the 3.22 reference); ``TERRAMIND_LULC_REFERENCE`` makes
the run compare its classes with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import numpy as np
import pytest
import rasterio
from helpers.paths import ROOT

SAMPLE = ROOT / "resources" / "sample" / "S2L2A_433D_629L_3_1.tif"
ALGORITHM_IDS = (
    "terramind:generate_lulc",
    "terramind:generate_s1grd",
    "terramind:generate_modality",
    "terramind:patch_embeddings",
)
INSTALL_RUNTIME = os.environ.get("TERRAMIND_RUNTIME_INSTALL") == "1"
QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh QGIS profile folder with the release zip installed and enabled, and its environment."""
    base = tmp_path_factory.mktemp("release")
    zip_path = os.environ.get("TERRAMIND_RELEASE_ZIP")
    if not zip_path:
        done = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "package.py"), "0.1.0", "--worktree", "--out", str(base)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        zip_path = base / "terramind_qgis.0.1.0.zip"
    profile = base / "config" / "profiles" / "default"
    (profile / "QGIS").mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(profile / "python" / "plugins")
    (profile / "QGIS" / "QGIS3.ini").write_text("[PythonPlugins]\nterramind_qgis=true\n", encoding="utf-8")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "QGIS_PLUGINPATH", "TERRAMIND_WEIGHTS_DIR")
    }
    env.update(QGIS_CUSTOM_CONFIG_PATH=str(base / "config"), QT_QPA_PLATFORM="offscreen", HF_HUB_OFFLINE="1")
    if INSTALL_RUNTIME:
        _install_runtime(profile, env)
    else:  # the venv of scripts/setup.sh, as scripts/demo.sh does
        env["PYTHONPATH"] = sysconfig.get_paths()["purelib"]
    return profile, env


def _install_runtime(profile: Path, env: dict) -> None:
    """Set Up Runtime's default (private folder, CPU build) run with QGIS's interpreter, as the dialog."""
    script = """
import sys
sys.path.insert(0, sys.argv[1])
from terramind_qgis.bridge.runtime.deps import check_dependencies, private_site_dir
from terramind_qgis.bridge.runtime.installer import plan_install, run_install
from terramind_qgis.ui.setup_dialog import CPU_CHOICE
report = check_dependencies()
plan = plan_install(report, private_site_dir(sys.argv[2]), CPU_CHOICE.index_url, CPU_CHOICE.reason)
print("installing", plan.requirements, "for", plan.python, flush=True)
result = run_install(plan, on_line=print)
print("installed", result.installed, "devices", result.devices)
"""
    done = subprocess.run(
        ["/usr/bin/python3", "-c", script, str(profile / "python" / "plugins"), str(profile)],
        capture_output=True, text=True, timeout=1500, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def _qgis_process(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([QGIS_PROCESS, *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_release_zip_lists_its_algorithms_in_qgis_process(installed):
    _, env = installed
    done = _qgis_process(env, "list")
    assert done.returncode == 0, done.stderr[-2000:]
    for algorithm in ALGORITHM_IDS:
        assert algorithm in done.stdout
    plugins = _qgis_process(env, "plugins")
    assert "terramind_qgis" in plugins.stdout


def test_release_zip_runs_the_lulc_job_on_the_sample(installed, tmp_path):
    _, env = installed
    weights = Path(os.environ.get("TERRAMIND_SEEDED_WEIGHTS") or tmp_path / "weights")
    if not (weights / ".complete").exists():
        from helpers.weights_dir import write_seeded_weights_dir

        write_seeded_weights_dir(weights, tokenizers=("LULC",))
        (weights / ".complete").touch()
    out = tmp_path / "lulc.tif"
    done = _qgis_process(
        env, "run", "terramind:generate_lulc", "--", f"INPUT_S2L2A={SAMPLE}", "MODEL_SIZE=0", "SEED=0",
        f"WEIGHTS_DIR={weights}", "OFFLINE=true", f"OUTPUT={out}",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with rasterio.open(out) as ds, rasterio.open(SAMPLE) as s2:
        assert (ds.crs, ds.transform, ds.shape) == (s2.crs, s2.transform, s2.shape)
        classes = ds.read(1)
    assert classes.dtype == np.uint8 and classes.max() <= 9
    if os.environ.get("TERRAMIND_LULC_EXPORT"):
        shutil.copyfile(out, os.environ["TERRAMIND_LULC_EXPORT"])
    if os.environ.get("TERRAMIND_LULC_REFERENCE"):
        with rasterio.open(os.environ["TERRAMIND_LULC_REFERENCE"]) as ref:
            expected = ref.read(1)
        differ = int(np.count_nonzero(classes != expected))
        assert differ == 0, f"{differ} of {classes.size} pixels differ from the QGIS 3.22 result"
