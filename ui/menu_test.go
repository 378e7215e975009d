package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"signet/session"
)

func TestAbout_FallsBackToMainsVersionWithoutPackagingMetadata(t *testing.T) {
	h := newHarness(t, newFakeSession(session.Snapshot{State: session.SignedOut}), Options{Version: "1.2.3"})
	// The test app carries no FyneApp.toml metadata (no ID).
	if got := h.ui.version(); got != "1.2.3" {
		t.Errorf("version %q, want main's 1.2.3", got)
	}
	h.ui.showAbout()
	if h.ui.dialog == nil {
		t.Fatal("About did not open")
	}
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.ui.dialog != nil {
		t.Error("Escape did not close About")
	}
}

func TestShortcuts_F1OpensTheListAndTheMenuHasTheShortcuts(t *testing.T) {
	h := newHarness(t, newFakeSession(session.Snapshot{State: session.SignedOut}), Options{})
	h.win.Canvas().Unfocus()
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF1})
	if h.ui.dialog == nil {
		t.Fatal("F1 did not open the shortcuts")
	}
	menu := h.win.MainMenu()
	if menu == nil {
		t.Fatal("no main menu")
	}
	found := map[string]bool{}
	for _, m := range menu.Items {
		for _, it := range m.Items {
			if it.Shortcut != nil {
				found[it.Shortcut.ShortcutName()] = true
			}
		}
	}
	for _, s := range []fyne.Shortcut{reloadShortcut, searchShortcut, signOutShortcut, sessionShortcut} {
		if !found[s.ShortcutName()] {
			t.Errorf("the menu bar lacks %s", s.ShortcutName())
		}
	}
}

// forgetfulSession is a fake session that can forget the username, as the
// Remember username box needs.
type forgetfulSession struct {
	*fakeSession
	forgot int
}

func (f *forgetfulSession) ForgetUsername() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.forgot++
	f.snap.Username = ""
}

func TestRememberUsername_UntickedForgetsItAtSignOut(t *testing.T) {
	s := &forgetfulSession{fakeSession: newFakeSession(session.Snapshot{State: session.SignedOut, Username: "demo"})}
	h := newHarness(t, s, Options{})
	f := h.ui.signIn
	if !f.remember.Visible() || !f.remember.Checked {
		t.Fatal("Remember username is not shown ticked")
	}
	test.Tap(f.remember)
	s.set(session.Snapshot{State: session.SignedIn, Username: "demo"})
	h.waitFor("the list screen", h.onList)

	test.Tap(h.ui.list.signOutBtn)
	h.waitFor("the sign-in form", h.onSignIn)
	if s.forgot != 1 {
		t.Errorf("the session was asked to forget the username %d times, want 1", s.forgot)
	}
	if f.username.Text != "" || h.focused() != f.username {
		t.Errorf("username %q, focus %T: want it forgotten and the field focused", f.username.Text, h.focused())
	}

	// Ticked again, the next sign-out keeps it.
	test.Tap(f.remember)
	s.set(session.Snapshot{State: session.SignedIn, Username: "demo"})
	h.waitFor("the list screen", h.onList)
	h.ui.list.onSignOut()
	h.waitFor("the sign-in form", h.onSignIn)
	if s.forgot != 1 || f.username.Text != "demo" {
		t.Errorf("forgot %d times, username %q: want it kept", s.forgot, f.username.Text)
	}
}

func TestRememberUsername_HiddenWhenTheSessionCantForget(t *testing.T) {
	h := newHarness(t, newFakeSession(session.Snapshot{State: session.SignedOut}), Options{})
	if h.ui.signIn.remember.Visible() {
		t.Error("Remember username is offered by a session that can't forget the username")
	}
}
