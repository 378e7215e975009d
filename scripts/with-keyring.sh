#!/usr/bin/env bash
# Usage: scripts/with-keyring.sh CMD [ARGS...]
#
# Runs CMD inside a private D-Bus session with a freshly started and unlocked
# gnome-keyring, so code that uses the Secret Service (go-keyring) talks to a
# real keychain that belongs to this run only. CMD sees
# SIGNET_REQUIRE_KEYCHAIN=1, which turns "no keychain" from a skip into a
# failure in the keychain tests, and SIGNET_TEST_KEYRING_PASSWORD, the
# throwaway keyring's password, so a test may lock the keyring and unlock it
# again. The keyring's files and sockets live in a temporary XDG_DATA_HOME /
# XDG_RUNTIME_DIR that is removed on exit. The D-Bus session gets no
# DISPLAY, so an unlock prompt can never appear and wait for a click: a
# locked keyring fails at once, as on a headless machine (CMD still gets
# DISPLAY). Exits with CMD's status. Diagnostics go to stderr; stdout is
# CMD's alone.
#
# Needs the Debian packages gnome-keyring, dbus (dbus-run-session,
# dbus-send) and libsecret-tools (secret-tool). Works as root.
set -euo pipefail

say() { printf 'with-keyring: %s\n' "$*" >&2; }
die() {
	say "$*"
	if [ -s "${SIGNET_KEYRING_TMP:-}/dbus-daemon.log" ]; then
		say "D-Bus daemon log:"
		cat "$SIGNET_KEYRING_TMP/dbus-daemon.log" >&2
	fi
	exit 125
}

inside_session() {
	local password="signet-test-keyring" # not a secret: this keyring lives for one run
	local log="$SIGNET_KEYRING_TMP/gnome-keyring.log"

	# A non-empty password makes gnome-keyring create and unlock the "login"
	# collection. --daemonize returns before the daemon owns its bus name.
	printf %s "$password" |
		gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null 2>"$log" ||
		{ cat "$log" >&2; die "gnome-keyring-daemon did not start"; }

	local owned=""
	for _ in $(seq 100); do
		if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
			org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
			grep -q "boolean true"; then
			owned=1
			break
		fi
		sleep 0.1
	done
	[ -n "$owned" ] || { cat "$log" >&2; die "gnome-keyring never took the name org.freedesktop.secrets (waited 10 s)"; }

	daemon_pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets |
		awk '/uint32/ {print $2}')
	[ -n "$daemon_pid" ] || die "could not find the process id of gnome-keyring-daemon"
	# Stop the daemon this script started, by its id, however CMD ends.
	trap 'kill "$daemon_pid" 2>/dev/null || true' EXIT

	# go-keyring writes to the "login" collection, else to the "default"
	# alias; make both the same collection so there is one place to look.
	local login=/org/freedesktop/secrets/collection/login
	dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
		org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Service string:Collections 2>/dev/null |
		grep -q "\"$login\"" ||
		die "gnome-keyring has no \"login\" collection (it is created only when the daemon is unlocked with a non-empty password)"
	dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
		org.freedesktop.Secret.Service.SetAlias string:default "objpath:$login" >/dev/null ||
		die "could not make the \"login\" collection the default one"

	# One round trip through libsecret, so a keyring that is there but does
	# not work fails here, with this message, rather than as odd test failures.
	local check="signet-keyring-check-$$" got
	printf %s "$check" | secret-tool store --label="Signet keyring check" signet-check "$check" ||
		die "secret-tool could not store a secret in the fresh keyring"
	got=$(secret-tool lookup signet-check "$check") ||
		die "secret-tool could not read back the secret it just stored"
	[ "$got" = "$check" ] || die "secret-tool read back a different secret than it stored"
	secret-tool clear signet-check "$check" || die "secret-tool could not remove its check secret"

	export SIGNET_REQUIRE_KEYCHAIN=1 SIGNET_TEST_KEYRING_PASSWORD="$password"
	if [ -n "${SIGNET_KEYRING_DISPLAY:-}" ]; then export DISPLAY="$SIGNET_KEYRING_DISPLAY"; fi
	if [ -n "${SIGNET_KEYRING_WAYLAND_DISPLAY:-}" ]; then export WAYLAND_DISPLAY="$SIGNET_KEYRING_WAYLAND_DISPLAY"; fi
	unset SIGNET_KEYRING_DISPLAY SIGNET_KEYRING_WAYLAND_DISPLAY
	local status=0
	"$@" || status=$?
	return "$status"
}

if [ "${SIGNET_KEYRING_INSIDE:-}" = 1 ]; then
	unset SIGNET_KEYRING_INSIDE
	inside_session "$@"
	exit $?
fi

[ $# -ge 1 ] || { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
for tool in dbus-run-session dbus-send gnome-keyring-daemon secret-tool; do
	command -v "$tool" >/dev/null ||
		die "$tool is not installed (Debian: apt-get install gnome-keyring dbus libsecret-tools)"
done

SIGNET_KEYRING_TMP=$(mktemp -d "${TMPDIR:-/tmp}/signet-keyring.XXXXXX")
trap 'rm -rf "$SIGNET_KEYRING_TMP"' EXIT
export SIGNET_KEYRING_TMP
export XDG_DATA_HOME="$SIGNET_KEYRING_TMP/data" XDG_RUNTIME_DIR="$SIGNET_KEYRING_TMP/run"
mkdir -p "$XDG_DATA_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"

# The bus daemon logs every service activation (and passes on the unlock
# prompter's complaints) on stderr; keep that in a file, shown if setup fails.
cat >"$SIGNET_KEYRING_TMP/dbus-daemon" <<'WRAPPER'
#!/bin/sh
exec dbus-daemon "$@" 2>>"$SIGNET_KEYRING_TMP/dbus-daemon.log"
WRAPPER
chmod +x "$SIGNET_KEYRING_TMP/dbus-daemon"

# dbus-daemon passes its environment to the services it starts, the unlock
# prompter among them: hide the display from it, hand it back to CMD.
export SIGNET_KEYRING_DISPLAY="${DISPLAY:-}" SIGNET_KEYRING_WAYLAND_DISPLAY="${WAYLAND_DISPLAY:-}"
status=0
SIGNET_KEYRING_INSIDE=1 env -u DISPLAY -u WAYLAND_DISPLAY \
	dbus-run-session --dbus-daemon="$SIGNET_KEYRING_TMP/dbus-daemon" -- "$(readlink -f "$0")" "$@" || status=$?
exit "$status"
