package session

import (
	"context"
	"net/url"
	"testing"
	"time"

	"signet/api"
	"signet/api/oauth"
	"signet/demo"
	"signet/profile"
)

// fakeClockProvider is an oauth client whose answers' expiry is moved onto
// the session's fake clock (x/oauth2 stamps expires_in on the real one).
type fakeClockProvider struct {
	oc  *oauth.Client
	now func() time.Time
}

func (f fakeClockProvider) Refresh(ctx context.Context, rt string) (api.Tokens, error) {
	t, err := f.oc.Refresh(ctx, rt)
	if err == nil && !t.Expiry.IsZero() {
		t.Expiry = f.now().Add(time.Until(t.Expiry))
	}
	return t, err
}

func (f fakeClockProvider) Revoke(ctx context.Context, t api.Tokens) error {
	return f.oc.Revoke(ctx, t)
}

// waitLogout waits until the demo has ended a session (a revocation or its
// own logout call) after before.
func (e *env) waitLogout(before int64, what string) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for e.demo.Stats().Logouts == before {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond) // polling the server's count, not timing anything
	}
}

// An OpenID profile that names only its issuer and client ID: no [refresh]
// or [logout] can be derived from the file, so renewal and revocation go
// through the provider's discovered token and revocation endpoints. The
// proactive renewal rotates there, a restart (a new controller on the same
// keychain and preferences, a new provider client) restores without the
// network and renews there again, and sign-out revokes there.
func TestSignInWith_IssuerOnlyRenewsAndRevokesAtDiscoveredEndpoints(t *testing.T) {
	e := newEnv(t, envOpts{})
	base := e.server.url()
	p := e.profile
	p.Refresh, p.Logout = nil, nil
	p.OAuth = &api.OAuthSpec{Issuer: base, ClientID: demo.DemoClientID}
	p, err := profile.Validate(p)
	if err != nil {
		t.Fatal(err)
	}
	if p.Refresh != nil || p.Logout != nil {
		t.Fatalf("derived refresh %+v, logout %+v: the file names no endpoint", p.Refresh, p.Logout)
	}
	e.profile = p
	newProvider := func() *oauth.Client {
		cfg := profile.OAuthConfig(p)
		cfg.Now, cfg.Timeout = e.clock.Now, 20*time.Second
		oc, err := oauth.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return oc
	}
	withProvider := func(oc *oauth.Client) func(*Config) {
		return func(cfg *Config) {
			client, err := api.New(api.Config{Profile: p, Now: e.clock.Now, Timeout: 5 * time.Second,
				Provider: fakeClockProvider{oc, e.clock.Now}})
			if err != nil {
				t.Fatal(err)
			}
			cfg.Client = client
		}
	}

	oc := newProvider()
	c := e.controller(withProvider(oc))
	c.Restore(context.Background())
	if err := c.SignInWith(context.Background(), MethodBrowser, browserSignIn(t, oc, e.clock.Now)); err != nil {
		t.Fatalf("SignInWith: %v", err)
	}
	first, _ := e.stored()
	refreshes := e.demo.Stats().Refreshes
	e.advance(renewDue)
	waitFor(t, c, "the proactive renewal", func(s Snapshot) bool { return s.Renewals == 1 && s.State == SignedIn })
	rotated, _ := e.stored()
	if rotated.RefreshToken == "" || rotated.RefreshToken == first.RefreshToken || e.demo.Stats().Refreshes != refreshes+1 {
		t.Fatal("the refresh token did not rotate at the discovered token endpoint")
	}
	c.Close()

	c2 := e.controller(withProvider(newProvider()))
	c2.Restore(context.Background())
	if s := c2.Snapshot(); s.State != SignedIn {
		t.Fatalf("after restart: %v (%v)", s.State, s.Err)
	}
	e.advance(renewDue)
	waitFor(t, c2, "the renewal after the restart", func(s Snapshot) bool { return s.Renewals == 2 && s.State == SignedIn })
	again, _ := e.stored()
	if again.RefreshToken == rotated.RefreshToken {
		t.Fatal("the renewal after the restart did not rotate")
	}
	mustFetch(t, c2)

	before := e.demo.Stats().Logouts
	c2.SignOut(context.Background())
	e.waitLogout(before, "sign-out to revoke at the discovered revocation endpoint")
	if _, err := oc.Refresh(context.Background(), again.RefreshToken); api.KindOf(err) != api.KindRefreshRefused {
		t.Fatalf("refresh after sign-out: %v, want refused", err)
	}
}

// How and where the session began survive a restart: the method and the
// provider's host are kept with the session's other preferences and come
// back into the snapshot when it is restored.
func TestSignInWith_MethodAndProviderSurviveRestart(t *testing.T) {
	e, oc := browserEnv(t)
	c := e.controller()
	c.Restore(context.Background())
	if err := c.SignInWith(context.Background(), MethodBrowser, browserSignIn(t, oc, e.clock.Now)); err != nil {
		t.Fatalf("SignInWith: %v", err)
	}
	u, _ := url.Parse(e.server.url())
	if s := c.Snapshot(); s.SignInMethod != MethodBrowser || s.SignInProvider != u.Host {
		t.Fatalf("after sign-in: method %q provider %q", s.SignInMethod, s.SignInProvider)
	}
	c.Close()

	c2 := e.controller()
	c2.Restore(context.Background())
	s := c2.Snapshot()
	if s.State != SignedIn || s.SignInMethod != MethodBrowser || s.SignInProvider != u.Host {
		t.Fatalf("after restart: %v method %q provider %q, want signed in by %q at %q",
			s.State, s.SignInMethod, s.SignInProvider, MethodBrowser, u.Host)
	}
	c2.SignOut(context.Background())
	if s := c2.Snapshot(); s.SignInMethod != "" || s.SignInProvider != "" {
		t.Fatalf("after sign-out: method %q provider %q", s.SignInMethod, s.SignInProvider)
	}
	if k := c2.storage.keys; e.prefs.String(k.method) != "" || e.prefs.String(k.provider) != "" {
		t.Fatal("sign-out left the sign-in method in the preferences")
	}
}
