package ui

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"signet/api"
	"signet/demo"
	"signet/internal/browsertest"
	"signet/session"
	"signet/session/keychain"
)

func (r *realSession) SignOutIDToken(ctx context.Context) string {
	r.calls.Add(1)
	defer r.calls.Done()
	return r.Controller.SignOutIDToken(ctx)
}

// signedInThroughBrowser is a window signed in to the demo through the
// browser with the profile changed by mod, the person at the browser (who
// only signs in: other pages are left alone) and the ID token the session
// keeps in the keychain.
func signedInThroughBrowser(t *testing.T, mod func(*api.Profile)) (*harness, *realSession, *person, string) {
	t.Helper()
	kc := keychain.NewMemory()
	s := newBrowserSessionWith(t, demo.Config{}, kc, session.NewMemoryPreferences(), mod)
	p := &person{t: t, act: func(b *browsertest.Browser, link string) {
		if strings.Contains(link, "/oauth/authorize") {
			signsIn("Allow")(b, link)
		}
	}}
	h := newHarness(t, s, Options{OpenURL: p.open})
	h.waitFor("the sign-in form", h.onSignIn)
	test.Tap(h.ui.signIn.browser.button)
	h.waitFor("the list screen", h.onList)
	var entry struct {
		IDToken string `json:"id_token"`
	}
	for _, v := range kc.Snapshot() {
		_ = json.Unmarshal([]byte(v), &entry)
	}
	if entry.IDToken == "" {
		t.Fatal("the session keeps no ID token")
	}
	return h, s, p, entry.IDToken
}

// With end_session = true, sign-out also ends the provider's browser
// session: after the local sign-out the provider's logout page (the end
// session endpoint from discovery) opens in the browser, with the ID token
// the session held as id_token_hint and the profile's post-logout redirect.
func TestSignOut_EndSessionOpensTheProvidersLogoutPage(t *testing.T) {
	const back = "http://127.0.0.1:9/signed-out"
	h, s, p, idToken := signedInThroughBrowser(t, func(p *api.Profile) {
		p.OAuth.EndSession, p.OAuth.PostLogoutRedirectURI = true, back
	})
	test.Tap(h.ui.list.signOutBtn)
	h.waitFor("the sign-in form", h.onSignIn)
	h.waitFor("the provider's logout page", func() bool { return len(p.opened()) == 2 })
	if s.Snapshot().State.HasSession() {
		t.Fatal("still signed in")
	}
	u, err := url.Parse(p.opened()[1])
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if got := u.Scheme + "://" + u.Host + u.Path; got != s.url+"/oauth/logout" {
		t.Errorf("opened %s, want the demo's end session endpoint", got)
	}
	if q.Get("id_token_hint") != idToken {
		t.Error("id_token_hint is not the ID token the session held")
	}
	if q.Get("client_id") != demo.DemoClientID || q.Get("post_logout_redirect_uri") != back {
		t.Errorf("client_id %q, post_logout_redirect_uri %q", q.Get("client_id"), q.Get("post_logout_redirect_uri"))
	}
}

// Without end_session, sign-out opens nothing.
func TestSignOut_WithoutEndSessionOpensNothing(t *testing.T) {
	h, s, p, _ := signedInThroughBrowser(t, func(*api.Profile) {})
	test.Tap(h.ui.list.signOutBtn)
	h.waitFor("the sign-in form", h.onSignIn)
	s.calls.Wait() // the sign-out has returned
	h.waitFor("the UI queue to drain", func() bool { return true })
	if u := p.opened(); len(u) != 1 {
		t.Fatalf("opened %q, want only the sign-in page", u)
	}
}

// With end_session but no post_logout_redirect_uri, the logout URL names
// no redirect.
func TestSignOut_EndSessionWithoutRedirect(t *testing.T) {
	h, _, p, _ := signedInThroughBrowser(t, func(p *api.Profile) { p.OAuth.EndSession = true })
	test.Tap(h.ui.list.signOutBtn)
	h.waitFor("the provider's logout page", func() bool { return len(p.opened()) == 2 })
	u, _ := url.Parse(p.opened()[1])
	if q := u.Query(); q.Has("post_logout_redirect_uri") || q.Get("id_token_hint") == "" {
		t.Errorf("logout URL query %v", q)
	}
}
