#!/usr/bin/env bash
# Link this working tree into a QGIS profile as the plugin "terramind_qgis" and enable it.
#   bash scripts/install_dev.sh [--profiles-path DIR] [--profile NAME] [--worker-python PYTHON]
# Defaults: ~/.local/share/QGIS/QGIS3/profiles (Linux), profile "default". --worker-python makes the
# plugin run jobs in that interpreter (e.g. .venv/bin/python, which has torch) instead of QGIS's own.
# Restart QGIS afterwards. Edits to the tree are live: it is a symbolic link, not a copy.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROFILES="${QGIS_PROFILES_PATH:-$HOME/.local/share/QGIS/QGIS3/profiles}"
PROFILE="default"
WORKER_PYTHON=""
while [ $# -gt 0 ]; do
  case "$1" in
    --profiles-path) PROFILES="$2"; shift 2 ;;
    --profile) PROFILE="$2"; shift 2 ;;
    --worker-python) WORKER_PYTHON="$2"; shift 2 ;;
    -h|--help) sed -n 2,6p "$0"; exit 0 ;;
    *) echo "install_dev.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
PLUGINS="$PROFILES/$PROFILE/python/plugins"
mkdir -p "$PLUGINS" "$PROFILES/$PROFILE/QGIS"
TARGET="$PLUGINS/terramind_qgis"
if [ -e "$TARGET" ] && [ ! -L "$TARGET" ]; then
  echo "install_dev.sh: $TARGET exists and is not a link; remove it first (it may be an installed release)." >&2
  exit 1
fi
ln -sfn "$ROOT" "$TARGET"
set_ini() {  # set_ini SECTION KEY VALUE: edit one key of QGIS3.ini, leaving every other line untouched
  /usr/bin/python3 - "$PROFILES/$PROFILE/QGIS/QGIS3.ini" "$1" "$2" "$3" <<'PY'
import sys
from pathlib import Path

ini, section, key, value = Path(sys.argv[1]), f"[{sys.argv[2]}]", sys.argv[3], sys.argv[4]
lines = ini.read_text(encoding="utf-8").splitlines() if ini.exists() else []
out, inside, done = [], False, False
for line in lines:
    stripped = line.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        if inside and not done:
            out.append(f"{key}={value}")
            done = True
        inside = stripped == section
    elif inside and stripped.split("=", 1)[0].strip() == key:
        if not done:
            out.append(f"{key}={value}")
            done = True
        continue
    out.append(line)
if not done:
    if not inside:
        out += ([""] if out else []) + [section]
    out.append(f"{key}={value}")
ini.write_text("\n".join(out) + "\n", encoding="utf-8")
PY
}
set_ini PythonPlugins terramind_qgis true
if [ -n "$WORKER_PYTHON" ]; then
  set_ini terramind_qgis 'runtime\worker_python' "$WORKER_PYTHON"  # QSettings key terramind_qgis/runtime/worker_python
fi
echo "Linked $TARGET -> $ROOT and enabled it in $PROFILES/$PROFILE/QGIS/QGIS3.ini"
