package oauth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"signet/demo"
)

// freePort returns a port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// occupy holds a port on 127.0.0.1 for the test's duration.
func occupy(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l.Addr().(*net.TCPAddr).Port
}

func hasIPv6Loopback() bool {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}

// With fixed ports the first free one wins; when all are taken Start
// fails with an error that names them, and no listener is left behind.
func TestFixedRedirectPorts(t *testing.T) {
	_, base := startDemo(t, demo.Config{})
	busy, free := occupy(t), freePort(t)
	cfg := demoConfig(base)
	cfg.Redirect = Redirect{Ports: []int{busy, free}, Path: "/signet/done"}
	a := start(t, newClient(t, cfg))
	if want := fmt.Sprintf("http://127.0.0.1:%d/signet/done", free); a.RedirectURI() != want {
		t.Fatalf("redirect URI %s, want %s", a.RedirectURI(), want)
	}
	done := waitAsync(a, context.Background())
	signInWithBrowser(t, a.URL(), demo.DemoUsername, demo.DemoPassword, "Allow")
	if o := result(t, done); o.err != nil {
		t.Fatalf("Wait: %v", o.err)
	}

	busy2 := occupy(t)
	cfg.Redirect = Redirect{Ports: []int{busy, busy2}}
	_, err := newClient(t, cfg).Start(context.Background())
	var pb *PortBusyError
	if !errors.As(err, &pb) {
		t.Fatalf("err = %v, want a busy port error", err)
	}
	for _, p := range []int{busy, busy2} {
		if !strings.Contains(err.Error(), fmt.Sprint(p)) {
			t.Errorf("%q does not name port %d", err, p)
		}
	}
}

// The localhost host name (and [::1] where the machine has it) work end
// to end; the listener still binds loopback addresses only.
func TestRedirectHostNames(t *testing.T) {
	_, base := startDemo(t, demo.Config{})
	hosts := []string{"localhost"}
	if hasIPv6Loopback() {
		hosts = append(hosts, "[::1]")
	}
	for _, host := range hosts {
		cfg := demoConfig(base)
		cfg.Redirect = Redirect{Host: host}
		a := start(t, newClient(t, cfg))
		u, _ := url.Parse(a.RedirectURI())
		if "http://"+u.Host != "http://"+host+":"+u.Port() {
			t.Fatalf("%s: redirect URI %s", host, a.RedirectURI())
		}
		done := waitAsync(a, context.Background())
		signInWithBrowser(t, a.URL(), demo.DemoUsername, demo.DemoPassword, "Allow")
		if o := result(t, done); o.err != nil {
			t.Fatalf("%s: Wait: %v", host, o.err)
		}
	}
}

// The listener is not reachable from the network: it does not accept on
// the machine's other addresses, and a request naming another host (a web
// page that rebinds its DNS name to 127.0.0.1) is turned away.
func TestLoopbackOnlyAndHostChecked(t *testing.T) {
	_, base := startDemo(t, demo.Config{})
	a := start(t, newClient(t, demoConfig(base)))
	u, _ := url.Parse(a.RedirectURI())
	if ip := outboundIP(); ip != nil {
		if conn, err := net.DialTimeout("tcp", net.JoinHostPort(ip.String(), u.Port()), time.Second); err == nil {
			_ = conn.Close()
			t.Fatalf("the listener accepts on %s", ip)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, a.RedirectURI()+"?state=x&code=y", nil)
	req.Host = "rebound.example:" + u.Port()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("foreign Host: %d, want 404", resp.StatusCode)
	}
}

// outboundIP is a non-loopback address of this machine, if it has one.
func outboundIP() net.IP {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP
		}
	}
	return nil
}

// Extra authorization parameters are sent, but cannot replace the ones
// that carry the security of the flow.
func TestAuthParams(t *testing.T) {
	_, base := startDemo(t, demo.Config{})
	cfg := demoConfig(base)
	cfg.AuthParams = map[string]string{"audience": "https://api.example", "prompt": "login", "state": "fixed",
		"code_challenge_method": "plain", "redirect_uri": "https://evil.example/"}
	a := start(t, newClient(t, cfg))
	q, _ := url.ParseQuery(strings.SplitN(a.URL(), "?", 2)[1])
	if q.Get("audience") != "https://api.example" || q.Get("prompt") != "login" {
		t.Errorf("extra parameters missing: %v", q)
	}
	if q.Get("state") == "fixed" || q.Get("code_challenge_method") != "S256" || q.Get("redirect_uri") != a.RedirectURI() {
		t.Errorf("reserved parameters were replaced: %v", q)
	}
}

// Discovery is fetched once and reused; when it is stale it is fetched
// again, and when that fails the old copy still serves.
func TestDiscoveryCached(t *testing.T) {
	_, base := startDemo(t, demo.Config{})
	var fetches atomic.Int32
	var down atomic.Bool
	proxy := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/openid-configuration") {
			fetches.Add(1)
			if down.Load() {
				return nil, errors.New("connection refused")
			}
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	cfg := demoConfig(base)
	cfg.HTTPClient = proxy
	c := newClient(t, cfg)
	for range 3 {
		start(t, c).Cancel()
	}
	if n := fetches.Load(); n != 1 {
		t.Fatalf("discovery fetched %d times, want 1", n)
	}
	cfg.DiscoveryTTL = time.Nanosecond
	c = newClient(t, cfg)
	start(t, c).Cancel()
	start(t, c).Cancel()
	if n := fetches.Load(); n != 3 {
		t.Fatalf("stale discovery fetched %d times in all, want 3", n)
	}
	down.Store(true)
	start(t, c).Cancel() // the stale copy serves
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Plain OAuth 2.0 (endpoints named, no issuer, no ID token): the person is
// found through the userinfo endpoint.
func TestPlainOAuth2(t *testing.T) {
	_, base := startDemo(t, demo.Config{})
	c := newClient(t, Config{ClientID: demo.DemoClientID, Scopes: []string{"profile", "email", "offline_access"},
		Endpoints: Endpoints{Authorization: base + "/oauth/authorize", Token: base + "/oauth/token",
			Userinfo: base + "/oauth/userinfo"}})
	if c.IsOIDC() {
		t.Fatal("no issuer, yet OIDC")
	}
	o := signInDemo(t, c, "ada", "lovelace1815")
	if o.err != nil {
		t.Fatalf("Wait: %v", o.err)
	}
	if o.toks.IDToken != "" || o.user.ID != "u-1002" || o.user.Name != "Ada Lovelace" {
		t.Errorf("id token %t, user %+v", o.toks.IDToken != "", o.user)
	}
}

// Settings that cannot work are refused before any network call.
func TestConfigRefused(t *testing.T) {
	for _, cfg := range []Config{
		{Issuer: "https://id.example"},
		{ClientID: "x"},
		{ClientID: "x", Issuer: "http://id.example"},
		{ClientID: "x", Endpoints: Endpoints{Authorization: "https://id.example/a", Token: "http://id.example/t"}},
		{ClientID: "x", Issuer: "https://id.example", Redirect: Redirect{Host: "0.0.0.0"}},
		{ClientID: "x", Issuer: "https://id.example", Redirect: Redirect{Host: "example.com"}},
		{ClientID: "x", Issuer: "https://id.example", Redirect: Redirect{Path: "cb"}},
		{ClientID: "x", Issuer: "https://id.example", Redirect: Redirect{Ports: []int{70000}}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	c := newClient(t, Config{ClientID: "x", Issuer: "https://id.example"})
	if got := strings.Join(c.cfg.Scopes, " "); got != "openid profile email offline_access" {
		t.Errorf("default scopes %q", got)
	}
}
