package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"signet/session/keychain"
)

// TestOSKeychain_SignInRestoreSignOut runs against the real Secret Service
// that scripts/with-keyring.sh provides (SIGNET_REQUIRE_KEYCHAIN=1).
func TestOSKeychain_SignInRestoreSignOut(t *testing.T) {
	if os.Getenv("SIGNET_REQUIRE_KEYCHAIN") != "1" {
		t.Skip("set SIGNET_REQUIRE_KEYCHAIN=1 with a Secret Service (scripts/with-keyring.sh)")
	}
	e := newEnv(t, envOpts{})
	service := fmt.Sprintf("io.signet.test.session.%d", time.Now().UnixNano())
	store := keychain.NewOS(service, keychain.Options{})
	t.Cleanup(func() { _ = store.Delete("demo/tokens") })
	withOS := func(cfg *Config) { cfg.Keychain = store; cfg.Service = service }

	first := e.signedIn(withOS)
	if s := first.Snapshot(); s.State != SignedIn || s.MemoryOnly {
		t.Fatalf("signed in: %v memoryOnly=%v notice=%q", s.State, s.MemoryOnly, s.Notice)
	}
	first.Close()

	c := e.controller(withOS)
	c.Restore(context.Background())
	if s := c.Snapshot(); s.State != SignedIn || s.MemoryOnly {
		t.Fatalf("restored: %v memoryOnly=%v", s.State, s.MemoryOnly)
	}
	if st := e.demo.Stats(); st.Logins != 1 {
		t.Errorf("%d logins, want 1", st.Logins)
	}
	mustFetch(t, c)
	c.SignOut(context.Background())
	if _, err := store.Get("demo/tokens"); !errors.Is(err, keychain.ErrNotFound) {
		t.Errorf("after sign-out the keychain Get = %v, want not found", err)
	}
}

// TestNoKeychain_OSUnavailable_MemoryOnlySession runs in make test's
// "no keychain" step (DBUS_SESSION_BUS_ADDRESS=disabled:).
func TestNoKeychain_OSUnavailable_MemoryOnlySession(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "disabled:" {
		t.Skip("needs DBUS_SESSION_BUS_ADDRESS=disabled:")
	}
	e := newEnv(t, envOpts{})
	store := keychain.NewOS("io.signet.test.nokeychain", keychain.Options{})
	c := e.signedIn(func(cfg *Config) { cfg.Keychain = store })
	s := c.Snapshot()
	if s.State != SignedIn || !s.MemoryOnly || s.Notice == "" {
		t.Fatalf("signed in: %v memoryOnly=%v notice=%q", s.State, s.MemoryOnly, s.Notice)
	}
	mustFetch(t, c)
}
