#!/usr/bin/env bash
# Everything `make test` runs, in order of cost: formatting and vet, then every
# Go test under the race detector inside a private D-Bus session with a real,
# unlocked gnome-keyring (so the keychain tests run for real and may not skip),
# the "no keychain" path, and last the end-to-end run of the real binary under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
# Fyne reads the locale from LANG; "C" (common in CI) makes it log an error.
case "${LANG:-C}" in C | C.* | POSIX) export LANG=en_US.UTF-8 ;; esac

step() { printf '\n== %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi

step "go vet"
go vet -tags ci ./...

step "go test -race (real Secret Service in a private D-Bus session)"
scripts/with-keyring.sh go test -race -tags ci -count=1 ./...

step "no keychain (DBUS_SESSION_BUS_ADDRESS=disabled:)"
DBUS_SESSION_BUS_ADDRESS=disabled: go test -tags ci -count=1 -run 'NoKeychain|Unavailable|MemoryOnly' ./session/...

step "end to end: the real binary under Xvfb"
scripts/e2e.sh
