#!/usr/bin/env bash
# Keep the translations in step with the code (Debian: apt-get install pyqt5-dev-tools qttools5-dev-tools).
#   bash scripts/translations.sh
# 1. pylupdate5 collects every tr()/translate() string of the files that ship into i18n/terramind_qgis_en.ts
#    (the source file) and into every i18n/terramind_qgis_<locale>.ts a translator has started from it.
# 2. lrelease compiles each translated .ts into the .qm file the plugin loads for that locale at start-up.
# .qm files are build outputs: not committed; scripts/package.sh compiles them into the release zip.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t SOURCES < <(python3 -c '
import importlib.util, sys
spec = importlib.util.spec_from_file_location("build_zip", "scripts/build_zip.py")
build_zip = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_zip)
print("\n".join(str(p) for p in build_zip.runtime_files() if p.suffix == ".py"))')
mkdir -p i18n
shopt -s nullglob
TRANSLATED=()
for ts in i18n/terramind_qgis_*.ts; do [ "$ts" = i18n/terramind_qgis_en.ts ] || TRANSLATED+=("$ts"); done
for ts in i18n/terramind_qgis_en.ts "${TRANSLATED[@]}"; do
  pylupdate5 -noobsolete "${SOURCES[@]}" -ts "$ts" 2>&1 | grep -v -e DeprecationWarning -e getdefaultlocale || true
done
for ts in "${TRANSLATED[@]}"; do lrelease -silent "$ts" -qm "${ts%.ts}.qm"; done
