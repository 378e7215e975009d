package demo

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testHashIterations keeps PBKDF2 cheap under the race detector.
const testHashIterations = 1000

// fakeClock is a settable clock for Config.Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, time.March, 14, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// startServer opens a server with cfg (cheap hashing, a fake clock unless
// cfg has one), serves it on a free loopback port and closes it at the end.
func startServer(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	if cfg.hashIterations == 0 {
		cfg.hashIterations = testHashIterations
	}
	if cfg.Now == nil {
		cfg.Now = newFakeClock().Now
	}
	s, err := Open(cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return s, url
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) errorBody(t *testing.T) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %q is not JSON: %v", r.body, err)
	}
	return e
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

// postJSON posts v (marshalled, or sent as is when it is a string).
func postJSON(t *testing.T, url string, v any) response {
	t.Helper()
	var body []byte
	if s, ok := v.(string); ok {
		body = []byte(s)
	} else {
		var err error
		if body, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

func getWithToken(t *testing.T, url, token string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	return v
}

func login(t *testing.T, base, username, password string) tokenResponse {
	t.Helper()
	r := postJSON(t, base+"/auth/login", map[string]string{"username": username, "password": password})
	if r.status != http.StatusOK {
		t.Fatalf("login as %s: status %d, body %s", username, r.status, r.body)
	}
	return decode[tokenResponse](t, r)
}

func refresh(t *testing.T, base, token string) response {
	t.Helper()
	return postJSON(t, base+"/auth/refresh", map[string]string{"refresh_token": token})
}

// mustRefresh refreshes and fails the test unless it succeeds.
func mustRefresh(t *testing.T, base, token string) tokenResponse {
	t.Helper()
	r := refresh(t, base, token)
	if r.status != http.StatusOK {
		t.Fatalf("refresh: status %d, body %s", r.status, r.body)
	}
	return decode[tokenResponse](t, r)
}

// claimsOf reads an access token's claims without verifying it, as a
// client would.
func claimsOf(t *testing.T, token string) accessClaims {
	t.Helper()
	var c accessClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &c); err != nil {
		t.Fatalf("access token is not a JWT: %v", err)
	}
	return c
}

func wantStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, strings.TrimSpace(string(r.body)))
	}
}

// wantRefused asserts a 401 invalid_grant answer.
func wantRefused(t *testing.T, r response) {
	t.Helper()
	wantStatus(t, r, http.StatusUnauthorized)
	if e := r.errorBody(t); e.Error != errInvalidGrant || e.Description == "" {
		t.Fatalf("error body %+v, want invalid_grant with a description", e)
	}
}

// wantInvalidToken asserts the RFC 6750 answer to a dead access token.
func wantInvalidToken(t *testing.T, r response) {
	t.Helper()
	wantStatus(t, r, http.StatusUnauthorized)
	if got := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, `Bearer error="invalid_token"`) {
		t.Fatalf("WWW-Authenticate = %q, want a Bearer invalid_token challenge", got)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want JSON", ct)
	}
	if e := r.errorBody(t); e.Error != errInvalidToken || e.Description == "" {
		t.Fatalf("error body %+v, want invalid_token with a description", e)
	}
}
