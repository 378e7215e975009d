#!/usr/bin/env bash
# Installs what `make run` / `make test` need and are missing, so that a fresh
# Debian/Ubuntu machine needs no third command. Elsewhere it only says what to
# install. Usage: scripts/deps.sh build|test|windows
#   build    what `make run` / `make build` need (cgo + GLFW for Linux)
#   windows  the mingw-w64 cross compiler, for `make package-windows`
#   test     all of the above, plus a real window, a real Secret Service and
#            Wine (the Windows build's smoke test and unit tests run under it)
set -euo pipefail

build_pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev)
# Real window (Xvfb, xdotool, screenshots) and a real Secret Service for tests.
test_pkgs=(curl xvfb xdotool xclip imagemagick x11-utils gnome-keyring dbus dbus-x11 libsecret-tools)
# Cross-compiling for Windows (cgo: Fyne's GLFW driver) and running the result.
windows_pkgs=(gcc-mingw-w64-x86-64 zip unzip)
wine_pkgs=(wine wine64)

case "${1:-build}" in
  build) want=("${build_pkgs[@]}") ;;
  windows) want=("${windows_pkgs[@]}") ;;
  test) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${windows_pkgs[@]}" "${wine_pkgs[@]}") ;;
  *) echo "usage: $0 build|test|windows" >&2; exit 2 ;;
esac

if ! command -v go >/dev/null 2>&1; then
  need=$(awk '/^go /{print $2}' go.mod)
  echo "Go $need or newer is needed and 'go' is not on PATH: install it from https://go.dev/dl/ and run this again." >&2
  exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  # Not Debian/Ubuntu: check by command and pkg-config module, and stop with a list.
  lacking=()
  if [ "${1:-build}" != windows ]; then
    for c in gcc pkg-config; do command -v "$c" >/dev/null 2>&1 || lacking+=("$c"); done
    pkg-config --exists gl x11 xrandr xcursor xinerama xi xxf86vm 2>/dev/null ||
      lacking+=("OpenGL + X11 development headers (gl, x11, xrandr, xcursor, xinerama, xi, xxf86vm)")
  fi
  if [ "${1:-build}" != build ]; then
    command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || lacking+=("x86_64-w64-mingw32-gcc (mingw-w64)")
    for c in zip unzip; do command -v "$c" >/dev/null 2>&1 || lacking+=("$c"); done
  fi
  if [ "${1:-build}" = test ]; then
    for c in Xvfb xdotool import xdpyinfo gnome-keyring-daemon dbus-run-session secret-tool wine wineboot; do
      command -v "$c" >/dev/null 2>&1 || lacking+=("$c")
    done
  fi
  if [ ${#lacking[@]} -gt 0 ]; then
    echo "Not a Debian/Ubuntu system, so nothing was installed. Please install:" >&2
    printf '  - %s\n' "${lacking[@]}" >&2
    echo "(Debian names: ${want[*]})" >&2
    exit 1
  fi
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing system packages: ${missing[*]}" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "Missing packages and not root (no sudo either). As root run: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run (a parallel job, unattended-upgrades) rather than fail.
lock=(-o DPkg::Lock::Timeout=600)
"${sudo[@]}" apt-get "${lock[@]}" update -qq
"${sudo[@]}" apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
