"""The TerraMind provider in a Processing-initialised QGIS, the session's seeded weights, and qgis_process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig

import pytest
from helpers.paths import ROOT, TESTS
from qgis.core import QgsApplication

from terramind_qgis.algorithms.provider import TerraMindProvider


@pytest.fixture()
def provider(qgis_processing):
    provider = TerraMindProvider()
    assert QgsApplication.processingRegistry().addProvider(provider)
    yield provider
    QgsApplication.processingRegistry().removeProvider(provider)


@pytest.fixture(scope="session")
def weights_dir(tmp_path_factory):
    from helpers.session_weights import seeded_weights_dir

    return seeded_weights_dir(tmp_path_factory)


QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


@pytest.fixture()
def qgis_process(tmp_path):
    """``run(algorithm, *args)`` -> Popen of qgis_process.bin with this working tree enabled as the plugin."""
    profile = tmp_path / "profile" / "profiles" / "default"
    (profile / "python" / "plugins").mkdir(parents=True)
    (profile / "QGIS").mkdir()
    (profile / "python" / "plugins" / "terramind_qgis").symlink_to(ROOT)
    (profile / "QGIS" / "QGIS3.ini").write_text("[PythonPlugins]\nterramind_qgis=true\n")
    site = sysconfig.get_paths()["purelib"]
    env = dict(
        os.environ,
        QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"),
        QT_QPA_PLATFORM="offscreen",
        GDAL_PAM_ENABLED="NO",
        PYTHONPATH=os.pathsep.join([site, str(TESTS)]),
        XDG_RUNTIME_DIR=str(tmp_path),
        HF_HUB_OFFLINE="1",
    )

    def run(algorithm, *args):
        cmd = [QGIS_PROCESS, "run", algorithm, "--", *args]
        return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    return run
