package keychain

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// TimeoutError is returned when a keychain call did not finish in time. It
// counts as ErrUnavailable: a keychain that does not answer cannot be used
// right now. The call itself may still finish later in the background (a
// goroutine cannot be stopped); the next call on the same OS store waits for
// it first, so calls never overlap.
type TimeoutError struct {
	Op      string        // "get", "set" or "delete"
	Key     string        // the entry's key, never its value
	Timeout time.Duration // the limit that was exceeded
	// Queued is true when the time ran out while an earlier call, itself
	// timed out, was still holding the keychain.
	Queued bool
}

func (e *TimeoutError) Error() string {
	msg := fmt.Sprintf("keychain: %s %q timed out after %s", e.Op, e.Key, e.Timeout)
	if e.Queued {
		msg += " waiting for an earlier call to finish"
	}
	return msg
}

// Is makes errors.Is(err, ErrUnavailable) true for a timeout.
func (e *TimeoutError) Is(target error) bool { return target == ErrUnavailable }

// CorruptError is returned by Get when a chunked entry cannot be put back
// together: a chunk is missing, or the chunks do not match the header's
// checksum. That happens when a write of a long value was cut short, or when
// another process rewrote the entry while this one read it. It counts as
// ErrNotFound, so callers treat it like a missing entry (sign in again) and
// the next Set replaces it; use errors.As to tell it apart.
type CorruptError struct {
	Key    string
	Reason string // what is wrong, never any part of the value
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("keychain: entry %q is incomplete or corrupt (%s)", e.Key, e.Reason)
}

// Is makes errors.Is(err, ErrNotFound) true for a corrupt entry.
func (e *CorruptError) Is(target error) bool { return target == ErrNotFound }

// mapError turns a go-keyring error into this package's errors. payload is
// the value the call tried to write, if any: an error text that quotes it is
// rewritten, because keychain errors end up in logs and notices.
//
//   - keyring.ErrNotFound becomes ErrNotFound, returned bare (it is the
//     expected answer for a missing entry, and has nothing to add).
//   - Anything that means the Secret Service cannot serve us now (see
//     isUnavailable) wraps both ErrUnavailable and the cause.
//   - Anything else wraps the cause.
func mapError(op, key, payload string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNotFound
	}
	unavailable := isUnavailable(err)
	err = redact(err, payload)
	if unavailable {
		return fmt.Errorf("keychain: %s %q: %w: %w", op, key, ErrUnavailable, err)
	}
	return fmt.Errorf("keychain: %s %q: %w", op, key, err)
}

// isUnavailable reports whether err means the keychain cannot be used right
// now, as opposed to a fault in this particular call.
func isUnavailable(err error) bool {
	if errors.Is(err, ErrUnavailable) {
		return true
	}
	// Any error reply over D-Bus: the name org.freedesktop.secrets is not
	// provided by any service (ServiceUnknown), the daemon did not answer
	// (NoReply), activation failed (Spawn.*), there is no default or login
	// collection (UnknownObject), the collection is locked (Secret.Error.IsLocked)…
	// In every case the Secret Service refused, and nothing Signet could do
	// differently would make the call succeed.
	var dbusErr dbus.Error
	var dbusErrPtr *dbus.Error
	if errors.As(err, &dbusErr) || errors.As(err, &dbusErrPtr) {
		return true
	}
	// The bus socket is gone or refuses connections.
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, dbus.ErrClosed) {
		return true
	}
	msg := err.Error()
	switch {
	// godbus's own connection errors: no address, bad address, failed
	// authentication. All start with its package prefix.
	case strings.HasPrefix(msg, "dbus: "):
		return true
	// go-keyring's answer when the unlock prompt was dismissed or the
	// collection stayed locked.
	case strings.Contains(msg, "failed to unlock correct collection"):
		return true
	}
	return false
}

// minRedactLen is the shortest value redact looks for. Shorter strings turn
// up in ordinary error text by chance (a one-byte last chunk would blank out
// every "e"), and a fragment that short gives nothing away.
const minRedactLen = 8

// redact returns err with every occurrence of secret in its text replaced.
// The original error is dropped rather than wrapped, so no errors.Unwrap
// can bring the secret back; callers classify the error before redacting.
func redact(err error, secret string) error {
	if len(secret) < minRedactLen || !strings.Contains(err.Error(), secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, "[redacted]"))
}

// panicError is what a recovered panic inside go-keyring becomes. The
// library type-asserts replies from the D-Bus daemon without checking; a
// misbehaving Secret Service must not take the app down with it.
type panicError struct{ value any }

func (e panicError) Error() string { return fmt.Sprintf("go-keyring panicked: %v", e.value) }

// Is makes a recovered panic count as ErrUnavailable.
func (e panicError) Is(target error) bool { return target == ErrUnavailable }
