package session

import (
	"context"
	"strings"
	"testing"
	"time"

	"signet/demo"
	"signet/session/keychain"
)

// restarted is a new Controller over the same keychain and preferences,
// its keychain calls counted, as the next start of the app.
func (e *env) restarted(mods ...func(*Config)) (*Controller, *keychain.Counting) {
	kc := keychain.NewCounting(e.kc)
	c := e.controller(append([]func(*Config){func(cfg *Config) { cfg.Keychain = kc }}, mods...)...)
	return c, kc
}

func TestRestore_LiveTokenSignsInWithNoLoginAndNoNetwork(t *testing.T) {
	e := newEnv(t, envOpts{})
	first := e.signedIn()
	want := first.Snapshot()
	first.Close()
	e.advance(10 * time.Second)
	requests := e.gate.requestCount()

	c, kc := e.restarted()
	c.Restore(context.Background())
	s := c.Snapshot()
	if s.State != SignedIn || s.User != want.User || !s.Expiry.Equal(want.Expiry) || !s.SignedInAt.Equal(want.SignedInAt) {
		t.Fatalf("restored %+v, want the saved session", s)
	}
	if got := e.gate.requestCount() - requests; got != 0 {
		t.Errorf("restore made %d network calls, want 0", got)
	}
	if got := kc.Counts(); got.Get != 1 || got.Total() != 1 {
		t.Errorf("keychain calls %+v, want exactly one Get", got)
	}
	mustFetch(t, c)
	if st := e.demo.Stats(); st.Logins != 1 || st.Refreshes != 0 {
		t.Errorf("server: %d logins %d refreshes, want 1 and 0", st.Logins, st.Refreshes)
	}
}

func TestRestore_DeadTokenRefreshes(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.signedIn().Close()
	e.advance(2 * time.Hour)

	c, kc := e.restarted()
	c.Restore(context.Background())
	s := c.Snapshot()
	if s.State != SignedIn || s.Renewals != 1 {
		t.Fatalf("restored %v renewals=%d err=%v, want SignedIn after one renewal", s.State, s.Renewals, s.Err)
	}
	if st := e.demo.Stats(); st.Logins != 1 || st.Refreshes != 1 {
		t.Errorf("server: %d logins %d refreshes, want 1 and 1", st.Logins, st.Refreshes)
	}
	if got := kc.Counts(); got.Get != 1 || got.Set != 1 {
		t.Errorf("keychain calls %+v, want one Get and one Set", got)
	}
	mustFetch(t, c)
}

func TestRestore_DeadTokenServerDownGivesOfflineNotSignedOut(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.signedIn().Close()
	e.advance(2 * time.Hour)
	e.server.stop()

	c, _ := e.restarted()
	c.Restore(context.Background())
	if s := c.Snapshot(); s.State != Offline || s.RetryAt.IsZero() || s.Username != demo.DemoUsername {
		t.Fatalf("restored %v retryAt=%v, want Offline with a retry planned", s.State, s.RetryAt)
	}
	e.server.start()
	e.advance(time.Second)
	waitFor(t, c, "SignedIn", func(s Snapshot) bool { return s.State == SignedIn })
}

func TestRestore_SignedOutStartMakesNoKeychainCall(t *testing.T) {
	e := newEnv(t, envOpts{})
	first := e.signedIn()
	first.SignOut(context.Background())
	first.Close()

	c, kc := e.restarted()
	c.Restore(context.Background())
	if s := c.Snapshot(); s.State != SignedOut || s.Username != demo.DemoUsername {
		t.Errorf("restored %v %q, want SignedOut with the username", s.State, s.Username)
	}
	if got := kc.Counts().Total(); got != 0 {
		t.Errorf("%d keychain calls, want 0", got)
	}
}

func TestRestore_KeychainUnavailable_MemoryOnlyNotice(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.signedIn().Close()
	e.kc.FailWith(keychain.ErrUnavailable)

	c, _ := e.restarted()
	c.Restore(context.Background())
	s := c.Snapshot()
	if s.State != Expired || !s.MemoryOnly || !strings.Contains(s.Notice, "keychain") || s.Username != demo.DemoUsername {
		t.Fatalf("restored %v memoryOnly=%v notice=%q user=%q", s.State, s.MemoryOnly, s.Notice, s.Username)
	}
	// Signing in still works, in memory.
	if err := c.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if s := c.Snapshot(); s.State != SignedIn || !s.MemoryOnly {
		t.Errorf("after sign-in: %v memoryOnly=%v", s.State, s.MemoryOnly)
	}
	mustFetch(t, c)
}

func TestRestore_EntryMissingGivesSignedOutWithUsername(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.signedIn().Close()
	if err := e.kc.Delete("demo/tokens"); err != nil {
		t.Fatal(err)
	}
	c, _ := e.restarted()
	c.Restore(context.Background())
	if s := c.Snapshot(); s.State != SignedOut || s.Username != demo.DemoUsername {
		t.Errorf("restored %v %q", s.State, s.Username)
	}
	if e.prefs.String("session.demo.saved") != "" {
		t.Error("saved flag kept for a missing entry")
	}
}

func TestRestore_NoRefreshTokenAndDeadTokenExpires(t *testing.T) {
	e := newEnv(t, envOpts{noRefresh: true})
	e.signedIn().Close()
	e.advance(2 * time.Hour)
	requests := e.gate.requestCount()
	c, _ := e.restarted()
	c.Restore(context.Background())
	if s := c.Snapshot(); s.State != Expired || s.Username != demo.DemoUsername {
		t.Errorf("restored %v %q, want Expired with the username", s.State, s.Username)
	}
	if e.gate.requestCount() != requests {
		t.Error("restore called the server")
	}
	if len(e.kc.Snapshot()) != 0 {
		t.Error("dead token left in the keychain")
	}
}
