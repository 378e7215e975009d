package session

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"signet/demo"
	"signet/session/keychain"
)

// killPoints records what is on disk (preferences, keychain) after every
// single persistent change a controller makes: each record is a moment a
// kill -9 could leave behind.
type killPoints struct {
	mu     sync.Mutex
	kc     *keychain.Memory
	prefs  *MemoryPreferences
	op     string
	points []killPoint
}

type killPoint struct {
	op        string
	prefs, kc map[string]string
}

func (k *killPoints) record() {
	k.points = append(k.points, killPoint{op: k.op, prefs: k.prefs.All(), kc: k.kc.Snapshot()})
}

func (k *killPoints) during(op string) { k.mu.Lock(); k.op = op; k.mu.Unlock() }

// recPrefs are the recorded preferences; an Update is one write, as a
// StateFile makes it.
type recPrefs struct{ k *killPoints }

func (p recPrefs) String(key string) string { return p.k.prefs.String(key) }
func (p recPrefs) SetString(key, v string) {
	p.Update(func(q Preferences) { q.SetString(key, v) })
}
func (p recPrefs) RemoveValue(key string) { p.Update(func(q Preferences) { q.RemoveValue(key) }) }
func (p recPrefs) Update(fn func(Preferences)) {
	p.k.mu.Lock()
	defer p.k.mu.Unlock()
	fn(p.k.prefs)
	p.k.record()
}

type recStore struct{ k *killPoints }

func (s recStore) Get(key string) (string, error) { return s.k.kc.Get(key) }
func (s recStore) Set(key, v string) error {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	err := s.k.kc.Set(key, v)
	s.k.record()
	return err
}
func (s recStore) Delete(key string) error {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	err := s.k.kc.Delete(key)
	s.k.record()
	return err
}

// orphaned returns a keychain entry the preferences don't know about (no
// "saved" marker, no note to delete it), if any: an entry no start would
// ever read or remove.
func orphaned(prefs, kc map[string]string) string {
	for key := range kc {
		if key == "demo/tokens" && prefs["session.demo.saved"] != "1" && prefs["session.demo.delete_entry"] != "1" {
			return key
		}
	}
	return ""
}

// Design R14, checked at every moment a kill could hit: sign-in, two
// renewals, sign-out, a second sign-in and an expiry. At each one no
// keychain entry is unknown to the preferences, and a start from exactly
// that state ends signed in or cleanly signed out, the username kept and no
// entry left behind.
func TestKillPoints_NoMomentLosesTheUsernameOrOrphansAnEntry(t *testing.T) {
	e := newEnv(t, envOpts{})
	k := &killPoints{kc: keychain.NewMemory(), prefs: NewMemoryPreferences()}
	rec := func(cfg *Config) { cfg.Keychain, cfg.Prefs = recStore{k}, recPrefs{k} }
	c := e.controller(rec)
	c.Restore(t.Context())
	k.during("sign-in")
	if err := c.SignIn(t.Context(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		k.during(fmt.Sprintf("renewal %d", i+1))
		e.advance(renewDue)
		mustFetch(t, c)
	}
	k.during("sign-out")
	c.SignOut(t.Context())
	k.during("second sign-in")
	if err := c.SignIn(t.Context(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	k.during("expiry")
	e.gate.refreshStatus.Store(400)
	e.advance(renewDue)
	waitFor(t, c, "Expired", func(s Snapshot) bool { return s.State == Expired })
	e.gate.refreshStatus.Store(0)
	c.Close()

	if len(k.points) < 10 {
		t.Fatalf("only %d persistent changes recorded", len(k.points))
	}
	for i, p := range k.points {
		at := fmt.Sprintf("kill point %d (during %s)", i, p.op)
		if key := orphaned(p.prefs, p.kc); key != "" {
			t.Errorf("%s: keychain entry %q with no saved marker: orphaned by a kill here", at, key)
		}
		if p.prefs["session.demo.username"] != demo.DemoUsername {
			t.Errorf("%s: the username is not saved", at)
		}

		// Start again from exactly this state.
		prefs, kc := NewMemoryPreferences(), keychain.NewMemory()
		maps.Copy(prefs.m, p.prefs)
		for key, v := range p.kc {
			_ = kc.Set(key, v)
		}
		r := e.controller(func(cfg *Config) { cfg.Keychain, cfg.Prefs = kc, prefs })
		r.Restore(context.Background())
		s := r.Snapshot()
		switch s.State {
		case SignedIn, SignedOut, Expired:
		default:
			t.Errorf("%s: the restart ended %s", at, s.State)
		}
		if s.Username != demo.DemoUsername {
			t.Errorf("%s: the restart lost the username (%q)", at, s.Username)
		}
		if s.State != SignedIn && len(kc.Snapshot()) != 0 {
			t.Errorf("%s: the restart ended %s with an entry left in the keychain", at, s.State)
		}
		r.Close()
	}
}

// A sign-out whose keychain delete fails leaves a note; the next start
// with a working keychain deletes the entry instead of never looking at it
// again.
func TestSignOut_FailedDeleteIsRetriedAtTheNextStart(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn()
	e.kc.Fail(keychain.OpDelete, keychain.ErrUnavailable)
	c.SignOut(t.Context())
	c.Close()
	if _, ok := e.stored(); !ok {
		t.Fatal("the failing delete removed the entry; the test needs it left")
	}
	if e.prefs.String("session.demo.delete_entry") != "1" {
		t.Fatalf("no note of the entry left behind: %v", e.prefs.All())
	}

	e.kc.Fail(keychain.OpDelete, nil)
	r := e.controller()
	r.Restore(t.Context())
	if s := r.Snapshot(); s.State != SignedOut || s.Username != demo.DemoUsername {
		t.Fatalf("restart: %s, username %q; want SignedOut with the username", s.State, s.Username)
	}
	if _, ok := e.stored(); ok {
		t.Fatal("the entry the sign-out could not delete is still in the keychain")
	}
	if v := e.prefs.String("session.demo.delete_entry"); v != "" {
		t.Fatal("the note outlived the delete")
	}
}

// A keychain write that timed out may still land after the app gave up on
// it: the session goes on in memory, and the entry it may have made is
// noted, then deleted at the next start.
func TestSignIn_TimedOutWriteIsNotedAndDeletedAtTheNextStart(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.kc.Fail(keychain.OpSet, &keychain.TimeoutError{Op: "set", Key: "demo/tokens", Timeout: time.Second})
	c := e.signedIn()
	if s := c.Snapshot(); !s.MemoryOnly {
		t.Fatal("a timed-out write did not make the session memory only")
	}
	c.Close()
	if e.prefs.String("session.demo.saved") != "" || e.prefs.String("session.demo.delete_entry") != "1" {
		t.Fatalf("preferences %v: want no saved marker and a note to delete the entry", e.prefs.All())
	}

	// The write landed late.
	e.kc.Fail(keychain.OpSet, nil)
	if err := e.kc.Set("demo/tokens", "late"); err != nil {
		t.Fatal(err)
	}
	r := e.controller()
	r.Restore(t.Context())
	if s := r.Snapshot(); s.State != SignedOut {
		t.Fatalf("restart: %s, want SignedOut", s.State)
	}
	if _, ok := e.kc.Snapshot()["demo/tokens"]; ok {
		t.Fatal("the late entry is still in the keychain")
	}
}
