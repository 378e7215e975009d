package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/api"
)

func TestTransport_ExpiredStatusRefreshesOnceThenRetrySucceeds(t *testing.T) {
	// Only the server's clock moves: the client thinks its token is live
	// and learns otherwise from the 401.
	e := newEnv(t, envOpts{splitClocks: true})
	c := e.signedIn()
	before, _ := e.stored()
	e.sclock.Advance(2 * time.Minute)

	mustFetch(t, c)
	st := e.demo.Stats()
	if st.Refreshes != 1 || st.Unauthorized != 1 {
		t.Errorf("server saw %d refreshes and %d 401s, want 1 and 1", st.Refreshes, st.Unauthorized)
	}
	after, _ := e.stored()
	if after.AccessToken == before.AccessToken || after.RefreshToken == before.RefreshToken {
		t.Error("the keychain still holds the old tokens")
	}
	if s := c.Snapshot(); s.State != SignedIn || s.Renewals != 1 || s.LastRenewal.IsZero() {
		t.Errorf("snapshot = %v renewals=%d", s.State, s.Renewals)
	}
	e.assertNoSecrets(before.AccessToken, before.RefreshToken, after.AccessToken, after.RefreshToken)
}

func TestTransport_ConcurrentCallsOnExpiredTokenShareOneRefresh(t *testing.T) {
	for _, tc := range []struct {
		name  string
		split bool // true: the 401 path; false: the known-expiry path
	}{{"learned from 401", true}, {"known expiry", false}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, envOpts{splitClocks: tc.split, refreshDelay: 50 * time.Millisecond})
			c := e.signedIn()
			if tc.split {
				e.sclock.Advance(2 * time.Minute)
			} else {
				// Past expiry without firing the proactive timer: the
				// requests must notice by themselves.
				c.mu.Lock()
				c.stopTimersLocked()
				c.mu.Unlock()
				e.advance(2 * time.Minute)
			}
			const n = 200
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for range n {
				wg.Go(func() { errs <- fetch(c) })
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("a call failed: %v", err)
				}
			}
			if got := e.demo.Stats().Refreshes; got != 1 {
				t.Errorf("server saw %d refreshes, want exactly 1", got)
			}
			if got := e.demo.Stats().ListCalls; got != n {
				t.Errorf("server served %d lists, want %d", got, n)
			}
		})
	}
}

func TestTransport_SecondExpiredStatusAfterFreshTokenIsUnauthorized(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn()
	e.gate.itemsAlways401.Store(true)

	err := fetch(c)
	if !isKind(err, api.KindUnauthorized) {
		t.Fatalf("FetchList = %v, want unauthorized", err)
	}
	if got := e.demo.Stats().Refreshes; got != 1 {
		t.Errorf("refreshes = %d, want exactly 1 (never a second for the same request)", got)
	}
	e.gate.mu.Lock()
	auth := e.gate.itemsAuth
	e.gate.mu.Unlock()
	if len(auth) != 2 || auth[0] == auth[1] {
		t.Errorf("items requests = %d (distinct tokens %v), want 2: the original and one replay with the fresh token", len(auth), len(auth) == 2 && auth[0] != auth[1])
	}
	if s := c.Snapshot(); s.State != SignedIn {
		t.Errorf("state = %v, want SignedIn (a refused call is not a dead session)", s.State)
	}
}

// A redirect to another origin is refused, never followed with or without
// the token (design R12).
func TestTransport_RedirectToAnotherHostIsRefused(t *testing.T) {
	e := newEnv(t, envOpts{})
	var mu sync.Mutex
	var gotAuth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotAuth = append(gotAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		io.WriteString(w, "elsewhere")
	}))
	defer other.Close()
	e.gate.redirectTo.Store(other.URL + "/landing")
	c := e.signedIn()

	resp, err := c.HTTPClient().Get(e.server.url() + "/api/redirect")
	var re *api.RedirectError
	if !errors.As(err, &re) || re.To != other.URL {
		t.Fatalf("Get = %v, %v; want the *api.RedirectError naming %s", resp, err, other.URL)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(gotAuth) != 0 {
		t.Errorf("the other host was called (Authorization %q)", gotAuth)
	}
	// And the API's own host does get it (the test would be empty otherwise).
	e.gate.mu.Lock()
	defer e.gate.mu.Unlock()
	if !strings.HasPrefix(e.gate.redirectAuth, "Bearer ") {
		t.Errorf("the API's own host got Authorization %q, want the bearer token", e.gate.redirectAuth)
	}
}

func TestTransport_DoesNotMutateTheCallersRequest(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn()
	req, _ := http.NewRequest(http.MethodGet, e.server.url()+"/api/items", nil)
	resp, err := c.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if req.Header.Get("Authorization") != "" {
		t.Error("the caller's request was given the Authorization header")
	}
	e.gate.mu.Lock()
	sent := e.gate.itemsAuth
	e.gate.mu.Unlock()
	if len(sent) != 1 || !strings.HasPrefix(sent[0], "Bearer ") {
		t.Errorf("the API got Authorization %q, want a bearer token", sent)
	}
}

func TestTransport_NonReplayableBodyIsNotRetriedButRenews(t *testing.T) {
	e := newEnv(t, envOpts{splitClocks: true})
	c := e.signedIn()
	e.sclock.Advance(2 * time.Minute)

	// io.NopCloser hides the reader's type, so NewRequest sets no GetBody.
	req, _ := http.NewRequest(http.MethodPost, e.server.url()+"/api/upload", io.NopCloser(strings.NewReader("payload")))
	resp, err := c.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status = %d, want the 401 handed back (the body can't be sent twice)", resp.StatusCode)
	}
	// The renewal it started lets the next call through.
	req, _ = http.NewRequest(http.MethodPost, e.server.url()+"/api/upload", strings.NewReader("payload"))
	resp, err = c.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("next call status = %d, want 200", resp.StatusCode)
	}
	if got := e.demo.Stats().Refreshes; got != 1 {
		t.Errorf("refreshes = %d, want 1", got)
	}
}

func TestTransport_ProtectedCallWithoutSessionFailsClearly(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.controller()
	c.Restore(context.Background())
	if err := fetch(c); err != ErrNotSignedIn {
		t.Errorf("FetchList = %v, want ErrNotSignedIn", err)
	}
	resp, err := c.HTTPClient().Get(e.server.url() + "/api/items")
	if err == nil {
		resp.Body.Close()
		t.Error("the authenticated client sent a request without a session")
	}
	if e.demo.Stats().ListCalls+e.demo.Stats().Unauthorized != 0 {
		t.Error("a request reached the server")
	}
}
