package session

import (
	"context"
	"errors"
	"testing"
	"time"

	"signet/demo"
	"signet/session/keychain"
)

// A keychain on a busy machine now and then refuses one call at once (a
// busy gnome-keyring: "failed to unlock correct collection"). These tests
// hold design R14 on each step such a refusal can hit: no session is lost
// to one refused call, and no keychain entry is ever left that the state
// does not name (the saved marker or the delete_entry note).

const (
	savedKey  = "session.demo.saved"
	deleteKey = "session.demo.delete_entry"
)

var errBusy = errors.New("keychain: failed to unlock correct collection")

func (e *env) flags() (saved, deleteEntry bool) {
	all := e.prefs.All()
	return all[savedKey] == "1", all[deleteKey] == "1"
}

// nextStartSignsOutAndDeletes starts the app again and checks it ends
// signed out with no entry left in the keychain; what names the entry that
// must not survive (or come back as a session).
func (e *env) nextStartSignsOutAndDeletes(t *testing.T, what string) {
	t.Helper()
	next, _ := e.restarted()
	next.Restore(context.Background())
	if s := next.Snapshot(); s.State != SignedOut {
		t.Fatalf("the next start is %v, want SignedOut (%s must not come back)", s.State, what)
	}
	if _, ok := e.stored(); ok {
		t.Errorf("the next start left %s in the keychain", what)
	}
}

// renew makes c's token due and lets one call start its renewal, then waits
// for the renewal to end.
func (e *env) renew(t *testing.T, c *Controller) {
	t.Helper()
	e.advance(renewDue)
	mustFetch(t, c)
	settle(t, c)
}

// A re-read that is refused (an answer, not a hang) leaves the write after
// the refresh to judge the keychain: that write works, so the session stays
// saved, and the next start restores the renewed pair. (It used to go memory
// only at once and write "not saved", so a restart lost the session and the
// older entry stayed in the keychain, named by nothing.)
func TestRefusals_ARefusedReReadLosesNothing(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn()
	e.kc.Fail(keychain.OpGet, errBusy)
	e.renew(t, c)
	e.kc.Fail(keychain.OpGet, nil)

	s := c.Snapshot()
	if s.State != SignedIn || s.MemoryOnly || s.Renewals != 1 {
		t.Fatalf("after the renewal: %v, memory only %v, renewals %d; want SignedIn, saved, 1", s.State, s.MemoryOnly, s.Renewals)
	}
	if stored, ok := e.stored(); !ok || stored != c.tokensForTest() {
		t.Fatal("the keychain does not hold the renewed pair")
	}
	if saved, del := e.flags(); !saved || del {
		t.Fatalf("state: saved %v, delete_entry %v; want saved, no note", saved, del)
	}
	c.Close()
	next, _ := e.restarted()
	next.Restore(context.Background())
	if got := next.Snapshot(); got.State != SignedIn || got.Renewals != 1 {
		t.Fatalf("the next start is %v with %d renewals; want the renewed session", got.State, got.Renewals)
	}
}

// A re-read that times out makes the session memory only at once (design
// R2: a hanging keychain holds a refresh up for one timeout, not two). The
// entry it leaves holds the pair the refresh made stale: it is noted, and
// the next start deletes it instead of restoring a spent refresh token.
func TestRefusals_AReReadThatTimesOutNotesTheStaleEntry(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn()
	e.kc.Fail(keychain.OpGet, &keychain.TimeoutError{Op: "get", Key: "demo/tokens", Timeout: time.Second})
	e.renew(t, c)
	e.kc.Fail(keychain.OpGet, nil)

	if s := c.Snapshot(); s.State != SignedIn || !s.MemoryOnly {
		t.Fatalf("after the renewal: %v, memory only %v; want SignedIn, memory only", s.State, s.MemoryOnly)
	}
	if _, ok := e.stored(); !ok {
		t.Fatal("the stale entry is gone: this test no longer shows what it means to")
	}
	if saved, del := e.flags(); saved || !del {
		t.Fatalf("state: saved %v, delete_entry %v; want not saved, the entry noted", saved, del)
	}
	c.Close()
	e.nextStartSignsOutAndDeletes(t, "the stale entry")
	if st := e.demo.Stats(); st.RefreshReuse != 0 {
		t.Errorf("the stale refresh token was spent (%d reuses)", st.RefreshReuse)
	}
}

// A start whose keychain refused the read keeps the marker (design R3).
// A sign-in whose write is then refused too must not forget the older
// entry the marker named: it deletes it, or notes it for the next start.
func TestRefusals_ASignInThatCantWriteDeletesTheEntryTheMarkerNamed(t *testing.T) {
	for _, deleteWorks := range []bool{true, false} {
		name := map[bool]string{true: "deleted now", false: "noted for the next start"}[deleteWorks]
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, envOpts{})
			e.signedIn().Close()
			e.kc.Fail(keychain.OpGet|keychain.OpSet, errBusy)
			if !deleteWorks {
				e.kc.Fail(keychain.OpDelete, errBusy)
			}
			c, _ := e.restarted()
			c.Restore(context.Background())
			if s := c.Snapshot(); s.State != Expired || !s.MemoryOnly {
				t.Fatalf("restore with a refusing keychain: %v, memory only %v", s.State, s.MemoryOnly)
			}
			if err := c.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
				t.Fatal(err)
			}
			_, there := e.stored()
			saved, del := e.flags()
			switch {
			case saved:
				t.Fatal("a sign-in whose write was refused left the marker")
			case deleteWorks && there:
				t.Fatal("the older entry is still in the keychain")
			case !deleteWorks && !del:
				t.Fatalf("the older entry (there: %v) is not noted for the next start", there)
			}
			c.Close()
			e.kc.FailWith(nil)
			e.nextStartSignsOutAndDeletes(t, "the older entry")
		})
	}
}

// A kill between the marker and the write it announces, while an older
// entry is still noted for deletion (a sign-out whose delete was refused,
// then a sign-in): the entry the next start finds may be the signed-out
// session's. It is deleted, never restored.
func TestRefusals_AnUnfinishedSaveNeverBringsBackASignedOutSession(t *testing.T) {
	e := newEnv(t, envOpts{noRefresh: true})
	c := e.signedIn()
	e.kc.Fail(keychain.OpDelete, errBusy)
	c.SignOut(context.Background())
	c.Close()
	e.kc.Fail(keychain.OpDelete, nil)
	if _, ok := e.stored(); !ok {
		t.Fatal("the signed-out entry is gone: this test no longer shows what it means to")
	}
	// What a sign-in writes before its keychain write, as the kill leaves it.
	e.prefs.SetString(savedKey, "1")
	if saved, del := e.flags(); !saved || !del {
		t.Fatalf("state: saved %v, delete_entry %v; want both", saved, del)
	}

	e.nextStartSignsOutAndDeletes(t, "the signed-out session's entry")
	if saved, del := e.flags(); saved || del {
		t.Errorf("state after: saved %v, delete_entry %v; want neither", saved, del)
	}
}

// holdDeletes is a keychain whose Delete waits until released.
type holdDeletes struct {
	*keychain.Memory
	release chan struct{}
}

func (h holdDeletes) Delete(key string) error {
	<-h.release
	return h.Memory.Delete(key)
}

// A renewal whose write is refused deletes the older entry in the
// background, after its waiters are released. Until that delete has run,
// the entry is noted, so a kill before it orphans nothing; the note goes
// once the entry is gone.
func TestRefusals_ABackgroundDeleteIsNotedUntilItHasRun(t *testing.T) {
	e := newEnv(t, envOpts{})
	hold := holdDeletes{Memory: e.kc, release: make(chan struct{})}
	c := e.signedIn(func(cfg *Config) { cfg.Keychain = hold })
	e.kc.Fail(keychain.OpSet, errBusy)
	e.renew(t, c)

	if s := c.Snapshot(); s.State != SignedIn || !s.MemoryOnly {
		t.Fatalf("after the renewal: %v, memory only %v; want SignedIn, memory only", s.State, s.MemoryOnly)
	}
	if saved, del := e.flags(); saved || !del {
		t.Fatalf("while the delete waits: saved %v, delete_entry %v; want the entry noted", saved, del)
	}
	if _, ok := e.stored(); !ok {
		t.Fatal("the entry went before its delete ran")
	}
	close(hold.release)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, there := e.stored()
		if _, del := e.flags(); !there && !del {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("10 s after the delete was released: entry there %v, note %v", there, e.prefs.All()[deleteKey])
		}
		time.Sleep(5 * time.Millisecond)
	}
}
