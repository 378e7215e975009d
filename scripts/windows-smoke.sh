#!/usr/bin/env bash
# The Windows build, smoke-tested as a person would use it, under Wine on an
# X server of its own (Xvfb): the real GUI Signet.exe that
# `make package-windows` ships, a fresh Wine prefix (scripts/windows-wine.sh),
# the standalone demo backend (the Linux binary's `signet demo-server`).
#
#   sign in with the keyboard → the session is in Wine's Credential Manager →
#   kill the app → start it again → the list, without signing in → sign out →
#   the Credential Manager entry is gone.
#
# Screenshots go to artifacts/windows/. Ends with "N passed, M failed".
# Every phase prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
# Fyne reads the locale from LANG; "C" (common in CI) makes it log an error.
case "${LANG:-C}" in C | C.* | POSIX) export LANG=en_US.UTF-8 ;; esac

ART=artifacts/windows
APP_ID=io.signet.app
CREDS='HKCU\Software\Wine\Credential Manager'

PASSED=0 FAILED=0
# Seconds since the smoke test started (it runs in two processes, see below).
T0=${SIGNET_SMOKE_T0:-$(date +%s)} T=${SIGNET_SMOKE_T:-$(date +%s)}
since() { echo $(($(date +%s) - $1)); }
phase() { echo "[$(since "$T0") s] $* (previous phase: $(since "$T") s)"; T=$(date +%s); }
pass() { PASSED=$((PASSED + 1)); echo "PASS $*"; }
summary() { echo "windows smoke: $PASSED passed, $FAILED failed ($(since "$T0") s)"; }

if [ -z "${SIGNET_WINDOWS_SMOKE_INNER:-}" ]; then
  mkdir -p "$ART" bin
  rm -f "$ART"/*.png
  phase "building the Linux binary (for the demo backend) and the Windows package"
  built=1
  go build -o bin/signet . || built=""
  [ -z "$built" ] || scripts/windows-package.sh 2>&1 | sed 's/^/  /' || built=""
  [ -n "$built" ] || { echo "FAIL building"; FAILED=5; summary; exit 1; }
  pass "Signet.exe built: GUI subsystem, icon and version resource ($(du -h bin/Signet.exe | cut -f1))"

  WORK=$(mktemp -d)
  XVFB="" DEMO=""
  cleanup() {
    for p in $DEMO $XVFB; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
  }
  trap cleanup EXIT
  # -displayfd: a free display number, printed when the server is ready.
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/display" 2>"$WORK/xvfb.log" &
  XVFB=$!
  for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
  [ -s "$WORK/display" ] || { cat "$WORK/xvfb.log" >&2; echo "windows smoke: Xvfb did not start"; FAILED=1; summary; exit 1; }
  export DISPLAY=":$(cat "$WORK/display")"

  bin/signet demo-server --addr 127.0.0.1:0 --data "$WORK/demo.db" --stats >"$WORK/demo.out" 2>"$WORK/demo.err" &
  DEMO=$!
  for _ in $(seq 100); do grep -q 'http://' "$WORK/demo.out" 2>/dev/null && break; sleep 0.1; done
  export SIGNET_SMOKE_URL=$(grep -o 'http://[0-9.:]*' "$WORK/demo.out" | awk 'NR == 1')
  [ -n "$SIGNET_SMOKE_URL" ] || { cat "$WORK/demo.err" >&2; echo "windows smoke: the demo backend did not start"; FAILED=1; summary; exit 1; }

  phase "a fresh Wine prefix (display $DISPLAY, demo backend $SIGNET_SMOKE_URL)"
  export SIGNET_WINDOWS_SMOKE_INNER=1 SIGNET_SMOKE_PASSED=$PASSED SIGNET_SMOKE_T0=$T0 SIGNET_SMOKE_T=$T SIGNET_SMOKE_WORK=$WORK
  status=0
  scripts/windows-wine.sh "$0" "$@" || status=$?
  exit "$status"
fi

# --- inside the fresh Wine prefix -------------------------------------------------
PASSED=$SIGNET_SMOKE_PASSED
URL=$SIGNET_SMOKE_URL WORK=$SIGNET_SMOKE_WORK
CHECKS_LEFT=4 # the checks below, counted as failed if the run stops early
APP=""
stop_app() {
  if [ -n "$APP" ]; then kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; APP=""; fi
}
trap stop_app EXIT
fail() {
  echo "FAIL $*"
  [ -f "$WORK/app.log" ] && grep -v 'wine32 is missing\|multiarch\|add-architecture\|apt-get' "$WORK/app.log" | tail -n 20
  echo "demo backend stats: $(curl -fsS "$URL/stats" | tr -d ' \n')"
  FAILED=$CHECKS_LEFT
  summary
  exit 1
}
ok() { pass "$*"; CHECKS_LEFT=$((CHECKS_LEFT - 1)); }

stat() { curl -fsS "$URL/stats" | tr -d ' \n' | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
wait_stat_ge() { # name min timeout_s
  local deadline=$((SECONDS + $3)) v
  while [ $SECONDS -lt $deadline ]; do
    v=$(stat "$1"); [ -n "$v" ] && [ "$v" -ge "$2" ] && return 0; sleep 0.2
  done
  return 1
}
# read_creds: Signet's entries in Wine's Credential Manager into CRED_LINES.
# The store must be readable: an unreadable one must not pass for empty.
CRED_LINES=""
read_creds() {
  local all
  all=$(wine reg query "$CREDS" /s 2>/dev/null) || fail "could not read Wine's Credential Manager ($CREDS)"
  CRED_LINES=$(tr -d '\r' <<<"$all" | grep -i "^HKEY.*$APP_ID" || true)
}
signet_windows() { xdotool search --onlyvisible --name '^Signet$' 2>/dev/null || true; }
start_app() {
  wine bin/Signet.exe --server "$URL" --log-level debug >>"$WORK/app.log" 2>&1 &
  APP=$!
  WID=$(timeout 90 xdotool search --sync --onlyvisible --name '^Signet$' | awk 'NR == 1') || fail "no Signet window within 90 s"
  xdotool windowfocus --sync "$WID" 2>/dev/null || true
}
key() { xdotool key --window "$WID" "$@"; }
shot() { sleep 1; import -window "$WID" "$ART/$1.png"; echo "screenshot $ART/$1.png"; }
# differs A B: how many pixels differ between two screenshots.
differs() { local n; n=$(compare -metric AE -fuzz 8% "$ART/$1.png" "$ART/$2.png" null: 2>&1 || true); echo "${n%% *}"; }

phase "starting Signet.exe"
start_app
phase "window up; signing in with the keyboard"
sleep 1.5
shot 01-signin
xdotool type --delay 50 demo; key Tab; xdotool type --delay 50 demo1234; key Return
wait_stat_ge logins 1 30 || fail "no sign-in reached the backend (logins=$(stat logins))"
wait_stat_ge list_calls 1 30 || fail "the list was not fetched after signing in"
shot 02-list
for _ in $(seq 50); do read_creds; [ -n "$CRED_LINES" ] && break; sleep 0.2; done
[ -n "$CRED_LINES" ] || fail "no $APP_ID entry in Wine's Credential Manager after signing in"
ok "signed in with the keyboard; list fetched; session in Wine's Credential Manager: $CRED_LINES"

phase "kill -9 and start again"
LIST_BEFORE=$(stat list_calls)
kill -9 "$APP"; wait "$APP" 2>/dev/null || true; APP=""
for _ in $(seq 50); do [ -z "$(signet_windows)" ] && break; sleep 0.2; done
[ -z "$(signet_windows)" ] || fail "the killed app's window is still there"
start_app
wait_stat_ge list_calls $((LIST_BEFORE + 1)) 60 || fail "after the restart the list was not fetched"
[ "$(stat logins)" = 1 ] || fail "the restart signed in again (logins=$(stat logins))"
shot 03-restored
px=$(differs 01-signin 03-restored)
[ "${px%.*}" -gt 20000 ] 2>/dev/null || fail "after the restart the window looks like the sign-in form ($px pixels differ)"
ok "restarted: the list without signing in (logins=1, list calls $LIST_BEFORE → $(stat list_calls), $px pixels differ from the sign-in form)"

phase "signing out (Ctrl+Shift+L)"
key ctrl+shift+l
wait_stat_ge logouts 1 30 || fail "sign-out did not reach the backend"
for _ in $(seq 50); do read_creds; [ -z "$CRED_LINES" ] && break; sleep 0.2; done
[ -z "$CRED_LINES" ] || fail "the Credential Manager still holds $CRED_LINES after signing out"
shot 04-signed-out
ok "signed out: the backend was told and the Credential Manager entry is gone"

stop_app
# Nothing secret in what the app printed (its debug log): the password, or a
# token (the demo's tokens are JWTs, which start with eyJ).
grep -q 'level=DEBUG' "$WORK/app.log" || fail "the app printed no debug log to check"
if grep -q 'demo1234\|eyJ' "$WORK/app.log"; then fail "the password or a token appears in the app's output"; fi
ok "no password or token in the app's debug log ($(grep -c . "$WORK/app.log") lines)"
echo "screenshots: $(ls "$ART"/*.png | tr '\n' ' ')"
echo "demo backend stats: $(curl -fsS "$URL/stats" | tr -d ' \n')"
phase "done"
summary
