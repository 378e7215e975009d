#!/usr/bin/env bash
# Screenshots of the real window for the README: the real binary under Xvfb,
# a real keychain (gnome-keyring in a private D-Bus session), standalone demo
# backends, driven with xdotool like a person would. Each shot is cropped to
# the window. They go to docs/screenshots/ (committed, shown by the README)
# and artifacts/screenshots/.
#
#   scripts/screenshots.sh            # light theme (the README's)
#   THEME=dark scripts/screenshots.sh # dark theme, files end in -dark
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SIGNET_SHOTS_INNER:-}" ]; then
  export SIGNET_SHOTS_INNER=1
  exec scripts/with-keyring.sh "$0" "$@"
fi

THEME=${THEME:-light}
SUFFIX=""; [ "$THEME" = light ] || SUFFIX="-$THEME"
DOCS=docs/screenshots
ART=artifacts/screenshots
mkdir -p "$DOCS" "$ART" bin

echo "building the real binary (cgo, GLFW)…"
go build -o bin/signet .

# shellcheck source=scripts/lib/e2e.sh
. scripts/lib/e2e.sh
fail() { echo "screenshots: $*" >&2; [ -f "$WORK/app.log" ] && tail -n 30 "$WORK/app.log" >&2; exit 1; }

start_xvfb

export LANG=en_US.UTF-8 FYNE_THEME="$THEME"
APP="" WID=""
# start_app ARGS...: a fresh app (fresh preferences) on its own config dir.
start_app() {
  export XDG_CONFIG_HOME="$WORK/config-$RANDOM"
  bin/signet "$@" >>"$WORK/app.log" 2>&1 &
  APP=$!
  WID=$(timeout 60 xdotool search --sync --onlyvisible --name '^Signet' | awk 'NR == 1') || fail "no Signet window"
  xdotool windowfocus --sync "$WID" || true
  sleep 1.5
}
stop_app() { kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; }
key() { xdotool key --window "$WID" "$@"; }
type_text() { xdotool type --delay 30 "$1"; }
# click X Y: a left click at window coordinates.
click() { xdotool mousemove --window "$WID" "$1" "$2" click 1; }
shot() {
  sleep "${2:-0.8}"
  xdotool mousemove --window "$WID" 5 5 # no hover highlight in the shot
  sleep 0.3
  import -window "$WID" "$ART/$1$SUFFIX.png"
  cp "$ART/$1$SUFFIX.png" "$DOCS/$1$SUFFIX.png"
  echo "screenshot $DOCS/$1$SUFFIX.png"
}
sign_in() {
  type_text demo; key Tab; type_text demo1234; key Return
  sleep 2.5
}

# --- sign-in, list, detail, session panel --------------------------------------
demo_server main --token-ttl 120s
start_app --server "$URL"
shot signin
sign_in
shot list
# The fourth row: rows start under the menu bar, the top bar and the search
# box, and are about 50 px high.
click 300 ${ROW_Y:-330}
shot detail
key ctrl+i
shot session 1
stop_app

# --- the session ends mid-use: the sign-in sheet over the list -----------------
demo_server norefresh --no-refresh --token-ttl 6s
start_app --server "$URL"
sign_in
click 300 "${ROW_Y:-330}"
sleep 7 # the token dies; no refresh token, so the session ends
shot resignin 1
stop_app

kill "$XVFB" 2>/dev/null || true
echo "screenshots: done ($THEME)"
