package session

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"signet/api"
	"signet/session/keychain"
)

// miniAuth is a Login API on loopback for the tests below: it signs in,
// and renews either by the refresh token or (accessStyle) by the current
// access token sent as the bearer; it issues no refresh token then.
type miniAuth struct {
	srv         *httptest.Server
	accessStyle bool

	mu       sync.Mutex
	n        int
	live     map[string]bool // access tokens it accepts
	renewals []string        // the Authorization of each renewal
	lists    int             // list calls it received
}

func newMiniAuth(t *testing.T, accessStyle bool) *miniAuth {
	m := &miniAuth{accessStyle: accessStyle, live: map[string]bool{}}
	m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(m.srv.Close)
	return m
}

func (m *miniAuth) issue(w http.ResponseWriter) {
	m.n++
	access := "acc-" + strconv.Itoa(m.n) + "-opaque-token"
	m.live[access] = true
	answer := map[string]any{"access_token": access, "expires_in": 60, "user": map[string]any{"id": "u1", "name": "Ada"}}
	if !m.accessStyle {
		answer["refresh_token"] = "ref-" + strconv.Itoa(m.n) + "-opaque-token"
	}
	_ = json.NewEncoder(w).Encode(answer)
}

func (m *miniAuth) serve(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	m.mu.Lock()
	defer m.mu.Unlock()
	switch r.URL.Path {
	case "/auth/login":
		m.issue(w)
	case "/auth/refresh":
		auth := r.Header.Get("Authorization")
		m.renewals = append(m.renewals, auth)
		if m.accessStyle && !m.live[auth[len("Bearer "):]] {
			http.Error(w, `{"message":"token expired"}`, http.StatusUnauthorized)
			return
		}
		m.issue(w)
	case "/api/items":
		m.lists++
		http.Error(w, `{"message":"lists are not served here"}`, http.StatusNotFound)
	default:
		http.NotFound(w, r)
	}
}

// listServer is a resource server on its own origin that records the
// Authorization of each list call.
func listServer(t *testing.T) (*httptest.Server, *[]string, *sync.Mutex) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		_, _ = io.WriteString(w, `{"items":[{"id":"1","title":"First"}],"total":1}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &seen, &mu
}

func miniController(t *testing.T, p api.Profile, clock *fakeClock) *Controller {
	t.Helper()
	client, err := api.New(api.Config{Profile: p, Now: clock.Now, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{
		Client: client, Keychain: keychain.NewMemory(), Prefs: NewMemoryPreferences(), Service: "io.signet.test",
		Logger: slog.New(slog.DiscardHandler), Now: clock.Now, AfterFunc: clock.AfterFunc,
		Jitter: func(max time.Duration) time.Duration { return max },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	c.Restore(t.Context())
	if err := c.SignIn(t.Context(), "ada", "correct horse battery"); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	return c
}

// Lists on their own origin (a resource server apart from the sign-in
// server) get the bearer, because the profile declares that origin; the
// sign-in server never sees a list call (design R12: exactly the declared
// origins, scheme + host + port).
func TestOrigins_ListsOnADeclaredOriginGetTheBearer(t *testing.T) {
	auth := newMiniAuth(t, false)
	lists, seen, mu := listServer(t)
	p := api.DemoProfile(auth.srv.URL)
	p.Origins = map[string]string{"api": lists.URL}
	p.Lists[0].Origin = "api"
	c := miniController(t, p, newFakeClock())

	page, err := c.FetchList(t.Context(), "Items", 0, 10, "")
	if err != nil {
		t.Fatalf("FetchList: %v", err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("%d items, want 1", len(page.Items))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(*seen) != 1 || (*seen)[0] != "Bearer acc-1-opaque-token" {
		t.Fatalf("the resource server saw Authorization %q, want the session's bearer", *seen)
	}
	auth.mu.Lock()
	defer auth.mu.Unlock()
	if auth.lists != 0 {
		t.Fatalf("the sign-in server got %d list calls", auth.lists)
	}
}

// A backend that renews by the current access token (no refresh token
// exists) renews before the token dies, sending that token; once the token
// is dead it can't be renewed, so the session ends instead of trying.
func TestRenewal_ByTheCurrentAccessToken(t *testing.T) {
	auth := newMiniAuth(t, true)
	p := api.DemoProfile(auth.srv.URL)
	p.Refresh = &api.RefreshSpec{Style: api.RefreshWithAccessToken,
		RequestSpec: api.RequestSpec{Method: "POST", Path: "/auth/refresh", Encoding: "json"}}
	p.Logout = nil
	clock := newFakeClock()
	c := miniController(t, p, clock)
	if s := c.Snapshot(); !s.Renewable || s.RenewAt.IsZero() {
		t.Fatalf("snapshot %+v: a live token of an access-token backend must be renewable, with a renewal planned", s)
	}

	// The proactive renewal, before the token dies, sends the live token.
	clock.Advance(57 * time.Second)
	waitFor(t, c, "the proactive renewal", func(s Snapshot) bool { return s.Renewals == 1 })
	auth.mu.Lock()
	got := append([]string(nil), auth.renewals...)
	auth.mu.Unlock()
	if len(got) != 1 || got[0] != "Bearer acc-1-opaque-token" {
		t.Fatalf("renewals sent %q, want the then-current access token as the bearer", got)
	}

	// Far past the new token's death without the timer firing (the
	// machine slept), a call finds it dead: no renewal is tried with it.
	clock.Skip(10 * time.Minute)
	if _, err := c.FetchList(t.Context(), "Items", 0, 10, ""); err == nil {
		t.Fatal("FetchList with a dead token of an access-token backend succeeded")
	}
	waitFor(t, c, "the session to end", func(s Snapshot) bool { return s.State == Expired })
	auth.mu.Lock()
	defer auth.mu.Unlock()
	if len(auth.renewals) != 1 {
		t.Fatalf("%d renewals, want 1: a dead token was sent to be renewed", len(auth.renewals))
	}
}
