package reliability

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"signet/api"
	"signet/demo"
	"signet/internal/faultproxy"
	"signet/session"
)

// refusal sets up a refresh the server will refuse; it returns the rig
// options the row needs.
type refusal struct {
	opts  rigOpts
	setup func(r *rig)
}

var (
	refusedBy400 = refusal{setup: func(r *rig) {
		r.proxy.Set("/auth/refresh", faultproxy.Status(http.StatusBadRequest,
			`{"error":"invalid_grant","error_description":"The refresh token is not valid. Please sign in again."}`))
	}}
	refusedByRevocation = refusal{setup: func(r *rig) {
		if _, err := r.demo.RevokeUserSessions(demo.DemoUsername); err != nil {
			r.t.Fatal(err)
		}
	}}
	// The refresh token lives 20 s on the demo; the renewal runs at 31 s.
	refusedByExpiry = refusal{opts: rigOpts{demo: demo.Config{RefreshTTL: 20 * time.Second}}, setup: func(*rig) {}}
)

func refreshRefused(f refusal) func(t *testing.T) {
	return func(t *testing.T) {
		o := f.opts
		o.realKeychain = true
		r := newRig(t, o)
		c := r.signedIn()
		f.setup(r)

		r.clock.Advance(renewAfter) // the proactive refresh runs, and is refused
		s := wantState(t, c, session.Expired)
		if api.KindOf(s.Err) != api.KindRefreshRefused {
			t.Fatalf("error kind %v, want refresh refused (%v)", api.KindOf(s.Err), s.Err)
		}
		assertClearMessage(t, s.Err)
		if s.Username != demo.DemoUsername {
			t.Errorf("username %q kept for the form, want %q", s.Username, demo.DemoUsername)
		}
		r.assertNoSessionSaved()

		// Nothing tries again by itself, and a call says why.
		attempts := r.refreshAttempts.Load()
		r.clock.Advance(time.Hour)
		if err := fetch(c); err == nil {
			t.Fatal("a list call after the session ended succeeded")
		}
		if n := r.refreshAttempts.Load(); n != attempts {
			t.Fatalf("%d more refresh attempts after the refusal, want none", n-attempts)
		}
	}
}

// fault makes the refresh call fail without an answer worth having, and
// heals it again.
type fault struct {
	name string
	// apiTimeout bounds every call of the client (sign-in rows);
	// refreshTimeout only the refresh (so the sign-in before it has time).
	apiTimeout, refreshTimeout time.Duration
	apply                      func(r *rig)
	heal                       func(r *rig)
}

func offlineFaults() []fault {
	status := func(code int) fault {
		return fault{
			name:  http.StatusText(code),
			apply: func(r *rig) { r.proxy.Set("/auth/refresh", faultproxy.Status(code, `{"message":"upstream trouble"}`)) },
			heal:  func(r *rig) { r.proxy.Clear("/auth/refresh") },
		}
	}
	fs := []fault{status(500), status(502), status(503)}
	fs[0].name, fs[1].name, fs[2].name = "500", "502", "503"
	return append(fs,
		fault{
			name: "timeout", refreshTimeout: 500 * time.Millisecond,
			apply: func(r *rig) { r.proxy.Set("/auth/refresh", faultproxy.HangUp()) },
			heal:  func(r *rig) { r.proxy.Clear("/auth/refresh") },
		},
		fault{
			name:  "connection_dropped",
			apply: func(r *rig) { r.proxy.Set("/auth/refresh", faultproxy.CloseConn()) },
			heal:  func(r *rig) { r.proxy.Clear("/auth/refresh") },
		},
		fault{
			name:  "connection_refused",
			apply: func(r *rig) { r.proxy.Refuse() },
			heal: func(r *rig) {
				if err := r.proxy.Restart(); err != nil {
					r.t.Fatal(err)
				}
			},
		},
		fault{
			name:  "dns_failure",
			apply: func(r *rig) { r.dnsOff.Store(true); r.tr.CloseIdleConnections() },
			heal:  func(r *rig) { r.dnsOff.Store(false) },
		},
	)
}

// offline: the session stays, retries on a capped exponential backoff with
// one attempt per step, and recovers by itself once the server answers.
func offline(f fault) func(t *testing.T) {
	return func(t *testing.T) {
		r := newRig(t, rigOpts{realKeychain: true})
		c := r.signedIn(func(cfg *session.Config) {
			if f.refreshTimeout > 0 {
				cfg.RefreshTimeout = f.refreshTimeout
			}
		})
		before := r.stored()
		f.apply(r)

		r.clock.Advance(renewAfter)
		s := waitFor(t, c, "Offline", func(s session.Snapshot) bool { return s.State == session.Offline })
		if !api.IsRetryable(s.Err) {
			t.Fatalf("error %v is not retryable", s.Err)
		}
		assertClearMessage(t, s.Err)
		if got := r.refreshAttempts.Load(); got != 1 {
			t.Fatalf("%d refresh attempts, want 1", got)
		}

		// Jitter is the identity here, so each wait is the backoff ceiling:
		// 1 s doubling to the 8 s cap. One attempt per step, no more.
		for i, want := range []time.Duration{1, 2, 4, 8, 8} {
			// A timed-out attempt's waiter may return a moment before the
			// refresh itself records the failure.
			s := waitFor(t, c, "Offline", func(s session.Snapshot) bool { return s.State == session.Offline && !s.RetryAt.IsZero() })
			if gap := s.RetryAt.Sub(r.clock.Now()); gap != want*time.Second {
				t.Fatalf("retry %d planned in %v, want %v", i+1, gap, want*time.Second)
			}
			r.clock.Advance(want * time.Second)
			if got, want := r.refreshAttempts.Load(), int64(i+2); got != want {
				t.Fatalf("after retry %d: %d attempts, want %d", i+1, got, want)
			}
		}
		if r.stored() != before {
			t.Fatal("the stored tokens changed while offline")
		}

		s = waitFor(t, c, "the last retry to fail", func(s session.Snapshot) bool {
			return s.State == session.Offline && !s.RetryAt.IsZero()
		})
		f.heal(r)
		r.clock.Advance(s.RetryAt.Sub(r.clock.Now()))
		s = waitFor(t, c, "the retry to finish", func(s session.Snapshot) bool { return s.State != session.Refreshing })
		if s.State != session.SignedIn {
			t.Fatalf("after the server healed: %s (%v), want SignedIn", s.State, s.Err)
		}
		if s.Err != nil || !s.RetryAt.IsZero() || s.Renewals != 1 {
			t.Fatalf("after recovery: err %v, retry at %v, renewals %d; want none, none, 1", s.Err, s.RetryAt, s.Renewals)
		}
		if r.stored() == before {
			t.Fatal("the renewed tokens were not stored")
		}
		mustFetch(t, c)
		attempts := r.refreshAttempts.Load()
		r.clock.Advance(20 * time.Second) // short of the next proactive renewal
		if n := r.refreshAttempts.Load(); n != attempts {
			t.Fatalf("%d refresh attempts after recovery, want none", n-attempts)
		}
	}
}

// offlineCallsShareAttempts: calls made while Offline use the still-live
// token instead of each starting a refresh attempt of their own.
func offlineCallsShareAttempts(t *testing.T) {
	r := newRig(t, rigOpts{}) // the default timeout: a sign-in under -race on a busy machine takes over 1 s
	c := r.signedIn()
	r.proxy.Set("/auth/refresh", faultproxy.Status(503, `{"message":"down"}`).After(100*time.Millisecond))
	r.clock.Advance(renewAfter)
	wantState(t, c, session.Offline)
	before := r.refreshAttempts.Load()

	const calls = 50
	var wg sync.WaitGroup
	var failed atomic.Int64
	var lastErr atomic.Value
	for range calls {
		wg.Go(func() {
			// The old token still lives: the list loads even though the
			// renewal fails.
			if err := fetch(c); err != nil {
				failed.Add(1)
				lastErr.Store(err.Error())
			}
		})
	}
	wg.Wait()
	// Each call is due a renewal (inside the margin), but while Offline the
	// background retry owns renewal: calls use the live token and at most
	// join an attempt already in flight; none starts one of its own.
	n := r.refreshAttempts.Load() - before
	if n <= 1 && failed.Load() == 0 {
		return
	}
	t.Fatalf("calls made while Offline did not share refresh attempts: "+
		"%d calls made %d attempts (want at most 1) and %d failed (last: %v)", calls, n, failed.Load(), lastErr.Load())
}

// secondUnauthorized: a 401 with a fresh token is an authorisation error,
// not a reason to refresh again.
func secondUnauthorized(t *testing.T) {
	r := newRig(t, rigOpts{})
	c := r.signedIn()
	r.proxy.Set("/api/items", faultproxy.Status(http.StatusUnauthorized,
		`{"error":"invalid_token","error_description":"The access token is not valid."}`))

	err := fetch(c)
	if api.KindOf(err) != api.KindUnauthorized {
		t.Fatalf("error %v (kind %v), want an authorisation error", err, api.KindOf(err))
	}
	assertClearMessage(t, err)
	if n := r.demo.Stats().Refreshes; n != 1 {
		t.Fatalf("%d refreshes, want exactly 1", n)
	}
	auths := r.proxy.Authorizations("/api/items")
	if len(auths) != 2 || auths[0] == auths[1] {
		t.Fatalf("%d list requests (distinct tokens: %v), want 2: the original and one replay with the new token",
			len(auths), len(auths) == 2 && auths[0] != auths[1])
	}
	wantState(t, c, session.SignedIn)
	r.clock.Advance(5 * time.Second)
	if n := r.refreshAttempts.Load(); n != 1 {
		t.Fatalf("%d refresh attempts in all, want 1: no loop", n)
	}
}

// body is a token answer the client cannot use.
type body struct {
	name string
	rule faultproxy.Rule
}

func badTokenBodies() []body {
	return []body{
		{"malformed_json", faultproxy.MalformedJSON()},
		{"no_access_token", faultproxy.JSON(`{"refresh_token":"r-not-used","expires_in":60,"token_type":"Bearer"}`)},
		{"wrong_types", faultproxy.JSON(`{"access_token":12345,"refresh_token":["r"],"expires_in":"soon"}`)},
		{"10MB", faultproxy.LargeBody(10)},
	}
}

func badRefreshAnswer(b body) func(t *testing.T) {
	return func(t *testing.T) {
		r := newRig(t, rigOpts{realKeychain: true})
		c := r.signedIn()
		before, prefsBefore := r.stored(), r.prefs.All()
		r.proxy.Set("/auth/refresh", b.rule)

		r.clock.Advance(renewAfter)
		s := c.Snapshot()
		if !s.State.HasSession() {
			t.Fatalf("state %s, want the session kept", s.State)
		}
		assertClearMessage(t, s.Err)
		if r.stored() != before {
			t.Fatal("the stored tokens changed")
		}
		for k, v := range prefsBefore {
			if r.prefs.String(k) != v {
				t.Fatalf("preference %q changed", k)
			}
		}
		// The old token still lives: the list still loads.
		mustFetch(t, c)
	}
}

func loginFaults() []fault {
	set := func(name string, rule faultproxy.Rule) fault {
		return fault{name: name, apply: func(r *rig) { r.proxy.Set("/auth/login", rule) }}
	}
	fs := []fault{
		{name: "wrong_password"}, // the real demo refuses it
		set("503", faultproxy.Status(503, `{"message":"maintenance"}`)),
		set("500_html", faultproxy.Status(500, "<html><body>Internal Server Error</body></html>")),
		{name: "timeout", apiTimeout: 200 * time.Millisecond, apply: func(r *rig) { r.proxy.Set("/auth/login", faultproxy.HangUp()) }},
		set("connection_dropped", faultproxy.CloseConn()),
		{name: "connection_refused", apply: func(r *rig) { r.proxy.Refuse() }},
		{name: "dns_failure", apply: func(r *rig) { r.dnsOff.Store(true) }},
	}
	for _, b := range badTokenBodies() {
		fs = append(fs, set(b.name, b.rule))
	}
	return fs
}

func badLogin(f fault) func(t *testing.T) {
	return func(t *testing.T) {
		r := newRig(t, rigOpts{apiTimeout: f.apiTimeout})
		c := r.start()
		password := demo.DemoPassword
		if f.apply == nil {
			password = "not-the-password"
		} else {
			f.apply(r)
		}
		err := c.SignIn(context.Background(), demo.DemoUsername, password)
		assertClearMessage(t, err)
		s := wantState(t, c, session.SignedOut)
		if s.Err == nil || s.Err.Error() != err.Error() {
			t.Fatalf("snapshot error %v, want the sign-in error for the form", s.Err)
		}
		if s.Username != demo.DemoUsername {
			t.Errorf("username %q, want it kept on the form", s.Username)
		}
		r.assertNoSessionSaved()
		if n := r.demo.Stats().Logins; n != 0 {
			t.Fatalf("%d logins reached the server", n)
		}
		if errors.Is(err, context.DeadlineExceeded) && api.KindOf(err) != api.KindNetwork {
			t.Fatalf("a timeout is kind %v, want network", api.KindOf(err))
		}
	}
}
