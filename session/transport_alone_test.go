package session

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"signet/api"
)

// renewingSource is a Renewer that hands out "old" until renewed, then "new".
type renewingSource struct{ renewed atomic.Int32 }

func (s *renewingSource) Token(context.Context) (Token, error) {
	if s.renewed.Load() > 0 {
		return NewToken(api.Tokens{AccessToken: "new-token"}, time.Time{}), nil
	}
	return NewToken(api.Tokens{AccessToken: "old-token"}, time.Time{}), nil
}

func (s *renewingSource) Renew(_ context.Context, _ Token, wait bool) (Token, bool, error) {
	s.renewed.Add(1)
	t, _ := s.Token(context.Background())
	return t, wait, nil
}

// trackedBody records whether it was closed.
type trackedBody struct {
	io.Reader
	closed atomic.Bool
}

func (b *trackedBody) Close() error { b.closed.Store(true); return nil }

func TestTransport_UsableAlone(t *testing.T) {
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		seen = append(seen, r.Header.Get("Authorization"))
		if r.Header.Get("Authorization") != "Bearer new-token" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	origin := api.Origin(u)

	for _, tc := range []struct {
		name       string
		src        TokenSource
		origins    []string
		body       bool // a body that can't be replayed
		wantStatus int
		wantSeen   []string
	}{
		{"static source sends its token once", StaticTokenSource(NewToken(api.Tokens{AccessToken: "old-token"}, time.Time{})), []string{origin}, false,
			http.StatusUnauthorized, []string{"Bearer old-token"}},
		{"renewer retries once after renewal", &renewingSource{}, []string{origin}, false,
			http.StatusOK, []string{"Bearer old-token", "Bearer new-token"}},
		{"a body that can't be replayed is not retried", &renewingSource{}, []string{origin}, true,
			http.StatusUnauthorized, []string{"Bearer old-token"}},
		{"another origin never gets the token", &renewingSource{}, []string{"https://elsewhere.example:443"}, false,
			http.StatusUnauthorized, []string{""}},
		{"any of the declared origins gets it", &renewingSource{}, []string{"https://elsewhere.example:443", origin}, false,
			http.StatusOK, []string{"Bearer old-token", "Bearer new-token"}},
		{"same host, other scheme: no token", &renewingSource{}, []string{strings.Replace(origin, "http://", "https://", 1)}, false,
			http.StatusUnauthorized, []string{""}},
		{"no origins: no token", &renewingSource{}, nil, false,
			http.StatusUnauthorized, []string{""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen = nil
			body := &trackedBody{Reader: strings.NewReader("x")}
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/items", nil)
			if tc.body {
				req.Body = body
			}
			req.Header.Set("X-Keep", "1")
			hc := &http.Client{Transport: &Transport{Source: tc.src, Origins: tc.origins}}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if strings.Join(seen, "|") != strings.Join(tc.wantSeen, "|") {
				t.Errorf("server saw Authorization %q, want %q", seen, tc.wantSeen)
			}
			if req.Header.Get("Authorization") != "" || req.Header.Get("X-Keep") != "1" {
				t.Error("the caller's request was changed")
			}
			if tc.body && !body.closed.Load() {
				t.Error("the request body was not closed")
			}
		})
	}
}

// Expired sees the whole answer: a rule that reads the body ("invalid
// signature" in a 500) makes the transport renew and replay, and the body
// it read is still there for the caller when the rule says no.
func TestTransport_ExpiredRuleReadsTheBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("Authorization") {
		case "Bearer new-token":
			_, _ = io.WriteString(w, "rows")
		case "Bearer old-token":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":"invalid signature"}`)
		}
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	deadBody := func(resp *http.Response) bool {
		b, _ := io.ReadAll(resp.Body)
		resp.Body = io.NopCloser(strings.NewReader(string(b)))
		return resp.StatusCode == http.StatusInternalServerError && strings.Contains(string(b), "invalid signature")
	}
	for _, tc := range []struct {
		name     string
		expired  func(*http.Response) bool
		status   int
		wantBody string
	}{
		{"a body rule renews and replays", deadBody, http.StatusOK, "rows"},
		{"the default (401 only) hands the 500 back, body intact", nil, http.StatusInternalServerError, `{"error":"invalid signature"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hc := &http.Client{Transport: &Transport{Source: &renewingSource{}, Origins: []string{api.Origin(u)}, Expired: tc.expired}}
			resp, err := hc.Get(srv.URL + "/api/items")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != tc.status || string(b) != tc.wantBody {
				t.Fatalf("status %d body %q, want %d %q", resp.StatusCode, b, tc.status, tc.wantBody)
			}
		})
	}
}
