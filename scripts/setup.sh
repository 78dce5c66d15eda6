#!/usr/bin/env bash
# Set up everything on a fresh Debian 12 / Ubuntu machine: QGIS from apt, a venv made from
# /usr/bin/python3 that sees QGIS's Python packages, and the pinned pip dependencies.
# TORCH_INDEX_URL=https://download.pytorch.org/whl/cu124 (for example) picks a CUDA build of torch.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v qgis_process.bin >/dev/null || ! /usr/bin/python3 -c "import qgis.core, rasterio" 2>/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -q --no-install-recommends \
      python3-qgis qgis python3-rasterio python3-venv xvfb xauth >/dev/null
fi
[ -x .venv/bin/python ] || /usr/bin/python3 -m venv --system-site-packages .venv
PIP_ARGS=()
[ -n "${TORCH_INDEX_URL:-}" ] && PIP_ARGS+=(--extra-index-url "$TORCH_INDEX_URL")
.venv/bin/pip install -q --disable-pip-version-check "${PIP_ARGS[@]}" -r requirements-dev.txt
.venv/bin/python -c "import torch, numpy, rasterio, huggingface_hub, qgis.core; print('setup ok: torch', torch.__version__, 'numpy', numpy.__version__)"
