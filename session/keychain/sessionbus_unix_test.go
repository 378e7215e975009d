//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package keychain

import (
	"errors"
	"os"
	"testing"
	"time"
)

func TestCheckSessionBus_AnswersLikeGodbusWouldFindABus(t *testing.T) {
	const uid = 1000
	for _, tc := range []struct {
		name    string
		addr    string
		files   map[string]string
		present bool
	}{
		{"address set", "unix:path=/run/user/1000/bus", nil, true},
		{"disabled", "disabled:", nil, false},
		{"disabled with a fallback socket", "disabled:", map[string]string{"/run/user/1000/bus": ""}, false},
		{"unset, no socket", "", nil, false},
		{"autolaunch, no socket", "autolaunch:", nil, false},
		{"unset, socket in /run/user", "", map[string]string{"/run/user/1000/bus": ""}, true},
		{"unset, dbus-session file", "", map[string]string{"/run/user/1000/dbus-session": "DBUS_SESSION_BUS_ADDRESS=unix:abstract=/tmp/x\n"}, true},
		{"unset, dbus-session file without an address", "", map[string]string{"/run/user/1000/dbus-session": "garbage"}, false},
		{"unset, socket for another user", "", map[string]string{"/run/user/0/bus": ""}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "DBUS_SESSION_BUS_ADDRESS" {
					return tc.addr
				}
				return ""
			}
			exists := func(p string) bool { _, ok := tc.files[p]; return ok }
			readFile := func(p string) ([]byte, error) {
				if c, ok := tc.files[p]; ok {
					return []byte(c), nil
				}
				return nil, os.ErrNotExist
			}
			err := checkSessionBus(getenv, exists, readFile, uid)
			if (err == nil) != tc.present {
				t.Fatalf("checkSessionBus = %v, want bus present = %v", err, tc.present)
			}
			if err != nil && !errors.Is(err, errNoSessionBus) {
				t.Fatalf("error %v is not errNoSessionBus", err)
			}
		})
	}
}

// The "no keychain" path that scripts/test.sh runs on its own with
// DBUS_SESSION_BUS_ADDRESS=disabled: set for the whole process.
func TestOS_NoKeychain_DisabledBusIsUnavailableWithoutCallingTheLibrary(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	b := newFakeBackend()
	s := newOS("signet-test", Options{}, b, sessionBusCheck, realTimer)

	start := time.Now()
	_, getErr := s.Get("k")
	for op, err := range map[string]error{"get": getErr, "set": s.Set("k", "secret-value"), "delete": s.Delete("k"), "available": s.Available()} {
		if !errors.Is(err, ErrUnavailable) || !errors.Is(err, errNoSessionBus) {
			t.Errorf("%s error = %v, want ErrUnavailable for no session bus", op, err)
		}
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("four calls took %s, want them to fail at once", elapsed)
	}
	if _, calls := b.snapshot(); len(calls) != 0 {
		t.Fatalf("the library was called: %q", calls)
	}
}

// NewOS must wire the check in: with the real go-keyring behind it, a call
// here would run dbus-launch or fail slowly instead.
func TestNewOS_NoKeychain_ChecksTheBusBeforeTheLibrary(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	_, err := NewOS("signet-test-no-bus", Options{}).Get("k")
	if !errors.Is(err, errNoSessionBus) {
		t.Fatalf("Get error = %v, want the no-session-bus error", err)
	}
}
