#!/usr/bin/env bash
# Link this working tree into a QGIS profile as the plugin "terramind_qgis" and enable it.
#   bash scripts/install_dev.sh [--profiles-path DIR] [--profile NAME]
# Defaults: ~/.local/share/QGIS/QGIS3/profiles (Linux), profile "default". Restart QGIS afterwards
# (or use the Plugin Reloader). Edits to the tree are live: it is a symbolic link, not a copy.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROFILES="${QGIS_PROFILES_PATH:-$HOME/.local/share/QGIS/QGIS3/profiles}"
PROFILE="default"
while [ $# -gt 0 ]; do
  case "$1" in
    --profiles-path) PROFILES="$2"; shift 2 ;;
    --profile) PROFILE="$2"; shift 2 ;;
    -h|--help) sed -n 2,5p "$0"; exit 0 ;;
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
/usr/bin/python3 - "$PROFILES/$PROFILE/QGIS/QGIS3.ini" <<'PY'
"""Set [PythonPlugins] terramind_qgis=true, leaving every other line of QGIS3.ini untouched."""
import sys
from pathlib import Path

ini = Path(sys.argv[1])
lines = ini.read_text(encoding="utf-8").splitlines() if ini.exists() else []
out, in_section, done = [], False, False
for line in lines:
    stripped = line.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        if in_section and not done:
            out.append("terramind_qgis=true")
            done = True
        in_section = stripped == "[PythonPlugins]"
    elif in_section and stripped.split("=", 1)[0].strip() == "terramind_qgis":
        if not done:
            out.append("terramind_qgis=true")
            done = True
        continue
    out.append(line)
if not done:
    if not in_section:
        out += ([""] if out else []) + ["[PythonPlugins]"]
    out.append("terramind_qgis=true")
ini.write_text("\n".join(out) + "\n", encoding="utf-8")
PY
echo "Linked $TARGET -> $ROOT and enabled it in $PROFILES/$PROFILE/QGIS/QGIS3.ini"
