package api

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testNow is the injected clock: expiries are exact, no sleeping.
var testNow = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// newTestClient makes a client for p with the fixed clock; mods adjust the
// Config.
func newTestClient(t *testing.T, p Profile, mods ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{Profile: p, Now: fixedNow, Timeout: 5 * time.Second}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// serve starts a real HTTP server on 127.0.0.1 for the test. Its clock
// agrees with the client's (its Date header is testNow) unless h sets Date.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", testNow.UTC().Format(http.TimeFormat))
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// seen is one request as the server received it.
type seen struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// recorder is a handler answering status and body (raw text) to every
// request and remembering the last request.
type recorder struct {
	mu     sync.Mutex
	last   seen
	calls  int
	status int
	body   string
	header map[string]string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.last = seen{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(b)}
	rec.calls++
	status, body, header := rec.status, rec.body, rec.header
	rec.mu.Unlock()
	for k, v := range header {
		w.Header().Set(k, v)
	}
	if status == 0 {
		status = http.StatusOK
	}
	if _, ok := header["Content-Type"]; !ok && strings.HasPrefix(strings.TrimSpace(body), "{") {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (rec *recorder) lastRequest() seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.last
}

// makeJWT signs claims with a throwaway key; the client never verifies.
func makeJWT(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("test-key-not-a-secret"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// bearerClient is a stand-in for the session's authenticated client.
func bearerClient(token string) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+token)
		return http.DefaultTransport.RoundTrip(r)
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// wantKind fails unless err is an *Error of kind k.
func wantKind(t *testing.T, err error, k Kind) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %v", k)
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %T %v, want *api.Error", err, err)
	}
	if e.Kind != k {
		t.Fatalf("kind = %v (%q), want %v", e.Kind, e.Error(), k)
	}
	return e
}

// simpleProfile is a JSON sign-in at /login with snake_case tokens.
func simpleProfile(base string) Profile {
	return Profile{
		Name:    "simple",
		BaseURL: base,
		Login: LoginSpec{
			RequestSpec: RequestSpec{Path: "/login", Body: map[string]any{"username": "{username}", "password": "{password}"}},
			Tokens: TokenPaths{
				AccessToken: "access_token", RefreshToken: "refresh_token", TokenType: "token_type",
				Expiry: []ExpirySpec{{Path: "expires_in"}},
			},
		},
		Refresh: &RefreshSpec{RequestSpec: RequestSpec{Path: "/refresh", Body: map[string]any{"refresh_token": "{refresh_token}"}}},
		Logout:  &RequestSpec{Path: "/logout", Body: map[string]any{"refresh_token": "{refresh_token}"}},
		Lists:   thingsList(),
	}
}

// thingsList is a valid profile's one list, for profiles built in a test.
func thingsList() []ListSpec {
	return []ListSpec{{
		Name: "Things", Path: "/things", ItemsPath: "items", IDField: "id", TitleField: "title",
		Paging: Paging{Style: PagingOffset, PageSize: 10, TotalPath: "total"},
	}}
}

// credentials is a sign-in body that sends both of the form's values.
func credentials() map[string]any {
	return map[string]any{"username": "{username}", "password": "{password}"}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
