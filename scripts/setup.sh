#!/usr/bin/env bash
# Set up everything on a fresh Debian 12 / Ubuntu machine: QGIS from apt, a venv made from
# /usr/bin/python3 that sees QGIS's Python packages, the pinned pip dependencies, and the plugin
# linked into your QGIS profile (jobs run with the venv's Python, which has torch).
#
# torch wheel (TORCH_INDEX_URL):
#   unset  CPU build from https://download.pytorch.org/whl/cpu (if reachable; else pip's default index)
#   auto   pick from nvidia-smi: the newest CUDA build the driver supports, else CPU
#   URL    that index, e.g. https://download.pytorch.org/whl/cu128
#   none   pip's configured indexes only
# TERRAMIND_NO_DEPLOY=1 skips linking the plugin into ~/.local/share/QGIS/QGIS3/profiles/default.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

# 1. System: PyQGIS + processing, qgis_process, Debian's rasterio (same GDAL as QGIS), Xvfb; the translation
#    tools pylupdate5 and lrelease; debootstrap for the QGIS 3.40 tests (scripts/test_qgis340.sh).
missing=0
for tool in qgis_process.bin pylupdate5 lrelease debootstrap; do command -v "$tool" >/dev/null || missing=1; done
if [ "$missing" = 1 ] || ! /usr/bin/python3 -c "import qgis.core, rasterio" 2>/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -q --no-install-recommends \
      python3-qgis qgis python3-rasterio python3-venv xvfb xauth \
      pyqt5-dev-tools qttools5-dev-tools debootstrap >/dev/null
fi

# 2. Python: a venv from Debian's interpreter that also sees dist-packages (qgis, PyQt5, numpy, rasterio).
[ -x .venv/bin/python ] || /usr/bin/python3 -m venv --system-site-packages .venv

# 3. The torch index (see above), then the pinned requirements (numpy stays <2: QGIS's GDAL needs it).
index="${TORCH_INDEX_URL:-cpu}"
if [ "$index" = "auto" ]; then
  index="$(/usr/bin/python3 - <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("cuda_choice", "bridge/runtime/cuda.py")
cuda = sys.modules[spec.name] = importlib.util.module_from_spec(spec)  # dataclasses look the module up
spec.loader.exec_module(cuda)
choice = cuda.choose_wheel(cuda.parse_nvidia_smi(cuda.read_nvidia_smi()))
print(choice.reason, file=sys.stderr)
print(choice.index_url)
PY
)"
fi
[ "$index" = "cpu" ] && index="https://download.pytorch.org/whl/cpu"
PIP_ARGS=()
if [ "$index" != "none" ]; then
  if /usr/bin/python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + '/', timeout=8)" "$index" 2>/dev/null; then
    PIP_ARGS+=(--extra-index-url "$index")
    echo "torch from $index"
  else
    echo "setup.sh: $index is not reachable; torch comes from pip's default index." >&2
  fi
fi
.venv/bin/pip install -q --disable-pip-version-check "${PIP_ARGS[@]}" -r requirements-dev.txt
.venv/bin/python -c "import torch, numpy, rasterio, huggingface_hub, qgis.core; print('setup ok: torch', torch.__version__, '(CUDA' if torch.cuda.is_available() else '(CPU', 'available), numpy', numpy.__version__)"

# 4. The plugin in your QGIS profile, running jobs with this venv's Python.
if [ "${TERRAMIND_NO_DEPLOY:-0}" != "1" ]; then
  bash scripts/install_dev.sh --worker-python "$PWD/.venv/bin/python"
fi
