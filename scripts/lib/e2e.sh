# Shared by the scripts that drive the real window (e2e.sh, e2e-browser.sh,
# screenshots.sh); sourced, never run. It gives them a work folder removed
# on exit with everything they started, a standalone demo backend and its
# counters, and a private X server. Each script defines fail() first.

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# demo_server NAME ARGS...: a standalone demo backend on a free loopback
# port, its data in $WORK/NAME.db and its output in $WORK/NAME.out and .err;
# its address goes to $URL.
demo_server() {
  local name=$1
  shift
  bin/signet demo-server --addr 127.0.0.1:0 --data "$WORK/$name.db" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q 'http://' "$WORK/$name.out" 2>/dev/null && break; sleep 0.1; done
  URL=$(grep -o 'http://[0-9.:]*' "$WORK/$name.out" | awk 'NR == 1')
  [ -n "$URL" ] || fail "demo server $name did not start: $(cat "$WORK/$name.err")"
}

# stat NAME: a counter of the demo backend at $URL (started with --stats).
stat() { curl -fsS "$URL/stats" | tr -d ' \n' | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

# wait_stat_ge NAME MIN TIMEOUT_S: wait until the counter reaches MIN.
wait_stat_ge() {
  local deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    local v
    v=$(stat "$1")
    [ -n "$v" ] && [ "$v" -ge "$2" ] && return 0
    sleep 0.2
  done
  fail "stat $1 did not reach $2 (is $(stat "$1"))"
}

# start_xvfb [SCREEN]: a private X server on the first free display (Xvfb
# picks it and says which with -displayfd, so runs side by side never share
# one); exports DISPLAY and sets XVFB to its pid.
start_xvfb() {
  Xvfb -displayfd 3 -screen 0 "${1:-1280x800x24}" -nolisten tcp 3>"$WORK/xvfb.display" >"$WORK/xvfb.log" 2>&1 &
  XVFB=$!
  PIDS+=("$XVFB")
  local n=""
  for _ in $(seq 100); do
    n=$(tr -dc '0-9' <"$WORK/xvfb.display" 2>/dev/null || true)
    [ -n "$n" ] && break
    sleep 0.1
  done
  [ -n "$n" ] || fail "Xvfb did not start: $(cat "$WORK/xvfb.log")"
  export DISPLAY=":$n"
  for _ in $(seq 100); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
  xdpyinfo >/dev/null 2>&1 || fail "Xvfb did not start"
}

# The app under test for the end-to-end scripts (screenshots.sh defines its
# own, with a fresh settings folder per start): start_app runs it on the
# demo backend at $URL with a debug log in $WORK/app.log and waits for its
# window ($WID); shot NAME saves the screen as $ART/NAME.png; key sends keys
# to the window.
APP=""
start_app() {
  bin/signet --server "$URL" --log-level debug >>"$WORK/app.log" 2>&1 &
  APP=$!
  WID=$(timeout 60 xdotool search --sync --onlyvisible --name '^Signet' | awk 'NR == 1') || fail "no Signet window"
  xdotool windowfocus --sync "$WID" || true
}
shot() { import -window root "$ART/$1.png"; echo "screenshot $ART/$1.png"; }
key() { xdotool key --window "$WID" "$@"; }
