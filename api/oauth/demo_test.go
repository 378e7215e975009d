package oauth

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"signet/api"
	"signet/demo"
	"signet/internal/browsertest"
	"signet/internal/demotest"
	"signet/internal/fakeclock"
)

// startDemo serves the embedded demo backend on a loopback port.
func startDemo(t *testing.T, cfg demo.Config) (*demo.Server, string) {
	t.Helper()
	if cfg.DataPath == "" {
		cfg.DataPath = demotest.DataFile(t)
	}
	s, err := demo.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	u, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return s, u
}

func demoConfig(base string) Config {
	return Config{Issuer: base, ClientID: demo.DemoClientID, Timeout: 20 * time.Second}
}

// signInDemo completes a browser sign-in at the demo as user.
func signInDemo(t *testing.T, c *Client, user, password string) outcome {
	t.Helper()
	a := start(t, c)
	done := waitAsync(a, context.Background())
	page := signInWithBrowser(t, a.URL(), user, password, "Allow")
	if !strings.Contains(page.Body, "Signed in to Signet") {
		t.Fatalf("the tab shows %d %s", page.Status, page.Body)
	}
	return result(t, done)
}

// Against the demo: discovery, the sign-in and consent page, PKCE, the
// ID token signed with the demo's ES256 key, and the tokens work on the
// protected API; the refresh token rotates at the token endpoint.
func TestDemoBrowserSignIn(t *testing.T) {
	_, base := startDemo(t, demo.Config{})
	c := newClient(t, demoConfig(base))
	o := signInDemo(t, c, "ada", "lovelace1815")
	if o.err != nil {
		t.Fatalf("Wait: %v", o.err)
	}
	if o.user != (api.User{ID: "u-1002", Name: "Ada Lovelace", Email: "ada@signet.example"}) {
		t.Errorf("user = %+v", o.user)
	}
	if o.toks.RefreshToken == "" || o.toks.IDToken == "" || o.toks.Expiry.IsZero() {
		t.Fatal("tokens incomplete")
	}
	getMe(t, base, o.toks.AccessToken, http.StatusOK)

	fresh, err := c.Refresh(context.Background(), o.toks.RefreshToken)
	if err != nil || fresh.RefreshToken == o.toks.RefreshToken {
		t.Fatalf("Refresh: %v (rotated: %t)", err, fresh.RefreshToken != o.toks.RefreshToken)
	}
	getMe(t, base, fresh.AccessToken, http.StatusOK)
	if _, err := c.Refresh(context.Background(), o.toks.RefreshToken); api.KindOf(err) != api.KindRefreshRefused {
		t.Fatalf("reused refresh token: %v, want refresh refused", err)
	}
}

func getMe(t *testing.T, base, access string, want int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("/api/me: %d, want %d", resp.StatusCode, want)
	}
}

// A wrong password keeps the person on the demo's page with a message; the
// right one then signs in. Deny comes back as access_denied.
func TestDemoWrongPasswordThenDeny(t *testing.T) {
	_, base := startDemo(t, demo.Config{})
	c := newClient(t, demoConfig(base))
	a := start(t, c)
	done := waitAsync(a, context.Background())
	b := browsertest.New(t)
	page := b.Submit(b.Open(a.URL()), map[string]string{"username": "demo", "password": "nope"}, "Allow")
	if page.Status != http.StatusUnauthorized || !strings.Contains(page.Body, "Wrong username or password.") {
		t.Fatalf("after a wrong password: %d %s", page.Status, page.Body)
	}
	page = b.Submit(page, nil, "Deny")
	if !strings.Contains(page.Body, "Sign-in failed") {
		t.Errorf("the tab shows %s", page.Body)
	}
	o := result(t, done)
	wantErr(t, o.err, ErrAccessDenied)
	if !strings.Contains(o.err.Error(), "You declined to sign in to Signet.") {
		t.Errorf("err = %q", o.err)
	}
}

// Revoke ends the demo session (the refresh token is refused, the access
// token stops working); the logout URL names the demo's end session
// endpoint with the ID token hint.
func TestDemoRevokeAndLogoutURL(t *testing.T) {
	_, base := startDemo(t, demo.Config{})
	c := newClient(t, demoConfig(base))
	o := signInDemo(t, c, demo.DemoUsername, demo.DemoPassword)
	if o.err != nil {
		t.Fatal(o.err)
	}
	if !c.CanRevoke(context.Background()) {
		t.Fatal("the demo's revocation endpoint was not discovered")
	}
	if err := c.Revoke(context.Background(), o.toks); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	getMe(t, base, o.toks.AccessToken, http.StatusUnauthorized)
	if _, err := c.Refresh(context.Background(), o.toks.RefreshToken); api.KindOf(err) != api.KindRefreshRefused {
		t.Fatalf("refresh after revoke: %v", err)
	}
	if err := c.Revoke(context.Background(), o.toks); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	u, err := c.LogoutURL(context.Background(), o.toks.IDToken, "", "")
	if err != nil || !strings.HasPrefix(u, base+"/oauth/logout?") || !strings.Contains(u, "id_token_hint=") {
		t.Fatalf("LogoutURL = %q, %v", u, err)
	}
	page := browsertest.New(t).Open(u)
	if !strings.Contains(page.Body, "You are signed out of the Signet demo.") {
		t.Errorf("logout page: %s", page.Body)
	}
}

// The device flow at the demo: the person opens verification_uri_complete,
// signs in and allows; the app's polling (through authorization_pending)
// gets the tokens.
func TestDemoDeviceSignIn(t *testing.T) {
	t.Parallel()
	_, base := startDemo(t, demo.Config{DeviceInterval: time.Second})
	rec := &tokenRecorder{}
	cfg := demoConfig(base)
	cfg.HTTPClient = &http.Client{Transport: rec}
	c := newClient(t, cfg)
	d := startDevice(t, c)
	if d.Interval() != time.Second || len(d.UserCode) != 9 {
		t.Errorf("interval %v, user code %q", d.Interval(), d.UserCode)
	}
	done := waitAsync(d, context.Background())
	rec.waitPoll(t, "authorization_pending")
	b := browsertest.New(t)
	page := b.Submit(b.Open(d.VerificationURIComplete),
		map[string]string{"username": "grace", "password": "hopper1906"}, "Allow")
	if !strings.Contains(page.Body, "is now signed in") {
		t.Fatalf("approval page: %s", page.Body)
	}
	o := result(t, done)
	if o.err != nil {
		t.Fatalf("Wait: %v", o.err)
	}
	if o.user.ID != "u-1003" || o.user.Email != "grace@signet.example" {
		t.Errorf("user = %+v", o.user)
	}
	getMe(t, base, o.toks.AccessToken, http.StatusOK)
}

// When the demo's clock passes the code's expiry, its expired_token ends
// the polling with ErrExpired (the client's own deadline is far away).
func TestDemoDeviceExpiredToken(t *testing.T) {
	t.Parallel()
	clock := fakeclock.New(time.Now())
	_, base := startDemo(t, demo.Config{DeviceInterval: time.Second, Now: clock.Now})
	rec := &tokenRecorder{}
	cfg := demoConfig(base)
	cfg.HTTPClient = &http.Client{Transport: rec}
	d := startDevice(t, newClient(t, cfg))
	done := waitAsync(d, context.Background())
	rec.waitPoll(t, "authorization_pending")
	clock.Advance(11 * time.Minute)
	wantErr(t, result(t, done).err, ErrExpired)
	if polls := rec.snapshot(); polls[len(polls)-1].code != "expired_token" {
		t.Errorf("polls = %v, want the server's expired_token last", polls)
	}
}
