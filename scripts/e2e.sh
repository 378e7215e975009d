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

# shellcheck source=scripts/lib/e2e.sh
. scripts/lib/e2e.sh

fail() { echo "E2E FAIL: $*" >&2; [ -f "$WORK/app.log" ] && tail -n 30 "$WORK/app.log" >&2; echo "0 passed, 1 failed"; exit 1; }

# --- standalone demo backend ---------------------------------------------------
demo_server demo --token-ttl "${TTL}s" --stats -v
echo "demo backend at $URL (token TTL ${TTL}s)"

# --- X server --------------------------------------------------------------------
start_xvfb

export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="${XDG_DATA_HOME:-$WORK/data}" LANG=en_US.UTF-8
# Every token the keychain has held, to prove none of them ever reached the
# logs, stdout/stderr or the preferences (rule R13). Never printed.
# Whether the keychain holds an entry of the app's. The output is read whole:
# `secret-tool … | grep -q .` under pipefail fails now and then even with an
# entry there (grep exits at the first line, secret-tool's next write gets
# SIGPIPE, and the pipeline's status is secret-tool's).
keychain_has_entry() {
  local out
  out=$(secret-tool search --all service "$APP_ID" 2>/dev/null) || true
  [ -n "$out" ]
}
collect_secrets() {
  secret-tool search --all service "$APP_ID" 2>/dev/null | sed -n 's/^secret = //p' |
    grep -o '"\(access\|refresh\)_token":"[^"]*"' | sed 's/^"[a-z_]*":"//; s/"$//' >>"$WORK/secrets.txt" || true
}

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
# The entry is written before the state says SignedIn (R7), but secret-tool
# reads through its own D-Bus connection: give it a moment (up to 20 s, since
# on a loaded machine one secret-tool run can take seconds).
end=$((SECONDS + 20))
while [ "$SECONDS" -lt "$end" ]; do keychain_has_entry && break; sleep 0.1; done
keychain_has_entry || fail "no keychain entry after sign-in"
collect_secrets

# --- 2. past the TTL: renewed without a sign-in --------------------------------
sleep $((TTL + 3))
key ctrl+r
wait_stat_ge list_calls_renewed 1 20
sleep 1; shot 04-after-renewal
collect_secrets
[ "$(stat unauthorized)" = 0 ] || echo "note: $(stat unauthorized) 401s answered (refresh + retry handled them)"
[ "$(stat refresh_refused)" = 0 ] || fail "a refresh was refused"
[ "$(stat logins)" = 1 ] || fail "expected exactly one login, got $(stat logins)"

# --- 3. kill and start again: restored from the keychain -------------------------
LIST_BEFORE=$(stat list_calls)
kill -9 "$APP"; wait "$APP" 2>/dev/null || true
start_app
wait_stat_ge list_calls $((LIST_BEFORE + 1)) 30
sleep 1; shot 05-restored
collect_secrets
[ "$(stat logins)" = 1 ] || fail "restart signed in again (logins=$(stat logins))"

# --- 4. sign out: keychain empty, server told ----------------------------------
key ctrl+shift+l
wait_stat_ge logouts 1 20
sleep 1; shot 06-signed-out
if keychain_has_entry; then fail "keychain not empty after sign-out"; fi
# --- 4b. the session ends mid-use: sign in again over the list, in place --------
# A second backend hands out no refresh tokens, so when the auth token dies the
# session ends while the list is on screen. The sign-in sheet must come up
# over the list with the username filled in (only the password is typed), and
# after signing in the window must be exactly as it was: same search,
# selection and scroll (the window below the top bar is compared pixel by
# pixel), without fetching the list again.
kill "$APP"; wait "$APP" 2>/dev/null || true
NR_TTL=10
MAIN_URL=$URL
demo_server norefresh --no-refresh --token-ttl "${NR_TTL}s" --stats
NR_URL=$URL URL=$MAIN_URL
nr_stat() { URL=$NR_URL stat "$@"; }
nr_wait_ge() { URL=$NR_URL wait_stat_ge "$@"; }
win_shot() { xdotool mousemove --window "$WID" 5 5; sleep 0.4; import -window "$WID" "$ART/$1.png"; echo "screenshot $ART/$1.png"; }

bin/signet --server "$NR_URL" --log-level debug >>"$WORK/app.log" 2>&1 &
APP=$!
WID=$(timeout 60 xdotool search --sync --onlyvisible --name '^Signet' | awk 'NR == 1') || fail "no Signet window"
xdotool windowfocus --sync "$WID" || true
sleep 1.5
# Another server: its own session, nothing remembered from part 1.
xdotool type --delay 40 "demo"; key Tab; xdotool type --delay 40 "demo1234"; key Return
nr_wait_ge logins 1 20
nr_wait_ge list_calls 1 20
SIGNED_IN_AT=$SECONDS
collect_secrets
sleep 1
key ctrl+f; xdotool type --delay 40 "books"
nr_wait_ge list_calls 2 10 # the server-side search
sleep 0.8
xdotool mousemove --window "$WID" 300 330 click 1 # a row: its detail opens
sleep 0.5
xdotool mousemove --window "$WID" 200 450 click 5 click 5 # scroll down a little
win_shot 07-before-expiry
LIST_CALLS=$(nr_stat list_calls)
sleep $((NR_TTL - (SECONDS - SIGNED_IN_AT) + 2))
win_shot 08-resignin-sheet
xdotool type --delay 40 "demo1234"; key Return
nr_wait_ge logins 2 20
sleep 1.5
win_shot 09-after-resignin
[ "$(nr_stat list_calls)" = "$LIST_CALLS" ] || fail "signing in again fetched the list again ($LIST_CALLS → $(nr_stat list_calls)): the place was not kept"
# Below the top bar (whose countdown moves on) the window must be unchanged.
eval "$(xdotool getwindowgeometry --shell "$WID")"
crop="${WIDTH}x$((HEIGHT - 110))+0+110"
sheet_px=$(compare -metric AE -fuzz 8% "$ART/07-before-expiry.png[$crop]" "$ART/08-resignin-sheet.png[$crop]" null: 2>&1 || true)
sheet_px=${sheet_px%% *}
[ "${sheet_px%.*}" -gt 20000 ] 2>/dev/null || fail "no sign-in sheet over the list when the session ended ($sheet_px pixels changed)"
diff_px=$(compare -metric AE -fuzz 8% "$ART/07-before-expiry.png[$crop]" "$ART/09-after-resignin.png[$crop]" null: 2>&1 || true)
diff_px=${diff_px%% *}
[ "${diff_px%.*}" -lt 400 ] 2>/dev/null || fail "the window changed across the re-sign-in ($diff_px pixels differ below the top bar)"
echo "re-sign-in in place: sheet shown, signed in with the remembered username, $diff_px pixels changed, no refetch"
key ctrl+r
nr_wait_ge list_calls $((LIST_CALLS + 1)) 10 # the new session works
kill "$APP"; wait "$APP" 2>/dev/null || true
kill "$XVFB" 2>/dev/null || true

# --- 5. nothing secret leaked --------------------------------------------------
[ "$(sort -u "$WORK/secrets.txt" | grep -c .)" -ge 2 ] || fail "could not read the tokens back from the keychain"
echo "demo1234" >>"$WORK/secrets.txt" # the password typed into the form
for f in "$WORK/app.log" "$WORK/demo.out" "$WORK/demo.err" $(find "$XDG_CONFIG_HOME" -type f -name '*.json'); do
  if grep -qF -f "$WORK/secrets.txt" "$f"; then fail "a token or the password appears in $(basename "$f")"; fi
done
echo "no token or password in the app's debug log, the backend's output or the preferences ($(sort -u "$WORK/secrets.txt" | grep -c .) secrets checked)"

echo "demo backend stats: $(curl -fsS "$URL/stats" | tr -d '\n')"
echo "e2e: 1 passed, 0 failed"
