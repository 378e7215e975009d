#!/usr/bin/env bash
# The Windows build of the session and keychain packages' tests, run as
# Windows programs under Wine (scripts/windows-wine.sh: a fresh prefix): the
# LockFileEx refresh lock across processes, the real Credential Manager
# (go-keyring's wincred backend; SIGNET_REQUIRE_KEYCHAIN=1 turns "no keychain"
# into a failure), the owner-only plaintext file, and the session tests; from
# the fault matrix, the row with two copies of the app on one machine, and
# its fault-injecting proxy.
#
# Pure Go (CGO_ENABLED=0): these packages need no cgo, so the test binaries
# build in seconds and do not recompile Fyne. No -race (it needs cgo).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SIGNET_WINDOWS_UNIT_INNER:-}" ]; then
  OUT=bin/windows-tests
  mkdir -p "$OUT"
  start=$SECONDS
  rm -f "$OUT"/*.test.exe
  for pkg in session session/keychain internal/tempdir internal/faultproxy reliability; do
    GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$OUT/$(echo "$pkg" | tr / -).test.exe" "./$pkg"
  done
  echo "windows-unit: built the test programs in $((SECONDS - start)) s"
  export SIGNET_WINDOWS_UNIT_INNER=1
  exec scripts/windows-wine.sh "$0" "$@"
fi

export SIGNET_REQUIRE_KEYCHAIN=1
failed=0
for exe in bin/windows-tests/*.test.exe; do
  name=$(basename "$exe" .test.exe)
  start=$SECONDS
  # Run from the package's folder, as go test does (testdata).
  dir=./$(echo "$name" | tr - /)
  select=(-test.run .)
  case $name in
    # The rest of the fault matrix needs Unix (D-Bus sockets, signals).
    reliability) select=(-test.run '^TestFaultMatrix$/^two_copies_rotating_refresh$') ;;
    # 200 simultaneous connections go through wineserver, which handles every
    # socket call of every thread one at a time: on a busy 2-core machine
    # that outlasts the test's 5 s client timeout. What it tests (one refresh
    # for many callers) has nothing Windows-specific and runs on Linux under
    # the race detector.
    session) select=(-test.skip '^TestTransport_ConcurrentCallsOnExpiredTokenShareOneRefresh$') ;;
  esac
  if (cd "$dir" && wine "$OLDPWD/$exe" -test.v -test.count=1 -test.timeout=5m "${select[@]}" "$@") >"$exe.log" 2>&1; then
    echo "ok   $name (Windows, under Wine): $(grep -c '^--- PASS' "$exe.log") passed," \
      "$(grep -c '^--- SKIP' "$exe.log") skipped, $((SECONDS - start)) s"
    # Each skip with its reason (the line t.Skip printed just before it).
    awk '/^--- SKIP/ { print "       skip " $3 ": " prev } { sub(/^ +/, ""); prev = $0 }' "$exe.log"
  else
    failed=$((failed + 1))
    grep -v 'wine32 is missing\|multiarch-support\|dpkg --add-architecture\|apt-get update\|apt-get install wine32' "$exe.log" >&2 || true
    echo "FAIL $name (Windows, under Wine) $((SECONDS - start)) s"
  fi
done
[ "$failed" -eq 0 ]
