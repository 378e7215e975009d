package oauth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"signet/api"
)

// The browser flow signs in against an independent OpenID Provider: the
// URL carries state, PKCE S256 and a nonce, the provider's login form is
// filled in, the redirect lands on the loopback listener, which shows the
// success page, and the code is exchanged for tokens whose ID token is
// verified; the listener is closed afterwards.
func TestZitadelBrowserSignIn(t *testing.T) {
	p := startZitadel(t, tamperNone, 0)
	a := start(t, newClient(t, p.nativeConfig()))
	for _, want := range []string{"code_challenge_method=S256", "code_challenge=", "nonce=", "state=",
		"scope=openid+profile+email+offline_access", "redirect_uri=http%3A%2F%2F127.0.0.1%3A"} {
		if !strings.Contains(a.URL(), want) {
			t.Errorf("authorization URL lacks %s: %s", want, a.URL())
		}
	}
	done := waitAsync(a, context.Background())
	page := signInWithBrowser(t, a.URL(), zUser, zPassword, "Sign in")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "Signed in to Signet — you can close this tab") {
		t.Fatalf("the browser tab shows %d %s", page.Status, page.Body)
	}
	o := result(t, done)
	if o.err != nil {
		t.Fatalf("Wait: %v", o.err)
	}
	if o.toks.AccessToken == "" || o.toks.RefreshToken == "" || o.toks.IDToken == "" || o.toks.Expiry.IsZero() {
		t.Fatalf("tokens incomplete: access %t refresh %t id %t expiry %v", o.toks.AccessToken != "",
			o.toks.RefreshToken != "", o.toks.IDToken != "", o.toks.Expiry)
	}
	if o.user != (api.User{ID: zSubject, Name: "Test User2", Email: "test-user2@zitadel.ch"}) {
		t.Errorf("user = %+v", o.user)
	}
	listenerClosed(t, a.RedirectURI())
	if _, _, err := a.Wait(context.Background()); err == nil {
		t.Error("a second Wait on a finished attempt reported success")
	}
}

// A request to the loopback listener with another state (an old tab, a
// forged link) is turned away and the attempt keeps waiting for the real
// answer, which then signs in.
func TestZitadelWrongStateIgnored(t *testing.T) {
	p := startZitadel(t, tamperNone, 0)
	a := start(t, newClient(t, p.nativeConfig()))
	done := waitAsync(a, context.Background())
	for _, q := range []string{"?state=forged&code=stolen", "?code=stolen", "?state=forged&error=access_denied"} {
		resp, err := http.Get(a.RedirectURI() + q)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", q, resp.StatusCode)
		}
	}
	resp, err := http.Get(strings.Replace(a.RedirectURI(), "/callback", "/other", 1))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("wrong path: status %d, want 404", resp.StatusCode)
	}
	select {
	case o := <-done:
		t.Fatalf("the attempt ended on a wrong state: %v", o.err)
	default:
	}
	signInWithBrowser(t, a.URL(), zUser, zPassword, "Sign in")
	if o := result(t, done); o.err != nil {
		t.Fatalf("Wait after wrong-state requests: %v", o.err)
	}
}

// When the code is redeemed with a verifier that does not match the
// challenge (a code stolen on its way back and replayed elsewhere), the
// provider refuses it and the person reads the provider's words.
func TestZitadelPKCEMismatchRefused(t *testing.T) {
	p := startZitadel(t, tamperNone, 0)
	a := start(t, newClient(t, p.nativeConfig()))
	a.verifier = "not-the-verifier-whose-challenge-was-sent-0123456789abcdefgh"
	done := waitAsync(a, context.Background())
	signInWithBrowser(t, a.URL(), zUser, zPassword, "Sign in")
	o := result(t, done)
	var pe *ProviderError
	if !errors.As(o.err, &pe) || pe.Code != "invalid_grant" {
		t.Fatalf("err = %v (%T), want the provider's invalid_grant", o.err, o.err)
	}
	if pe.Description == "" || !strings.Contains(o.err.Error(), pe.Description) {
		t.Errorf("the provider's words are missing: %q", o.err.Error())
	}
	if o.toks.AccessToken != "" {
		t.Error("tokens came back despite the refusal")
	}
}

// Pressing Deny at the provider comes back as error=access_denied: Wait
// ends with the provider's description, the tab says sign-in failed.
func TestZitadelAccessDenied(t *testing.T) {
	p := startZitadel(t, tamperNone, 0)
	a := start(t, newClient(t, p.nativeConfig()))
	done := waitAsync(a, context.Background())
	page := signInWithBrowser(t, a.URL(), "", "", "Deny")
	if !strings.Contains(page.Body, "Sign-in failed") || !strings.Contains(page.Body, "The user declined the sign-in.") {
		t.Errorf("the tab shows %s", page.Body)
	}
	o := result(t, done)
	wantErr(t, o.err, ErrAccessDenied)
	if !strings.Contains(o.err.Error(), "The user declined the sign-in.") {
		t.Errorf("err = %q, want the provider's words", o.err)
	}
	listenerClosed(t, a.RedirectURI())
}

// An attempt nobody finishes ends with ErrTimeout; Cancel and a canceled
// context end it with ErrCanceled. Each time the listener is closed.
func TestZitadelTimeoutAndCancel(t *testing.T) {
	p := startZitadel(t, tamperNone, 0)
	cfg := p.nativeConfig()
	cfg.Timeout = 300 * time.Millisecond
	c := newClient(t, cfg)

	a := start(t, c)
	_, _, err := a.Wait(context.Background())
	wantErr(t, err, ErrTimeout)
	listenerClosed(t, a.RedirectURI())

	c = newClient(t, p.nativeConfig())
	a = start(t, c)
	done := waitAsync(a, context.Background())
	a.Cancel()
	wantErr(t, result(t, done).err, ErrCanceled)
	listenerClosed(t, a.RedirectURI())

	a = start(t, c)
	ctx, cancel := context.WithCancel(context.Background())
	done = waitAsync(a, ctx)
	cancel()
	wantErr(t, result(t, done).err, ErrCanceled)
	listenerClosed(t, a.RedirectURI())
}

// A second Start (the person clicked again) abandons the first attempt:
// its Wait ends with ErrAbandoned and its listener closes, so a late
// browser tab of the first attempt cannot sign in; the second one works.
func TestZitadelSecondAttemptAbandonsFirst(t *testing.T) {
	p := startZitadel(t, tamperNone, 0)
	c := newClient(t, p.nativeConfig())
	first := start(t, c)
	firstDone := waitAsync(first, context.Background())
	second := start(t, c)
	wantErr(t, result(t, firstDone).err, ErrAbandoned)
	listenerClosed(t, first.RedirectURI())
	if first.RedirectURI() == second.RedirectURI() {
		t.Fatal("both attempts share a listener")
	}
	done := waitAsync(second, context.Background())
	signInWithBrowser(t, second.URL(), zUser, zPassword, "Sign in")
	if o := result(t, done); o.err != nil {
		t.Fatalf("second attempt: %v", o.err)
	}
	// And a third after a finished one starts clean.
	third := start(t, c)
	done = waitAsync(third, context.Background())
	signInWithBrowser(t, third.URL(), zUser, zPassword, "Sign in")
	if o := result(t, done); o.err != nil {
		t.Fatalf("third attempt: %v", o.err)
	}
}

// After a browser sign-in the refresh token works at the token endpoint
// and is rotated; the old one is then refused with the kind the session
// treats as "the session is over".
func TestZitadelRefreshRotationAfterBrowserSignIn(t *testing.T) {
	p := startZitadel(t, tamperNone, 0)
	c := newClient(t, p.nativeConfig())
	a := start(t, c)
	done := waitAsync(a, context.Background())
	signInWithBrowser(t, a.URL(), zUser, zPassword, "Sign in")
	o := result(t, done)
	if o.err != nil {
		t.Fatal(o.err)
	}
	fresh, err := c.Refresh(context.Background(), o.toks.RefreshToken)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if fresh.RefreshToken == o.toks.RefreshToken || fresh.AccessToken == o.toks.AccessToken || fresh.AccessToken == "" {
		t.Fatal("the refresh did not rotate the tokens")
	}
	_, err = c.Refresh(context.Background(), o.toks.RefreshToken)
	if api.KindOf(err) != api.KindRefreshRefused {
		t.Fatalf("reusing the old refresh token: err = %v, want kind refresh refused", err)
	}
	if _, err := c.Refresh(context.Background(), fresh.RefreshToken); err != nil {
		t.Fatalf("the rotated refresh token: %v", err)
	}
}

// ID tokens that fail a check are refused, whatever else came with them.
func TestZitadelBadIDTokenRefused(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper tamper
		reason string
	}{
		{"nonce", tamperNonce, "wrong nonce"},
		{"signature", tamperKey, "bad signature"},
		{"issuer", tamperNone, "wrong issuer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := startZitadel(t, tc.tamper, 0)
			cfg := p.nativeConfig()
			if tc.name == "issuer" {
				// The provider names itself after the host it is asked
				// at: the token endpoint reached as 127.0.0.1 mints ID
				// tokens for another issuer than the one discovered.
				cfg.Issuer = strings.Replace(p.URL, "127.0.0.1", "localhost", 1)
				cfg.Endpoints.Token = p.URL + "/oauth/token"
			}
			a := start(t, newClient(t, cfg))
			done := waitAsync(a, context.Background())
			signInWithBrowser(t, a.URL(), zUser, zPassword, "Sign in")
			o := result(t, done)
			var ie *IDTokenError
			if !errors.As(o.err, &ie) || ie.Reason != tc.reason {
				t.Fatalf("err = %v, want an ID token error %q", o.err, tc.reason)
			}
			if o.toks.AccessToken != "" {
				t.Error("tokens came back with a bad ID token")
			}
		})
	}
}

// An ID token the provider really signed, but for another client, slipped
// into the token answer (token substitution) is refused: its audience is
// not this client.
func TestZitadelIDTokenForAnotherClientRefused(t *testing.T) {
	p := startZitadel(t, tamperNone, 0)
	other := p.nativeConfig()
	other.ClientID = zOther
	a := start(t, newClient(t, other))
	done := waitAsync(a, context.Background())
	signInWithBrowser(t, a.URL(), zUser, zPassword, "Sign in")
	o := result(t, done)
	if o.err != nil {
		t.Fatalf("signing in as the other client: %v", o.err)
	}

	cfg := p.nativeConfig()
	cfg.HTTPClient = &http.Client{Transport: &swapIDToken{idToken: o.toks.IDToken}}
	a = start(t, newClient(t, cfg))
	done = waitAsync(a, context.Background())
	signInWithBrowser(t, a.URL(), zUser, zPassword, "Sign in")
	o = result(t, done)
	var ie *IDTokenError
	if !errors.As(o.err, &ie) || ie.Reason != "wrong audience" {
		t.Fatalf("err = %v, want an ID token error about the audience", o.err)
	}
}
