#!/usr/bin/env bash
# The QGIS 3.40 LTR part of the tests: Debian 13 (trixie) with its qgis/python3-qgis packages (Python 3.13,
# numpy 2) in a chroot built by debootstrap, running the plugin the way a 3.40 user does.
#   bash scripts/test_qgis340.sh [pytest arguments]      (root; scripts/test.sh calls it after the 3.22 suite)
#
# 1. The chroot (TERRAMIND_TRIXIE_ROOT, default /var/tmp/terramind-trixie, outside the repository) is built
#    once (a half-built one is never used) and reused; packages added to PACKAGES are installed into it.
# 2. On the host (QGIS 3.22), tests/test_release.py runs the tiny LULC job on the bundled sample with
#    seeded weights and keeps the result as the reference.
# 3. In the chroot, tests/test_release.py runs again on QGIS 3.40: the zip is installed into a fresh
#    profile, torch is installed by the plugin's own runtime installer (Set Up Runtime) into the
#    profile's private folder, qgis_process lists and runs the algorithms, and the classes must equal
#    the 3.22 reference. The QGIS-facing tests listed in QGIS340_TESTS run there too.
# /proc, /dev, the repository, shared/ and the work folder are bind-mounted and always unmounted.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
CHROOT="${TERRAMIND_TRIXIE_ROOT:-/var/tmp/terramind-trixie}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES="qgis python3-qgis python3-rasterio python3-pip python3-venv xvfb xauth ca-certificates pyqt5-dev-tools qttools5-dev-tools"
QGIS340_TESTS=(tests/test_release.py tests/test_plugin.py tests/test_qt6_clean.py tests/test_i18n.py)
[ $# -eq 0 ] || QGIS340_TESTS=("$@")
[ "$(id -u)" -eq 0 ] || { echo "test_qgis340.sh: needs root (debootstrap, chroot, mount)." >&2; exit 1; }
start=$SECONDS

# 1. The chroot, cached: built once; the stamp holds the package list installed into it.
if [ ! -d "$CHROOT/usr/bin" ]; then
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
  rm -rf "$CHROOT.partial"
  echo "Building the Debian 13 chroot in $CHROOT ..."
  debootstrap --variant=minbase trixie "$CHROOT.partial" "$MIRROR" >/dev/null
  mv "$CHROOT.partial" "$CHROOT"
fi
if [ "$(cat "$CHROOT/.terramind-ready" 2>/dev/null)" != "$PACKAGES" ]; then
  cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
  mount -t proc proc "$CHROOT/proc"
  trap 'umount "$CHROOT/proc" 2>/dev/null || true' EXIT
  chroot "$CHROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive sh -c \
    "apt-get update -qq && apt-get install -y -q --no-install-recommends $PACKAGES >/dev/null && apt-get clean"
  umount "$CHROOT/proc"
  trap - EXIT
  printf '%s' "$PACKAGES" > "$CHROOT/.terramind-ready"
  echo "chroot ready in $((SECONDS - start)) s"
fi
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
# The host's CA bundle, for pip behind a TLS-inspecting proxy (PIP_CERT or Debian's bundle).
cp "${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}" "$CHROOT/etc/terramind-host-ca.crt"

# 2. Mounts, always undone.
WORK="$(mktemp -d /var/tmp/terramind-qgis340.XXXXXX)"
SHARED="$(cd "$ROOT/.." && pwd)/shared"
MOUNTS=()
cleanup() {
  local i
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
bind() {  # bind SOURCE: the same path inside the chroot
  mkdir -p "$CHROOT$1"
  mount --bind "$1" "$CHROOT$1"
  MOUNTS+=("$CHROOT$1")
}
mount -t proc proc "$CHROOT/proc" && MOUNTS+=("$CHROOT/proc")
mount --bind /dev "$CHROOT/dev" && MOUNTS+=("$CHROOT/dev")
bind "$ROOT"
[ ! -d "$SHARED" ] || bind "$SHARED"
bind "$WORK"

# 3. The 3.22 reference on the host, from the same tests.
export QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 GDAL_PAM_ENABLED=NO TERRAMIND_SEEDED_WEIGHTS="$WORK/weights"
echo "QGIS 3.22 (host): the release zip and the reference LULC run"
export TERRAMIND_RELEASE_ZIP="$WORK/terramind_qgis.0.1.0.zip"
.venv/bin/python scripts/package.py 0.1.0 --worktree --out "$WORK" >/dev/null
TERRAMIND_LULC_EXPORT="$WORK/lulc-qgis3.22.tif" .venv/bin/python -m pytest -q \
  tests/test_release.py -k "lulc" --basetemp "$WORK/pytest-host"

# 4. The tests on QGIS 3.40: a venv with the test tools only; torch comes from the plugin's installer.
echo "QGIS 3.40 (Debian 13 chroot): ${QGIS340_TESTS[*]}"
set +e
chroot "$CHROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  PIP_CERT=/etc/terramind-host-ca.crt QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 GDAL_PAM_ENABLED=NO \
  XDG_RUNTIME_DIR="$WORK" TERRAMIND_RELEASE_ZIP="$TERRAMIND_RELEASE_ZIP" TERRAMIND_SEEDED_WEIGHTS="$WORK/weights" \
  TERRAMIND_LULC_REFERENCE="$WORK/lulc-qgis3.22.tif" TERRAMIND_RUNTIME_INSTALL=1 \
  bash -c '
    set -e
    cd "$1"; shift
    venv=/opt/terramind-tests
    [ -x $venv/bin/python ] || python3 -m venv --system-site-packages $venv
    $venv/bin/pip install -q --disable-pip-version-check $(grep -E "^(pytest|pytest-qgis|pytest-qt)==" requirements-dev.txt)
    $venv/bin/python -c "import sys, numpy, qgis.core; print(\"QGIS\", qgis.core.Qgis.version(), \"Python\", sys.version.split()[0], \"numpy\", numpy.__version__)"
    exec $venv/bin/python -m pytest -q -ra --basetemp "$0/pytest-chroot" "$@"
  ' "$WORK" "$ROOT" "${QGIS340_TESTS[@]}"
rc=$?
set -e
echo "QGIS 3.40 part: $((SECONDS - start)) s in all (exit $rc)"
exit "$rc"
