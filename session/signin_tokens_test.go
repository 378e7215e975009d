package session

import (
	"context"
	"strings"
	"testing"
	"time"

	"signet/api"
	"signet/api/oauth"
	"signet/demo"
	"signet/internal/browsertest"
	"signet/profile"
)

// browserEnv is the demo reached as an OpenID provider, with renewal and
// sign-out derived from its token and revocation endpoints (not the demo's
// own /auth calls), and an oauth client on the controller's clock.
func browserEnv(t *testing.T) (*env, *oauth.Client) {
	t.Helper()
	e := newEnv(t, envOpts{})
	base := e.server.url()
	p := e.profile
	p.Refresh, p.Logout = nil, nil
	p.OAuth = &api.OAuthSpec{Issuer: base, ClientID: demo.DemoClientID,
		TokenEndpoint: base + "/oauth/token", RevocationEndpoint: base + "/oauth/revoke"}
	p, err := profile.Validate(p)
	if err != nil {
		t.Fatal(err)
	}
	if p.Refresh == nil || p.Refresh.Path != "/oauth/token" || p.Logout == nil || p.Logout.Path != "/oauth/revoke" {
		t.Fatalf("derived refresh %+v, logout %+v", p.Refresh, p.Logout)
	}
	e.profile = p
	cfg := profile.OAuthConfig(p)
	cfg.Now, cfg.Timeout = e.clock.Now, 20*time.Second
	oc, err := oauth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e, oc
}

// browserSignIn is the obtain function of a browser sign-in in which the
// person signs in to the demo as its demo user and allows Signet.
func browserSignIn(t *testing.T, oc *oauth.Client, now func() time.Time) func(context.Context) (api.Tokens, api.User, error) {
	return func(ctx context.Context) (api.Tokens, api.User, error) {
		a, err := oc.Start(ctx)
		if err != nil {
			return api.Tokens{}, api.User{}, err
		}
		type res struct {
			t   api.Tokens
			u   api.User
			err error
		}
		ch := make(chan res, 1)
		go func() { tk, u, err := a.Wait(ctx); ch <- res{tk, u, err} }()
		b := browsertest.New(t)
		page := b.Submit(b.Open(a.URL()), map[string]string{"username": demo.DemoUsername, "password": demo.DemoPassword}, "Allow")
		if !strings.Contains(page.Body, "Signed in to Signet") {
			t.Errorf("the tab shows %d %s", page.Status, page.Body)
		}
		r := <-ch
		// x/oauth2 stamps expires_in on the real clock; the session runs
		// on the fake one.
		if !r.t.Expiry.IsZero() {
			r.t.Expiry = now().Add(time.Until(r.t.Expiry))
		}
		return r.t, r.u, r.err
	}
}

// A browser sign-in installs the session as a password sign-in does: the
// tokens (the ID token too) in the keychain, the method in the snapshot;
// the proactive renewal rotates the refresh token at the provider's token
// endpoint; a restart restores without the browser; sign-out revokes the
// refresh token there (RFC 7009).
func TestSignInWith_BrowserRestoreRotateRevoke(t *testing.T) {
	e, oc := browserEnv(t)
	c := e.controller()
	c.Restore(context.Background())
	if err := c.SignInWith(context.Background(), MethodBrowser, browserSignIn(t, oc, e.clock.Now)); err != nil {
		t.Fatalf("SignInWith: %v", err)
	}
	s := c.Snapshot()
	if s.State != SignedIn || s.SignInMethod != MethodBrowser || s.User.Name != "Demo User" || s.Expiry.IsZero() {
		t.Fatalf("snapshot = %v method %q user %+v", s.State, s.SignInMethod, s.User)
	}
	first, ok := e.stored()
	if !ok || first.RefreshToken == "" || first.IDToken == "" {
		t.Fatalf("keychain entry present %t, refresh %t, id token %t", ok, first.RefreshToken != "", first.IDToken != "")
	}
	e.assertNoSecrets(first.AccessToken, first.RefreshToken, first.IDToken)
	mustFetch(t, c)

	e.advance(renewDue)
	waitFor(t, c, "the proactive renewal", func(s Snapshot) bool { return s.Renewals == 1 && s.State == SignedIn })
	rotated, _ := e.stored()
	if rotated.RefreshToken == "" || rotated.RefreshToken == first.RefreshToken {
		t.Fatal("the refresh token did not rotate at the token endpoint")
	}
	c.Close()

	c2 := e.controller()
	c2.Restore(context.Background())
	if s := c2.Snapshot(); s.State != SignedIn {
		t.Fatalf("after restart: %v (%v)", s.State, s.Err)
	}
	mustFetch(t, c2)
	before := e.demo.Stats().Logouts
	c2.SignOut(context.Background())
	e.waitLogout(before, "sign-out to revoke at the provider")
	if _, err := oc.Refresh(context.Background(), rotated.RefreshToken); api.KindOf(err) != api.KindRefreshRefused {
		t.Fatalf("refresh after sign-out: %v, want refused", err)
	}
	if _, ok := e.stored(); ok {
		t.Fatal("the keychain still holds the tokens")
	}
}

// A refused browser sign-in leaves the session signed out with the
// provider's words, and writes nothing.
func TestSignInWith_RefusedKeepsSignedOut(t *testing.T) {
	e, _ := browserEnv(t)
	c := e.controller()
	c.Restore(context.Background())
	refusal := &oauth.ProviderError{Code: "access_denied", Description: "You declined to sign in to Signet."}
	err := c.SignInWith(context.Background(), MethodBrowser, func(context.Context) (api.Tokens, api.User, error) {
		return api.Tokens{}, api.User{}, refusal
	})
	if err == nil || !strings.Contains(err.Error(), "You declined") {
		t.Fatalf("SignInWith = %v", err)
	}
	if s := c.Snapshot(); s.State != SignedOut || s.Err == nil || s.SignInMethod != "" {
		t.Fatalf("snapshot = %v err %v method %q", s.State, s.Err, s.SignInMethod)
	}
	if len(e.kc.Snapshot()) != 0 {
		t.Fatal("a refused sign-in wrote to the keychain")
	}
}
