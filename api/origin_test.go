package api

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"signet/internal/bothschemes"
)

func TestOrigin(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"https://API.Example.com/v1?q=1", "https://api.example.com:443"},
		{"HTTPS://api.example.com:443", "https://api.example.com:443"},
		{"http://127.0.0.1", "http://127.0.0.1:80"},
		{"http://127.0.0.1:8443", "http://127.0.0.1:8443"},
		{"https://127.0.0.1:8443", "https://127.0.0.1:8443"},
		{"http://[::1]:8080/x", "http://[::1]:8080"},
		{"https://[::1]", "https://[::1]:443"},
		{"https://h.example:0443", "https://h.example:443"},
		{"https://user:pw@h.example", "https://h.example:443"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := Origin(u); got != tt.want {
			t.Errorf("Origin(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

// naiveBearer adds the bearer token to every request it is given, the way a
// careless authenticated client would: only the redirect policy stands
// between it and the plain-http side.
func naiveBearer(base http.RoundTripper, token string) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+token)
		return base.RoundTrip(r)
	})}
}

// A redirect from the https API to plain http on the same host and port is
// another origin: refused with a sentence naming it, never followed, for
// every call that carries a secret (design R12).
func TestRedirect_HTTPSToPlainHTTPOnTheSamePortIsRefused(t *testing.T) {
	const access, refresh, password = "at-Zq81-secret", "rt-Zq81-secret", "pw-Zq81-secret"
	calls := map[string]func(c *Client, hc *http.Client) error{
		"sign in": func(c *Client, _ *http.Client) error {
			_, err := c.Login(context.Background(), "ann", password)
			return err
		},
		"refresh": func(c *Client, _ *http.Client) error {
			_, err := c.Refresh(context.Background(), refresh)
			return err
		},
		"sign out": func(c *Client, _ *http.Client) error {
			return c.Logout(context.Background(), Tokens{AccessToken: access, RefreshToken: refresh})
		},
		"current user": func(c *Client, hc *http.Client) error {
			_, err := c.Me(context.Background(), hc)
			return err
		},
		"list": func(c *Client, hc *http.Client) error {
			_, err := c.FetchList(context.Background(), hc, "Things", 0, 0, "")
			return err
		},
	}
	for name, call := range calls {
		for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
			t.Run(name+"/"+http.StatusText(status), func(t *testing.T) {
				var srv *bothschemes.Server
				srv = bothschemes.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, srv.PlainURL+r.URL.Path, status)
				}))
				p := simpleProfile(srv.URL)
				p.Logout.Headers = map[string]string{"Authorization": "Bearer {access_token}"}
				p.Me = &MeSpec{RequestSpec: RequestSpec{Path: "/me"}, User: UserPaths{Name: "name"}}
				tlsClient := srv.TLS.Client()
				c := newTestClient(t, p, func(cfg *Config) { cfg.HTTP = tlsClient })

				err := call(c, naiveBearer(tlsClient.Transport, access))
				e := wantKind(t, err, KindServer)
				want := "The server sent Signet to another address (" + srv.PlainURL + "); Signet did not follow it."
				if e.Error() != want {
					t.Errorf("text %q, want %q", e.Error(), want)
				}
				var re *RedirectError
				if !errors.As(err, &re) || e.Status != status {
					t.Errorf("cause %T, status %d; want *RedirectError, %d", e.Err, e.Status, status)
				}
				for _, r := range srv.Plain() {
					t.Errorf("plain http got %s %s (Authorization %q, body %q)", r.Method, r.Path, r.Header.Get("Authorization"), r.Body)
				}
			})
		}
	}
}

func TestRedirect_WithinTheOriginIsFollowed(t *testing.T) {
	var srv *bothschemes.Server
	srv = bothschemes.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/things" {
			http.Redirect(w, r, srv.URL+"/v2/things", http.StatusFound)
			return
		}
		writeJSON(w, 200, map[string]any{"items": []map[string]string{{"id": "1", "title": "moved"}}})
	}))
	c := newTestClient(t, simpleProfile(srv.URL), func(cfg *Config) { cfg.HTTP = srv.TLS.Client() })
	page, err := c.FetchList(context.Background(), nil, "Things", 0, 0, "")
	if err != nil || len(page.Items) != 1 || page.Items[0].Title != "moved" {
		t.Fatalf("page %+v, err %v", page, err)
	}
}

// A certificate this machine does not trust is named as such, with the
// host, not "check your connection".
func TestTLS_UntrustedCertificateIsSaidInWords(t *testing.T) {
	srv := httptest.NewUnstartedServer(&recorder{body: `{"access_token":"a"}`})
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake error it logs is the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "https://")
	_, err := newTestClient(t, simpleProfile(srv.URL)).Login(context.Background(), "u", "p")
	e := wantKind(t, err, KindNetwork)
	if !strings.Contains(e.Error(), "certificate for "+host+" is not trusted") || strings.Contains(e.Error(), "Check your connection") {
		t.Errorf("text %q", e.Error())
	}
	var verr *tls.CertificateVerificationError
	if !errors.As(err, &verr) {
		t.Errorf("cause %T does not unwrap to the verification error", e.Err)
	}
}

// https to a server that speaks plain http says so.
func TestTLS_PlainHTTPServerAddressedAsHTTPS(t *testing.T) {
	srv := serve(t, &recorder{body: `{"items":[]}`})
	host := strings.TrimPrefix(srv.URL, "http://")
	_, err := newTestClient(t, simpleProfile("https://"+host)).FetchList(context.Background(), nil, "Things", 0, 0, "")
	e := wantKind(t, err, KindNetwork)
	if !strings.Contains(e.Error(), host+" does not speak https") {
		t.Errorf("text %q", e.Error())
	}
}
