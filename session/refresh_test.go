package session

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"signet/api"
	"signet/demo"
)

func TestRefresh_RefusedEndsSessionAndWipesKeychain(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn()
	old, _ := e.stored()
	if _, err := e.demo.RevokeUserSessions(demo.DemoUsername); err != nil {
		t.Fatal(err)
	}

	err := fetch(c)
	if !isKind(err, api.KindRefreshRefused) {
		t.Fatalf("FetchList = %v, want refresh refused", err)
	}
	s := c.Snapshot()
	if s.State != Expired || s.Username != demo.DemoUsername || s.Err == nil {
		t.Errorf("snapshot = %v %q err=%v, want Expired with username and reason", s.State, s.Username, s.Err)
	}
	if len(e.kc.Snapshot()) != 0 {
		t.Error("the keychain still holds the dead tokens")
	}
	p := e.prefs.All()
	if len(p) != 1 || p["session.demo.username"] != demo.DemoUsername {
		t.Errorf("preferences = %v, want only the username", p)
	}
	if e.clock.Pending() != 0 {
		t.Errorf("%d timers still planned after the session ended", e.clock.Pending())
	}
	// Another call is refused at once, without the network.
	n := e.gate.requestCount()
	if err := fetch(c); err == nil || e.gate.requestCount() != n {
		t.Errorf("a call after Expired = %v, reached server %v", err, e.gate.requestCount() != n)
	}
	e.assertNoSecrets(old.AccessToken, old.RefreshToken)
}

func TestRefresh_NetworkDownGoesOfflineThenRecoversByItself(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn(func(cfg *Config) { cfg.BackoffInitial = time.Second; cfg.BackoffMax = 4 * time.Second })
	before, _ := e.stored()
	e.server.stop()

	// The proactive timer fires and finds no server.
	e.advance(renewDue)
	s := c.Snapshot()
	if s.State != Offline || s.RetryAt.IsZero() || !api.IsRetryable(s.Err) {
		t.Fatalf("snapshot = %v retryAt=%v err=%v, want Offline with a retry planned", s.State, s.RetryAt, s.Err)
	}
	if got, _ := e.stored(); got.RefreshToken != before.RefreshToken {
		t.Error("a failed refresh changed the stored tokens")
	}
	// Calls while offline, token still alive: they go out with it... but
	// the server is down, so they fail retryably, and add no retry loop.
	for range 5 {
		if err := fetch(c); !api.IsRetryable(err) {
			t.Fatalf("FetchList offline = %v, want a retryable error", err)
		}
	}
	if got := e.clock.Pending(); got != 1 {
		t.Errorf("%d timers planned, want exactly one background retry", got)
	}
	// Backoff grows: 1 s, 2 s, 4 s, 4 s (full jitter pinned to the max).
	for _, d := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second} {
		at := c.Snapshot().RetryAt
		if got := at.Sub(e.clock.Now()); got != d {
			t.Errorf("next retry in %v, want %v", got, d)
		}
		e.advance(d)
		if st := c.Snapshot().State; st != Offline {
			t.Fatalf("state after a failed retry = %v", st)
		}
	}

	e.server.start()
	e.advance(4 * time.Second)
	s = waitFor(t, c, "SignedIn", func(s Snapshot) bool { return s.State == SignedIn })
	if s.Err != nil || !s.RetryAt.IsZero() || s.Renewals != 1 {
		t.Errorf("recovered snapshot: err=%v retryAt=%v renewals=%d", s.Err, s.RetryAt, s.Renewals)
	}
	mustFetch(t, c)
}

func TestRefresh_ServerErrorGoesOfflineNotSignedOut(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*gate)
	}{
		{"503", func(g *gate) { g.refreshStatus.Store(503) }},
		// A 2xx we can't use is treated as a passing server fault.
		{"malformed", func(g *gate) { g.refreshGarbage.Store(true) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, envOpts{})
			c := e.signedIn()
			before, _ := e.stored()
			tc.set(e.gate)
			e.advance(2 * time.Minute) // past expiry: the call must renew first

			err := fetch(c)
			if !api.IsRetryable(err) {
				t.Fatalf("FetchList = %v, want a retryable error", err)
			}
			if s := c.Snapshot(); s.State != Offline {
				t.Errorf("state = %v, want Offline", s.State)
			}
			if got, _ := e.stored(); got != before {
				t.Error("tokens changed after a failed refresh")
			}
			e.gate.refreshStatus.Store(0)
			e.gate.refreshGarbage.Store(false)
			mustFetch(t, c)
			if s := c.Snapshot(); s.State != SignedIn {
				t.Errorf("state after recovery = %v", s.State)
			}
		})
	}
}

func TestRefresh_RotatedRefreshTokenPersistedAndOldNeverSentAgain(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn()
	seen := map[string]bool{}
	for i := range 3 {
		before, _ := e.stored()
		e.advance(renewDue) // the proactive timer renews
		after, _ := e.stored()
		if after.RefreshToken == before.RefreshToken {
			t.Fatalf("renewal %d: the keychain kept the old refresh token", i+1)
		}
		seen[before.RefreshToken] = true
	}
	bodies := e.gate.refreshes()
	if len(bodies) != 3 {
		t.Fatalf("%d refresh calls, want 3", len(bodies))
	}
	sent := map[string]int{}
	for _, b := range bodies {
		var v struct {
			RefreshToken string `json:"refresh_token"`
		}
		if err := json.Unmarshal([]byte(b), &v); err != nil {
			t.Fatal(err)
		}
		sent[v.RefreshToken]++
	}
	for rt, n := range sent {
		if n != 1 || !seen[rt] {
			t.Errorf("a refresh token was sent %d times (known: %v)", n, seen[rt])
		}
	}
	st := e.demo.Stats()
	if st.Refreshes != 3 || st.RefreshReuse != 0 {
		t.Errorf("server: %d refreshes, %d reuses", st.Refreshes, st.RefreshReuse)
	}
	if s := c.Snapshot(); s.Renewals != 3 || e.prefs.String("session.demo.renewals") != "3" {
		t.Errorf("renewals = %d (prefs %q), want 3", s.Renewals, e.prefs.String("session.demo.renewals"))
	}
}

func TestRefresh_ProactiveTimerRenewsBeforeExpiryWhileIdle(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn(func(cfg *Config) { cfg.RefreshMargin = 45 * time.Second })
	s := c.Snapshot()
	// 60 s token: the 45 s margin is capped at a tenth of its lifetime.
	if got := s.Expiry.Sub(s.RenewAt); got != 6*time.Second {
		t.Fatalf("renews %v before expiry, want 6s", got)
	}
	e.advance(53 * time.Second)
	if e.demo.Stats().Refreshes != 0 {
		t.Fatal("renewed too early")
	}
	e.advance(time.Second)
	s = c.Snapshot()
	if e.demo.Stats().Refreshes != 1 || s.State != SignedIn || s.Renewals != 1 || !s.RenewAt.After(e.clock.Now()) {
		t.Errorf("after the timer: %d refreshes, %v, renewals %d, renewAt %v", e.demo.Stats().Refreshes, s.State, s.Renewals, s.RenewAt)
	}
}

func TestRefresh_NoRefreshProfileTokenDeathExpires(t *testing.T) {
	t.Run("idle: the timer at expiry", func(t *testing.T) {
		e := newEnv(t, envOpts{noRefresh: true})
		c := e.signedIn()
		if c.Snapshot().HasRefresh {
			t.Fatal("profile says it has refresh")
		}
		e.advance(60 * time.Second)
		s := c.Snapshot()
		if s.State != Expired || s.Username != demo.DemoUsername {
			t.Errorf("snapshot = %v %q, want Expired with username", s.State, s.Username)
		}
		if len(e.kc.Snapshot()) != 0 {
			t.Error("dead token left in the keychain")
		}
	})
	t.Run("a 401 tells", func(t *testing.T) {
		e := newEnv(t, envOpts{noRefresh: true, splitClocks: true})
		c := e.signedIn()
		e.sclock.Advance(2 * time.Minute)
		if err := fetch(c); err != ErrSessionExpired {
			t.Errorf("FetchList = %v, want ErrSessionExpired", err)
		}
		if s := c.Snapshot(); s.State != Expired || s.Username != demo.DemoUsername {
			t.Errorf("snapshot = %v %q", s.State, s.Username)
		}
		if st := e.demo.Stats(); st.Refreshes+st.RefreshRefused != 0 || st.Unauthorized != 1 {
			t.Errorf("server stats %+v: want one 401 and no refresh attempt", st)
		}
	})
}

func TestRefresh_TwoControllersSharingOneKeychainBothStaySignedIn(t *testing.T) {
	e := newEnv(t, envOpts{refreshDelay: 20 * time.Millisecond})
	a := e.signedIn()
	b := e.controller()
	b.Restore(context.Background())
	if b.Snapshot().State != SignedIn {
		t.Fatalf("second copy: %v", b.Snapshot().State)
	}
	for round := range 3 {
		e.advance(renewDue) // both proactive timers fire
		for _, c := range []*Controller{a, b} {
			mustFetch(t, c)
		}
		// And both at once on the next expiry.
		done := make(chan error, 2)
		for _, c := range []*Controller{a, b} {
			c.mu.Lock()
			c.stopTimersLocked()
			c.mu.Unlock()
		}
		e.advance(61 * time.Second)
		for _, c := range []*Controller{a, b} {
			go func() { done <- fetch(c) }()
		}
		for range 2 {
			if err := <-done; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
	for i, c := range []*Controller{a, b} {
		if s := c.Snapshot(); s.State != SignedIn {
			t.Errorf("copy %d: %v (%v)", i, s.State, s.Err)
		}
	}
	st := e.demo.Stats()
	if st.RefreshReuse != 0 || st.RefreshRefused != 0 || st.Refreshes != 6 || st.Logins != 1 {
		t.Errorf("server: %+v; want 6 refreshes (one per expiry), no reuse, one login", st)
	}
}

// While Offline, the retry delay grows but is capped at 15 s by default, so
// the session recovers within seconds of a short outage ending.
func TestRefresh_OfflineBackoffIsCappedAt15sByDefault(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn() // default backoff; the jitter is pinned to its ceiling
	e.server.stop()
	e.advance(renewDue)
	var longest time.Duration
	for range 10 {
		s := c.Snapshot()
		if s.State != Offline || s.RetryAt.IsZero() {
			t.Fatalf("state %v, retry at %v; want Offline with a retry planned", s.State, s.RetryAt)
		}
		d := s.RetryAt.Sub(e.clock.Now())
		longest = max(longest, d)
		e.advance(d)
	}
	if longest != 15*time.Second {
		t.Errorf("longest retry delay %v, want the 15 s cap", longest)
	}
	e.server.start()
	e.advance(15 * time.Second)
	waitFor(t, c, "SignedIn", func(s Snapshot) bool { return s.State == SignedIn })
}

// RetryNow renews at once while Offline, without waiting out the backoff;
// otherwise it does nothing.
func TestRefresh_RetryNow(t *testing.T) {
	t.Run("offline: renews at once when the server is back", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		c := e.signedIn()
		e.server.stop()
		e.advance(renewDue)
		for range 4 { // the backoff grows
			e.advance(c.Snapshot().RetryAt.Sub(e.clock.Now()))
		}
		if s := c.Snapshot(); s.State != Offline || s.RetryAt.Sub(e.clock.Now()) < 10*time.Second {
			t.Fatalf("state %v, next retry in %v; want Offline with a long wait", s.State, s.RetryAt.Sub(e.clock.Now()))
		}
		e.server.start()
		c.RetryNow() // the clock stands still: only RetryNow can renew
		s := waitFor(t, c, "SignedIn", func(s Snapshot) bool { return s.State == SignedIn })
		if s.Renewals != 1 || !s.RetryAt.IsZero() || s.Err != nil {
			t.Errorf("renewals %d, retry at %v, err %v; want 1, none, none", s.Renewals, s.RetryAt, s.Err)
		}
		if e.clock.Pending() != 1 {
			t.Errorf("%d timers planned, want only the next proactive renewal", e.clock.Pending())
		}
		mustFetch(t, c)
	})
	t.Run("offline, server still down: stays offline, one retry planned", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		c := e.signedIn()
		e.server.stop()
		e.advance(renewDue)
		if d := c.Snapshot().RetryAt.Sub(e.clock.Now()); d != time.Second {
			t.Fatalf("first retry in %v, want 1s", d)
		}
		c.RetryNow()
		// The attempt failed too: the next retry is planned one backoff
		// step further (2 s), and is the only one.
		waitFor(t, c, "another failed attempt", func(s Snapshot) bool {
			return s.State == Offline && s.RetryAt.Sub(e.clock.Now()) == 2*time.Second
		})
		if e.clock.Pending() != 1 {
			t.Errorf("%d timers planned, want one background retry", e.clock.Pending())
		}
	})
	t.Run("not offline: nothing", func(t *testing.T) {
		e := newEnv(t, envOpts{})
		c := e.signedIn()
		before := c.Snapshot()
		pending := e.clock.Pending()
		c.RetryNow()
		c.Close() // waits for nothing it would have started
		if st := e.demo.Stats(); st.Refreshes != 0 {
			t.Errorf("%d refreshes, want none", st.Refreshes)
		}
		if s := c.Snapshot(); s.State != before.State || s.Renewals != 0 || e.clock.Pending() > pending {
			t.Errorf("state %v, renewals %d, %d timers; want the session untouched", s.State, s.Renewals, e.clock.Pending())
		}
	})
}
