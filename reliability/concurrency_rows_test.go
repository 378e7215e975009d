package reliability

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/internal/faultproxy"
	"signet/internal/tempdir"
	"signet/session"
)

// nonReplayable: a request whose body can't be sent twice gets its 401
// back; the token is renewed for the next call.
func nonReplayable(t *testing.T) {
	r := newRig(t, rigOpts{})
	c := r.signedIn()
	r.proxy.Set("/upload", faultproxy.Status(http.StatusUnauthorized, `{"error":"invalid_token"}`).Only(1))

	// io.NopCloser hides the reader's type: no GetBody, not replayable.
	req, err := http.NewRequest(http.MethodPost, r.url()+"/upload", io.NopCloser(strings.NewReader("a one-time stream")))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d, want the 401 handed back", resp.StatusCode)
	}
	if n := r.proxy.Hits("/upload"); n != 1 {
		t.Fatalf("the body was sent %d times, want once", n)
	}
	waitFor(t, c, "the renewal the 401 started", func(s session.Snapshot) bool { return s.Renewals == 1 })
	mustFetch(t, c)
	if r.lastAuth("/api/items") == r.proxy.Authorizations("/upload")[0] {
		t.Fatal("the next call went out with the token the server had refused")
	}
}

// concurrentCalls: 500 calls hit 401 while the one refresh takes 2 s.
func concurrentCalls(t *testing.T) {
	r := newRig(t, rigOpts{apiTimeout: 10 * time.Second})
	c := r.signedIn(func(cfg *session.Config) { cfg.RefreshTimeout = 10 * time.Second })
	mustFetch(t, c)
	old := r.lastAuth("/api/items")
	r.proxy.Set("/auth/refresh", faultproxy.Delayed(2*time.Second))
	// The server's clock jumps past the token's expiry; ours does not, so
	// the client learns of it from 401s, the hard case.
	r.skew.Store(int64(tokenTTL + time.Second))

	const calls = 500
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for range calls {
		wg.Go(func() { errs <- fetch(c) })
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			if failed == 0 {
				t.Errorf("a call failed: %v", err)
			}
			failed++
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d calls failed", failed, calls)
	}
	if n, m := r.proxy.Hits("/auth/refresh"), r.demo.Stats().Refreshes; n != 1 || m != 1 {
		t.Fatalf("%d refresh requests, %d refreshes; want exactly one", n, m)
	}

	var refreshDone uint64
	for _, q := range r.proxy.Requests() {
		if q.Path == "/auth/refresh" {
			refreshDone = q.Done
		}
	}
	stale, fresh := 0, 0
	for _, q := range r.proxy.Requests() {
		if q.Path != "/api/items" {
			continue
		}
		switch {
		case q.Authorization == old && q.Arrived > refreshDone:
			stale++
		case q.Authorization != old && q.Status == http.StatusOK:
			fresh++
		}
	}
	if stale != 0 {
		t.Fatalf("%d calls went out with the old token after the refresh had answered", stale)
	}
	if fresh != calls {
		t.Fatalf("%d calls succeeded with the new token, want %d", fresh, calls)
	}
}

// twoCopies: two running copies of the app share the keychain (and a lock
// file) against a server that rotates refresh tokens and revokes the
// session when an old one comes back (R11).
func twoCopies(t *testing.T) {
	r := newRig(t, rigOpts{realKeychain: true})
	lock := withLockIn(tempdir.New(t))
	a := r.signedIn(lock)
	// The second copy starts later from the same preferences file.
	prefsB := session.NewMemoryPreferences()
	for k, v := range r.prefs.All() {
		prefsB.SetString(k, v)
	}
	b := r.start(lock, func(cfg *session.Config) { cfg.Prefs = prefsB })
	wantState(t, b, session.SignedIn)

	// Both copies' proactive renewals come due together, round after round.
	for round := range 4 {
		r.clock.Advance(renewAfter)
		for name, c := range map[string]*session.Controller{"first": a, "second": b} {
			if s := c.Snapshot(); s.State != session.SignedIn {
				t.Fatalf("round %d: %s copy is %s (%v)", round, name, s.State, s.Err)
			}
			mustFetch(t, c)
		}
	}
	// Both learn of a dead token from 401s at the same moment.
	r.skew.Add(int64(2 * tokenTTL))
	var wg sync.WaitGroup
	for _, c := range []*session.Controller{a, b} {
		wg.Go(func() {
			if err := fetch(c); err != nil {
				t.Errorf("list call during the simultaneous renewal: %v", err)
			}
		})
	}
	wg.Wait()

	st := r.demo.Stats()
	if st.RefreshReuse != 0 || st.RefreshRefused != 0 {
		t.Fatalf("%d reused, %d refused refresh tokens: a copy spent a rotated-away token", st.RefreshReuse, st.RefreshRefused)
	}
	if st.Refreshes != 5 {
		t.Fatalf("%d refreshes, want 5: one per round, the other copy adopting it", st.Refreshes)
	}
	wantState(t, a, session.SignedIn)
	wantState(t, b, session.SignedIn)
}

func withLockIn(dir string) func(*session.Config) {
	return func(cfg *session.Config) { cfg.LockPath = filepath.Join(dir, "refresh.lock") }
}
