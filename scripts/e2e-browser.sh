#!/usr/bin/env bash
# End to end through the browser, as a person would: the real binary in a real
# X window (Xvfb), a real keychain (gnome-keyring in a private D-Bus session),
# the standalone demo backend as the OpenID provider. The system browser is
# replaced by an xdg-open shim first on PATH (Fyne's OpenURL runs xdg-open on
# Linux) that plays the person: it opens the authorization URL, submits the
# demo's sign-in form with the demo account and follows the redirect back to
# Signet's loopback listener. Screenshots go to artifacts/e2e-browser/.
#
#   "Continue in browser" → waiting view → the shim signs in → list shown →
#   kill the app → start again → restored without the browser → sign out →
#   the refresh token revoked at the provider, keychain empty → "Sign in on
#   another device" → the code approved on the demo's device page → list
#   shown → sign out.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SIGNET_E2E_INNER:-}" ]; then
  export SIGNET_E2E_INNER=1
  exec scripts/with-keyring.sh "$0" "$@"
fi

APP_ID=io.signet.app
ART=artifacts/e2e-browser
mkdir -p "$ART" bin
rm -f "$ART"/*.png

echo "building the real binary (cgo, GLFW)…"
go build -o bin/signet .

# shellcheck source=scripts/lib/e2e.sh
. scripts/lib/e2e.sh

PASSED=0
FAILED=0
fail() {
  echo "E2E FAIL: $*" >&2
  [ -f "$WORK/app.log" ] && tail -n 30 "$WORK/app.log" >&2
  [ -f "$WORK/browser.log" ] && tail -n 10 "$WORK/browser.log" >&2
  echo "$PASSED passed, $((FAILED + 1)) failed"
  exit 1
}
pass() { PASSED=$((PASSED + 1)); echo "ok: $*"; }

# --- the person at the browser ----------------------------------------------
# The shim waits until the waiting view is on screen (the script tells it
# through $WORK/go) so the screenshot shows it, then signs in with curl.
mkdir -p "$WORK/shim"
cat >"$WORK/shim/xdg-open" <<'SHIM'
#!/usr/bin/env bash
set -u
url="$1"
log="$E2E_WORK/browser.log"
echo "browser: opened $(printf '%s' "$url" | sed 's/[?].*//')?…" >>"$log"
(
  for _ in $(seq 300); do [ -e "$E2E_WORK/go" ] && break; sleep 0.1; done
  jar=$(mktemp)
  page=$(curl -fsS -c "$jar" -b "$jar" "$url") || { echo "browser: GET failed" >>"$log"; exit 1; }
  req=$(printf '%s' "$page" | sed -n 's/.*name="request" value="\([^"]*\)".*/\1/p' | awk 'NR == 1')
  base=$(printf '%s' "$url" | sed 's#^\(https\{0,1\}://[^/]*\).*#\1#')
  echo "browser: sign-in page shown, submitting the demo account (Allow)" >>"$log"
  tab=$(curl -fsS -L -c "$jar" -b "$jar" --data-urlencode "request=$req" -d username=demo -d password=demo1234 \
    -d action=allow -w '\n%{url_effective}' "$base/oauth/authorize") || { echo "browser: POST failed" >>"$log"; exit 1; }
  echo "browser: redirected to $(printf '%s' "$tab" | tail -1 | sed 's/[?].*//')?… — tab says: $(printf '%s' "$tab" | grep -o 'Signed in to Signet[^<]*' | head -1)" >>"$log"
  rm -f "$jar"
) &
exit 0
SHIM
chmod +x "$WORK/shim/xdg-open"
export E2E_WORK="$WORK" PATH="$WORK/shim:$PATH" BROWSER="$WORK/shim/xdg-open"

# --- standalone demo backend (the OpenID provider) ----------------------------
demo_server demo --stats -v
echo "demo backend and OpenID provider at $URL"

# --- X server --------------------------------------------------------------------
start_xvfb

export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="${XDG_DATA_HOME:-$WORK/data}" LANG=en_US.UTF-8
# Read whole: with pipefail, grep -q's early exit would fail secret-tool.
keychain_has() { [ -n "$(secret-tool search --all service "$APP_ID" 2>/dev/null)" ]; }

# --- 1. "Continue in browser" ----------------------------------------------------
start_app
sleep 1.5
shot 01-signin
# The cursor starts in the username field; "Continue in browser" is two
# Shift+Tabs back (past "Sign in on another device"), and Space presses it.
key shift+Tab shift+Tab
key space
for _ in $(seq 100); do [ -s "$WORK/browser.log" ] && break; sleep 0.1; done
[ -s "$WORK/browser.log" ] || fail "the app did not open the browser"
sleep 1; shot 02-waiting
pass "the browser was opened on the authorization URL and the window waits"
touch "$WORK/go"
wait_stat_ge logins 1 30
wait_stat_ge list_calls 1 30
sleep 1; shot 03-list
for _ in $(seq 50); do keychain_has && break; sleep 0.1; done
keychain_has || fail "no keychain entry after the browser sign-in"
# The tokens the keychain holds (the ID token too), never printed: none of
# them may reach a log or the preferences (rule R13).
secret-tool search --all service "$APP_ID" 2>/dev/null | sed -n 's/^secret = //p' |
  grep -o '"\(access\|refresh\|id\)_token":"[^"]*"' | sed 's/^"[a-z_]*":"//; s/"$//' >"$WORK/secrets.txt" || true
[ "$(grep -c . "$WORK/secrets.txt")" -ge 3 ] || fail "the access, refresh and ID tokens are not all in the keychain"
[ "$(stat login_failures)" = 0 ] || fail "a password sign-in was tried"
pass "signed in through the browser: list shown, access, refresh and ID tokens in the keychain"

# --- 2. restart: restored without the browser -----------------------------------
LIST_BEFORE=$(stat list_calls)
OPENED=$(grep -c opened "$WORK/browser.log")
kill -9 "$APP"; wait "$APP" 2>/dev/null || true
start_app
wait_stat_ge list_calls $((LIST_BEFORE + 1)) 30
sleep 1; shot 04-restored
[ "$(stat logins)" = 1 ] || fail "restart signed in again (logins=$(stat logins))"
[ "$(grep -c opened "$WORK/browser.log")" = "$OPENED" ] || fail "restart opened the browser"
pass "restarted signed in, without the browser"

# --- 3. sign out: revoked at the provider, keychain empty ------------------------
key ctrl+shift+l
wait_stat_ge logouts 1 20
sleep 1; shot 05-signed-out
if keychain_has; then fail "keychain not empty after sign-out"; fi
pass "signed out: the provider was told, the keychain is empty"

# --- 3b. "Sign in on another device" ---------------------------------------------
# The person reads the code off the window (here: Copy code, then the
# clipboard) and approves it on the demo's device page with curl, as they
# would on their phone. xclip reads the clipboard (scripts/deps.sh test
# installs it).
command -v xclip >/dev/null 2>&1 || fail "xclip is needed to read the device code off the clipboard"
{
  sleep 1
  # Back on the form the cursor is in the username field again; the device
  # button is one Shift+Tab back. Then Tab reaches Copy code.
  key shift+Tab
  key space
  sleep 1.5; shot 06-device-code
  key Tab
  key space
  CODE=""
  for _ in $(seq 50); do CODE=$(xclip -o -selection clipboard 2>/dev/null || true); [ -n "$CODE" ] && break; sleep 0.1; done
  [ -n "$CODE" ] || fail "no user code on the clipboard after Copy code"
  echo "device: the window shows code $CODE; approving it on $URL/oauth/device"
  LIST_BEFORE=$(stat list_calls)
  curl -fsS -o /dev/null --data-urlencode "user_code=$CODE" -d username=demo -d password=demo1234 -d action=allow "$URL/oauth/device" ||
    fail "the device page refused the code"
  wait_stat_ge logins 2 30
  wait_stat_ge list_calls $((LIST_BEFORE + 1)) 30
  sleep 1; shot 07-device-list
  pass "signed in on another device with the code the window showed"
  key ctrl+shift+l
  wait_stat_ge logouts 2 20
  sleep 1
  if keychain_has; then fail "keychain not empty after the second sign-out"; fi
}
kill "$APP"; wait "$APP" 2>/dev/null || true

# --- 4. nothing secret leaked ------------------------------------------------------
[ -s "$WORK/secrets.txt" ] || fail "could not read the tokens back from the keychain"
for f in "$WORK/app.log" "$WORK/demo.out" "$WORK/demo.err" "$WORK/browser.log" $(find "$XDG_CONFIG_HOME" -type f -name '*.json'); do
  if grep -qF -f "$WORK/secrets.txt" "$f"; then fail "a token appears in $(basename "$f")"; fi
done
pass "no token in the app's debug log, the provider's output, the browser's log or the preferences ($(grep -c . "$WORK/secrets.txt") secrets checked)"

echo "--- the browser's side"
cat "$WORK/browser.log"
echo "demo backend stats: $(curl -fsS "$URL/stats" | tr -d '\n')"
echo "e2e-browser: $PASSED passed, $FAILED failed"
