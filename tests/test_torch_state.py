"""The plugin shares torch with QGIS and other plugins: importing it changes none of torch's global state."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers.paths import ROOT

# Runs in a fresh interpreter: sets every setting to a non-default value, imports every runtime module of
# the plugin (core, bridge, ui, algorithms, plugin.py), and prints the settings before and after.
SCRIPT = r"""
import importlib, json, pkgutil, sys
import torch

torch.set_num_interop_threads(1)
torch.set_num_threads(1)
torch.set_float32_matmul_precision("medium")
torch.set_flush_denormal(True)
torch.set_default_dtype(torch.float64)
torch.set_grad_enabled(False)

def state():
    subnormal = torch.tensor([1e-39], dtype=torch.float32)  # zero when denormals are flushed
    return {
        "num_threads": torch.get_num_threads(),
        "num_interop_threads": torch.get_num_interop_threads(),
        "float32_matmul_precision": torch.get_float32_matmul_precision(),
        "flush_denormal": bool((subnormal * 1.0)[0] == 0),
        "default_dtype": str(torch.get_default_dtype()),
        "grad_enabled": torch.is_grad_enabled(),
        "deterministic": torch.are_deterministic_algorithms_enabled(),
        "mkldnn_enabled": torch.backends.mkldnn.enabled,
        "autocast_cpu": torch.is_autocast_enabled("cpu"),
    }

before = state()
import terramind_qgis
names = ["terramind_qgis.plugin"]
for sub in ("core", "bridge", "ui", "algorithms"):
    pkg = importlib.import_module(f"terramind_qgis.{sub}")
    names += [m.name for m in pkgutil.walk_packages(pkg.__path__, f"terramind_qgis.{sub}.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"before": before, "after": state(), "modules": len(names)}))
"""


def test_importing_the_plugin_leaves_torch_settings_alone():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=str(ROOT), timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["before"]["num_threads"] == 1 and result["before"]["flush_denormal"]  # the probes work
    assert result["after"] == result["before"]
    assert result["modules"] > 40  # every module of the plugin was imported
