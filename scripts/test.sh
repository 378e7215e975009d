#!/usr/bin/env bash
# Everything `make test` runs, in order of cost: formatting and vet, then every
# Go test under the race detector inside a private D-Bus session with a real,
# unlocked gnome-keyring (so the keychain tests run for real and may not skip),
# the "no keychain" path, the end-to-end run of the real binary under Xvfb, and
# last the Windows build: its unit tests and a smoke test of the real
# Signet.exe, both under Wine. Each step says how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
# Fyne reads the locale from LANG; "C" (common in CI) makes it log an error.
case "${LANG:-C}" in C | C.* | POSIX) export LANG=en_US.UTF-8 ;; esac

STEP_AT=$SECONDS
step() {
  printf '\n== %s (previous step: %d s, total: %d s)\n' "$*" $((SECONDS - STEP_AT)) "$SECONDS"
  STEP_AT=$SECONDS
}

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi

step "go vet"
go vet -tags ci ./...

step "go.mod and go.sum are tidy"
if ! go mod tidy -diff; then echo "run 'go mod tidy'"; exit 1; fi

# The packages without cgo, vetted as Windows and macOS code too, so nothing
# Unix-only-but-not-macOS (or Unix-only at all) slips in.
step "go vet for Windows and macOS (session, api, profile)"
GOOS=windows CGO_ENABLED=0 go vet -tags ci ./session/... ./api/... ./profile
GOOS=darwin CGO_ENABLED=0 go vet -tags ci ./session/... ./api/... ./profile

step "go test -race (real Secret Service in a private D-Bus session)"
scripts/with-keyring.sh go test -race -tags ci -count=1 ./...

# Locking the keyring refuses every other test's keychain calls meanwhile,
# so the test that does it has a keyring of its own.
step "go test -race: a locked keychain (a keyring of its own)"
locked=$(SIGNET_TEST_KEYRING_ALONE=1 scripts/with-keyring.sh go test -race -tags ci -count=1 -v \
  -run '^TestReal_LockedKeychainIsUnavailable$' ./session/keychain/ 2>&1) || { echo "$locked"; exit 1; }
grep -E '^(--- |ok)' <<<"$locked"
grep -q '^--- PASS: TestReal_LockedKeychainIsUnavailable' <<<"$locked" || { echo "$locked"; echo "the locked-keychain test did not run"; exit 1; }

# The row-count check measures allocations the race detector distorts, so
# it is built without it.
step "bench count checks without the race detector"
go test -tags ci -count=1 ./bench/

step "no keychain (DBUS_SESSION_BUS_ADDRESS=disabled:)"
DBUS_SESSION_BUS_ADDRESS=disabled: go test -tags ci -count=1 -run 'NoKeychain|Unavailable|MemoryOnly' ./session/...

step "end to end: the real binary under Xvfb"
scripts/e2e.sh

step "end to end through the browser and on another device: the real binary under Xvfb"
scripts/e2e-browser.sh

step "Windows: the session and keychain tests as Windows programs under Wine"
scripts/windows-unit.sh

step "Windows: smoke test of the real Signet.exe under Wine and Xvfb"
scripts/windows-smoke.sh

step "done"
