package reliability

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"signet/demo"
	"signet/session"
	"signet/session/keychain"
)

// errLocked is what a locked collection whose unlock was refused looks like
// once the keychain package has classified it.
var errLocked = fmt.Errorf("keychain: get: failed to unlock correct collection: %w", keychain.ErrUnavailable)

// assertMemoryOnly: the session lives, says so, and persisted nothing.
func assertMemoryOnly(t *testing.T, r *rig, c *session.Controller) {
	t.Helper()
	s := wantState(t, c, session.SignedIn)
	if !s.MemoryOnly || s.Notice == "" {
		t.Fatalf("memory only %v, notice %q: want the person told", s.MemoryOnly, s.Notice)
	}
	mustFetch(t, c)
	for k := range r.prefs.All() {
		if strings.HasSuffix(k, ".saved") {
			t.Fatal("the preferences claim a saved session")
		}
	}
	if r.mem != nil && len(r.mem.Snapshot()) != 0 {
		t.Fatal("something was written to the keychain")
	}
	// It renews in memory too.
	r.clock.Advance(renewAfter)
	if s := wantState(t, c, session.SignedIn); s.Renewals != 1 || !s.MemoryOnly {
		t.Fatalf("renewals %d, memory only %v; want 1, true", s.Renewals, s.MemoryOnly)
	}
	mustFetch(t, c)
}

// keychainNoBus: the real OS store on Linux without a D-Bus session bus.
func keychainNoBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	r := newRig(t, rigOpts{})
	kc := keychain.NewOS(service, keychain.Options{Timeout: 500 * time.Millisecond})
	if err := kc.Available(); !errors.Is(err, keychain.ErrUnavailable) {
		t.Fatalf("Available() = %v, want unavailable without a bus", err)
	}
	r.kc, r.mem = kc, nil
	c := r.signedIn()
	assertMemoryOnly(t, r, c)
}

// keychainLockedAtRestore: a saved session, and at the next start the
// keychain refuses to unlock.
func keychainLockedAtRestore(t *testing.T) {
	r := newRig(t, rigOpts{})
	first := r.signedIn()
	first.Close()
	r.mem.FailWith(errLocked)

	c := r.start()
	s := wantState(t, c, session.Expired)
	if !s.MemoryOnly || s.Notice == "" || s.Username != demo.DemoUsername {
		t.Fatalf("memory only %v, notice %q, username %q: want the person told and the form filled",
			s.MemoryOnly, s.Notice, s.Username)
	}
	if n := r.demo.Stats().Refreshes; n != 0 {
		t.Fatalf("%d refreshes without tokens", n)
	}
	if err := c.SignIn(t.Context(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatalf("sign in with the keychain locked: %v", err)
	}
	s = wantState(t, c, session.SignedIn)
	if !s.MemoryOnly {
		t.Fatal("not memory only")
	}
	mustFetch(t, c)
	// The entry saved before the lock is still there for when it unlocks.
	r.mem.FailWith(nil)
	if r.stored() == "" {
		t.Fatal("the saved session was destroyed because the keychain was locked")
	}
}

func keychainLockedAtSignIn(t *testing.T) {
	r := newRig(t, rigOpts{})
	r.mem.FailWith(errLocked)
	c := r.signedIn()
	r.mem.FailWith(nil)
	assertMemoryOnly(t, r, c)
}

// keychainWriteFailsOnRefresh: the renewal succeeds at the server but the
// keychain refuses the write.
func keychainWriteFailsOnRefresh(t *testing.T) {
	r := newRig(t, rigOpts{})
	c := r.signedIn()
	mustFetch(t, c)
	old := r.lastAuth("/api/items")
	r.mem.Fail(keychain.OpSet, keychain.ErrUnavailable)

	r.clock.Advance(renewAfter)
	s := wantState(t, c, session.SignedIn)
	if !s.MemoryOnly || s.Notice == "" || s.Renewals != 1 {
		t.Fatalf("memory only %v, notice %q, renewals %d; want true, a notice, 1", s.MemoryOnly, s.Notice, s.Renewals)
	}
	mustFetch(t, c)
	if r.lastAuth("/api/items") == old {
		t.Fatal("the list went out with the old token")
	}
	// No start may spend the rotated-away pair the keychain still holds.
	if r.prefs.String("session.demo.saved") != "" {
		t.Fatal("the preferences still claim a saved session")
	}
	// And signing out leaves no secret behind in the keychain (R10).
	r.mem.Fail(keychain.OpSet, nil)
	c.SignOut(t.Context())
	wantState(t, c, session.SignedOut)
	if r.stored() != "" {
		t.Fatal("sign-out left a token entry in the keychain after a failed keychain write")
	}
}
