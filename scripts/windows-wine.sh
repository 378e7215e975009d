#!/usr/bin/env bash
# Usage: scripts/windows-wine.sh CMD [ARGS...]
#
# Runs CMD with a fresh, throwaway Wine prefix (WINEPREFIX) in which Go
# programs built for Windows start: Wine 8 (Debian 12's) lacks
# bcryptprimitives.dll, whose ProcessPrng Go 1.22+ calls at start-up, so a
# stand-in built from tools/wine/bcryptprimitives.c with mingw-w64 is put into
# the prefix's system32 (it is test machinery, never shipped). CMD runs
# Windows programs with `wine PROGRAM.exe`; they see the Unix environment.
# On exit the prefix's Wine processes are stopped (wineserver -k, which
# touches only this prefix) and the prefix is removed.
#
# Set DISPLAY before calling when CMD opens windows: the prefix's desktop
# process is started here and keeps the display it was started with.
#
# Needs: wine, wine64 and gcc-mingw-w64-x86-64 (scripts/deps.sh test).
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 1 ] || { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
for tool in wine wineboot wineserver x86_64-w64-mingw32-gcc; do
  command -v "$tool" >/dev/null || { echo "windows-wine: $tool is not installed (scripts/deps.sh test)" >&2; exit 125; }
done

WINEPREFIX=$(mktemp -d "${TMPDIR:-/tmp}/signet-wine.XXXXXX")
export WINEPREFIX
# No debug chatter; no Mono or Gecko (their install prompts would wait).
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=${WINEDLLOVERRIDES:+;$WINEDLLOVERRIDES}"
cleanup() {
  wineserver -k 2>/dev/null || true
  wineserver -w 2>/dev/null || true
  rm -rf "$WINEPREFIX"
}
trap cleanup EXIT

start=$SECONDS
# Every wine call says "wine32 is missing" on a 64-bit-only install: harmless.
wineboot -i >"$WINEPREFIX.boot.log" 2>&1 || { cat "$WINEPREFIX.boot.log" >&2; rm -f "$WINEPREFIX.boot.log"; echo "windows-wine: wineboot failed" >&2; exit 125; }
rm -f "$WINEPREFIX.boot.log"
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  tools/wine/bcryptprimitives.c tools/wine/bcryptprimitives.def -lbcrypt
echo "windows-wine: fresh prefix $WINEPREFIX ($(wine --version 2>/dev/null), stand-in bcryptprimitives.dll) in $((SECONDS - start)) s" >&2

status=0
"$@" || status=$?
exit "$status"
