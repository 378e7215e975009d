#!/usr/bin/env bash
# End to end, as a person would: the real binary in a real X window (Xvfb),
# a real keychain (gnome-keyring in a private D-Bus session), a standalone demo
# backend with a short token lifetime. Screenshots go to artifacts/e2e/.
#
#   sign in with the keyboard → list shown → wait past the TTL → reload →
#   the list was fetched with a renewed token, nothing failed → kill the app →
#   start again → no new login, list fetched again → sign out → keychain empty.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SIGNET_E2E_INNER:-}" ]; then
  # Re-run inside a private D-Bus session with an unlocked keyring.
  export SIGNET_E2E_INNER=1
  exec scripts/with-keyring.sh "$0" "$@"
fi

APP_ID=io.signet.app
TTL=${E2E_TOKEN_TTL:-8}
ART=artifacts/e2e
mkdir -p "$ART" bin
rm -f "$ART"/*.png

echo "building the real binary (cgo, GLFW)…"
go build -o bin/signet .

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "E2E FAIL: $*" >&2; [ -f "$WORK/app.log" ] && tail -n 30 "$WORK/app.log" >&2; echo "0 passed, 1 failed"; exit 1; }

# --- standalone demo backend ---------------------------------------------------
bin/signet demo-server --addr 127.0.0.1:0 --data "$WORK/demo.db" --token-ttl "${TTL}s" --stats >"$WORK/demo.out" 2>"$WORK/demo.err" &
PIDS+=($!)
for _ in $(seq 100); do grep -q 'http://' "$WORK/demo.out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/demo.out" | head -1)
[ -n "$URL" ] || fail "demo server did not start: $(cat "$WORK/demo.err")"
echo "demo backend at $URL (token TTL ${TTL}s)"

stat() { curl -fsS "$URL/stats" | tr -d ' \n' | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
wait_stat_ge() { # name min timeout_s
  local deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    local v; v=$(stat "$1"); [ -n "$v" ] && [ "$v" -ge "$2" ] && return 0; sleep 0.2
  done
  fail "stat $1 did not reach $2 (is $(stat "$1"))"
}

# --- X server --------------------------------------------------------------------
DISP=:$((90 + RANDOM % 100))
Xvfb "$DISP" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB=$!
export DISPLAY=$DISP
for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo >/dev/null 2>&1 || fail "Xvfb did not start"

export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="${XDG_DATA_HOME:-$WORK/data}" LANG=en_US.UTF-8
APP=""
start_app() {
  bin/signet --server "$URL" --log-level debug >>"$WORK/app.log" 2>&1 &
  APP=$!
  WID=$(timeout 60 xdotool search --sync --onlyvisible --name '^Signet' | head -1) || fail "no Signet window"
  xdotool windowfocus --sync "$WID" || true
}
shot() { import -window root "$ART/$1.png"; echo "screenshot $ART/$1.png"; }
key() { xdotool key --window "$WID" "$@"; }

# --- 1. sign in with the keyboard ------------------------------------------------
start_app
sleep 1.5
shot 01-signin
xdotool type --delay 40 "demo"; key Tab; xdotool type --delay 40 "wrong-password"; key Return
wait_stat_ge login_failures 1 20
sleep 1; shot 02-wrong-password
# The password field keeps focus: select all, type the right one.
key ctrl+a; xdotool type --delay 40 "demo1234"; key Return
wait_stat_ge logins 1 20
wait_stat_ge list_calls 1 20
sleep 1; shot 03-list
secret-tool search --all service "$APP_ID" 2>/dev/null | grep -q . || fail "no keychain entry after sign-in"

# --- 2. past the TTL: renewed without a sign-in --------------------------------
sleep $((TTL + 3))
key ctrl+r
wait_stat_ge list_calls_renewed 1 20
sleep 1; shot 04-after-renewal
[ "$(stat unauthorized)" = 0 ] || echo "note: $(stat unauthorized) 401s answered (refresh + retry handled them)"
[ "$(stat refresh_refused)" = 0 ] || fail "a refresh was refused"
[ "$(stat logins)" = 1 ] || fail "expected exactly one login, got $(stat logins)"

# --- 3. kill and start again: restored from the keychain -------------------------
LIST_BEFORE=$(stat list_calls)
kill -9 "$APP"; wait "$APP" 2>/dev/null || true
start_app
wait_stat_ge list_calls $((LIST_BEFORE + 1)) 30
sleep 1; shot 05-restored
[ "$(stat logins)" = 1 ] || fail "restart signed in again (logins=$(stat logins))"

# --- 4. sign out: keychain empty, server told ----------------------------------
key ctrl+shift+l
wait_stat_ge logouts 1 20
sleep 1; shot 06-signed-out
if secret-tool search --all service "$APP_ID" 2>/dev/null | grep -q .; then fail "keychain not empty after sign-out"; fi
kill "$APP"; wait "$APP" 2>/dev/null || true
kill "$XVFB" 2>/dev/null || true

echo "demo backend stats: $(curl -fsS "$URL/stats" | tr -d '\n')"
echo "e2e: 1 passed, 0 failed"
