#!/usr/bin/env bash
# Headless demo: a land-cover map of the bundled sample scene (Araucanía, Chile) with qgis_process.
#   bash scripts/demo.sh [--weights-dir DIR] [--out DIR] [--model-size tiny|small|base|large] [--offline]
# The plugin zip is built and installed into a throwaway QGIS profile, enabled, and its Processing
# algorithm terramind:generate_lulc is run on resources/sample/. Weights: --weights-dir DIR or
# TERRAMIND_WEIGHTS_DIR (a folder holding TerraMind_v1_tiny.pt and TerraMind_Tokenizer_LULC.pt);
# otherwise they are downloaded from Hugging Face on first use and cached (~/.cache/huggingface).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
WEIGHTS="${TERRAMIND_WEIGHTS_DIR:-}"
OUT="$ROOT/demo_output"
SIZE="tiny"
OFFLINE="false"
while [ $# -gt 0 ]; do
  case "$1" in
    --weights-dir) WEIGHTS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --model-size) SIZE="$2"; shift 2 ;;
    --offline) OFFLINE="true"; shift ;;
    -h|--help) sed -n 2,7p "$0"; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$SIZE" in tiny) SIZE_INDEX=0 ;; small) SIZE_INDEX=1 ;; base) SIZE_INDEX=2 ;; large) SIZE_INDEX=3 ;;
  *) echo "demo.sh: --model-size must be tiny, small, base or large" >&2; exit 2 ;; esac
PY="$ROOT/.venv/bin/python"
QGIS_PROCESS="$(command -v qgis_process.bin || echo /usr/bin/qgis_process.bin)"
[ -x "$PY" ] || { echo "demo.sh: no .venv here; run 'bash scripts/setup.sh' first." >&2; exit 1; }
[ -x "$QGIS_PROCESS" ] || { echo "demo.sh: qgis_process.bin not found; run 'bash scripts/setup.sh' first." >&2; exit 1; }
[ -z "$WEIGHTS" ] || WEIGHTS="$(cd "$WEIGHTS" && pwd)"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# 1. Build the plugin zip and install it into a throwaway profile, enabled.
PROFILE="$WORK/profile/profiles/default"
mkdir -p "$PROFILE/python/plugins" "$PROFILE/QGIS"
ZIP="$("$PY" scripts/build_zip.py --out "$WORK/dist" | cut -d' ' -f1)"
"$PY" -m zipfile -e "$ZIP" "$PROFILE/python/plugins"
printf '[PythonPlugins]\nterramind_qgis=true\n' > "$PROFILE/QGIS/QGIS3.ini"

# 2. qgis_process: offscreen, this profile, the venv's packages (torch...) visible to QGIS's Python.
export QGIS_CUSTOM_CONFIG_PATH="$WORK/profile" QT_QPA_PLATFORM=offscreen GDAL_PAM_ENABLED=NO
export PYTHONWARNINGS="ignore::DeprecationWarning"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$WORK}"
SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
export PYTHONPATH="$SITE${PYTHONPATH:+:$PYTHONPATH}"
[ "$OFFLINE" = "false" ] || export HF_HUB_OFFLINE=1

SAMPLE="$ROOT/resources/sample"
ARGS=("INPUT_S2L2A=$SAMPLE/S2L2A_433D_629L_3_1.tif" "MODEL_SIZE=$SIZE_INDEX" "SEED=0" "OUTPUT=$OUT/lulc.tif")
[ -z "$WEIGHTS" ] || ARGS+=("WEIGHTS_DIR=$WEIGHTS")
[ "$OFFLINE" = "false" ] || ARGS+=("OFFLINE=true")
echo "Running terramind:generate_lulc (TerraMind $SIZE) on $SAMPLE/S2L2A_433D_629L_3_1.tif ..."
if ! "$QGIS_PROCESS" run terramind:generate_lulc -- "${ARGS[@]}" > "$WORK/log.txt" 2>&1; then
  grep -v -e "^QStandardPaths" -e "setapi() is deprecated" "$WORK/log.txt" >&2 || true
  echo "demo.sh: the TerraMind run failed (message above)." >&2
  if grep -q -e "not available offline" -e "Could not download" "$WORK/log.txt"; then
    cat >&2 <<MSG
demo.sh: the demo needs two weight files: TerraMind_v1_$SIZE.pt (https://huggingface.co/ibm-esa-geospatial/TerraMind-1.0-$SIZE)
and TerraMind_Tokenizer_LULC.pt (https://huggingface.co/ibm-esa-geospatial/TerraMind-1.0-Tokenizer-LULC).
Either let it download them once (online, no --offline), or put both files into one folder and run
  bash scripts/demo.sh --weights-dir FOLDER      (or: TERRAMIND_WEIGHTS_DIR=FOLDER bash scripts/demo.sh)
MSG
  fi
  exit 1
fi

# 3. Report: output path and class histogram (next to the Esri reference map of the same scene).
"$PY" - "$OUT/lulc.tif" "$SAMPLE/LULC_433D_629L_3_1.tif" <<'PY'
import sys

import numpy as np
import rasterio

CLASSES = ("No data", "Water", "Trees", "Flooded vegetation", "Crops", "Built area", "Bare ground", "Snow/ice",
           "Clouds", "Rangeland")
path, reference = sys.argv[1], sys.argv[2]
with rasterio.open(path) as ds:
    lulc = ds.read(1)
    size = f"{ds.width} x {ds.height} px, {ds.crs}"
with rasterio.open(reference) as ds:
    ref = ds.read(1)
counts = np.bincount(lulc.ravel(), minlength=10)
print(f"Output: {path} ({size})")
print("Class histogram (generated | Esri reference):")
ref_counts = np.bincount(ref.ravel(), minlength=10)
for value, name in enumerate(CLASSES):
    print(f"  {value} {name:<19} {100 * counts[value] / lulc.size:6.2f} % | {100 * ref_counts[value] / ref.size:6.2f} %")
print(f"Pixel agreement with the reference: {100 * np.mean(lulc == ref):.1f} %")
PY
