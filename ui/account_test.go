package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"signet/api"
	"signet/session"
	"signet/session/keychain"
)

func TestSessionPanel_ShowsTheSessionAgainstTheClock(t *testing.T) {
	now := time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)
	snap := session.Snapshot{
		State:       session.SignedIn,
		Username:    "demo",
		User:        api.User{Name: "Demo User", Email: "demo@example.com"},
		Server:      "http://127.0.0.1:8080",
		SignedInAt:  now.Add(-10 * time.Minute),
		LastRenewal: now.Add(-30 * time.Second),
		Renewals:    3,
		Expiry:      now.Add(30 * time.Second),
		RenewAt:     now.Add(10 * time.Second),
		Renewable:   true,
	}
	s := newFakeSession(snap)
	h := newHarness(t, s, Options{})
	l := h.ui.list
	if l.account.name.Text != "Demo User" || l.account.avatar.text.Text != "DU" {
		t.Errorf("account button %q / %q", l.account.name.Text, l.account.avatar.text.Text)
	}

	test.Tap(l.account.button)
	p := l.panel
	if !p.visible() {
		t.Fatal("tapping the account button did not open the session panel")
	}
	check := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s %q, want %q", what, got, want)
		}
	}
	check("name", p.name.Text, "Demo User")
	check("detail", mutedText(p.detail), "demo@example.com")
	check("server", p.server.Text, "http://127.0.0.1:8080")
	check("signed in", p.signedIn.Text, "09:20 (10 min ago)")
	check("last renewed", p.lastRenewed.Text, "09:29 (just now) · 3 times")
	check("storage", p.storage.Text, "OS keychain")
	check("lifetime", mutedText(p.lifeText), "0:30 of 1:00 left")
	check("renewal", mutedText(p.renewal), "Renews automatically in 0:10")
	if p.lifetime.Value != 0.5 || !p.lifetime.Visible() {
		t.Errorf("lifetime bar %v (visible %v), want 0.5", p.lifetime.Value, p.lifetime.Visible())
	}

	// The bar counts down with the clock.
	h.now = h.now.Add(15 * time.Second)
	l.onTick()
	check("lifetime after 15 s", mutedText(p.lifeText), "0:15 of 1:00 left")
	if p.lifetime.Value != 0.25 {
		t.Errorf("lifetime bar after 15 s %v, want 0.25", p.lifetime.Value)
	}

	// Without a keychain the panel says the session won't outlive the app;
	// with the opt-in file, the session names it.
	snap.SecretsIn = keychain.LocationMemory
	s.set(snap)
	h.waitFor("the memory-only storage line", func() bool { return p.storage.Text == storageMemory })
	snap.SecretsIn = keychain.LocationFile
	s.set(snap)
	h.waitFor("the file storage line", func() bool { return p.storage.Text == "A file on this computer (not encrypted)" })

	// Escape closes the panel; the Sign out button in it signs out.
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.visible() {
		t.Error("Escape did not close the session panel")
	}
	test.Tap(l.account.button)
	test.Tap(p.signOut)
	h.waitFor("the sign-in form", h.onSignIn)
	if s.signOuts != 1 {
		t.Errorf("%d sign-outs, want 1", s.signOuts)
	}
}

func TestSessionFacts_UnknownExpiryAndNoRefresh(t *testing.T) {
	now := time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)
	f := sessionFactsAt(session.Snapshot{
		State: session.SignedIn, Username: "grace", SignedInAt: now.Add(-26 * time.Hour),
	}, now)
	if f.Lifetime != -1 || f.LifetimeText != "Unknown: the server didn't say when it expires" {
		t.Errorf("unknown expiry: %v %q", f.Lifetime, f.LifetimeText)
	}
	if f.Renewal != "This server can't renew sessions: you'll sign in again when it ends" {
		t.Errorf("no refresh: %q", f.Renewal)
	}
	if f.SignedIn != "Sun 1 Jun, 07:30 (yesterday)" || f.LastRenewed != "Not yet" || f.Initials != "G" {
		t.Errorf("signed in %q, last renewed %q, initials %q", f.SignedIn, f.LastRenewed, f.Initials)
	}
}
