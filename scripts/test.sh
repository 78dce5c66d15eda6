#!/usr/bin/env bash
# Run the whole test suite headless against the real QGIS (after scripts/setup.sh): on this machine's
# QGIS (3.22 on Debian 12), then, when run without arguments, the QGIS 3.40 LTR part in a Debian 13 chroot
# (scripts/test_qgis340.sh; needs root; TERRAMIND_SKIP_QGIS340=1 skips it). With arguments: pytest's only.
set -uo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1
export GDAL_PAM_ENABLED=NO  # QGIS would write .aux.xml statistics next to the test rasters
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
.venv/bin/python -m pytest -q -ra "$@"
rc=$?
if [ "$rc" -eq 5 ]; then echo "no test ran" >&2; exit 1; fi
if [ $# -eq 0 ] && [ "${TERRAMIND_SKIP_QGIS340:-0}" != 1 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: the QGIS 3.40 part was NOT run: it needs root (sudo bash scripts/test_qgis340.sh)." >&2
  elif ! bash scripts/test_qgis340.sh; then
    rc=1
  fi
fi
exit "$rc"
