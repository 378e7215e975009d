package ui

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"signet/api"
	"signet/demo"
	"signet/session"
)

func TestSignIn_TypingAndTappingShowsTheList(t *testing.T) {
	s := newRealSession(t, demo.Config{})
	h := newHarness(t, s, Options{DemoHint: "Demo account: demo / demo1234"})
	h.waitFor("the sign-in form", h.onSignIn)

	f := h.ui.signIn
	if h.focused() != f.username {
		t.Errorf("focus at start is on %T, want the username field", h.focused())
	}
	if got, want := mutedText(f.server), "Server: "+s.url; got != want {
		t.Errorf("server line %q, want %q", got, want)
	}
	if !f.hint.Visible() || mutedText(f.hint) != "Demo account: demo / demo1234" {
		t.Errorf("demo hint visible=%v text=%q", f.hint.Visible(), mutedText(f.hint))
	}

	h.signIn(demo.DemoUsername, demo.DemoPassword)
	h.waitFor("the list screen", h.onList)
	v := h.view()
	h.waitFor("the first page", func() bool { return shows(v, v.itemsView) })

	if got := v.list.Length(); got != 100 {
		t.Errorf("rows after the first page: %d, want the page size 100", got)
	}
	if got, want := mutedText(v.count), "100 of 300"; got != want {
		t.Errorf("row count %q, want %q", got, want)
	}
	if got, want := h.ui.list.who.Text, "Signed in as Demo User"; got != want {
		t.Errorf("top bar %q, want %q", got, want)
	}
	if got := mutedText(h.ui.list.renewal); got != msgRenewsAutomatically {
		t.Errorf("session line %q, want %q", got, msgRenewsAutomatically)
	}
	if f.password.Text != "" {
		t.Error("the password is still in the form after signing in")
	}
}

func TestSignIn_WrongPasswordSaysSoAndClearsThePasswordKeepingItFocused(t *testing.T) {
	s := newRealSession(t, demo.Config{})
	h := newHarness(t, s, Options{})
	h.waitFor("the sign-in form", h.onSignIn)
	f := h.ui.signIn

	h.signIn(demo.DemoUsername, "not-the-password")
	h.waitFor("the failure", func() bool { return !f.inFlight && f.message.Visible() })

	err := s.Snapshot().Err
	if api.KindOf(err) != api.KindBadCredentials {
		t.Fatalf("session error %v, want bad credentials", err)
	}
	if want := "Wrong username or password."; f.message.Text != want {
		t.Errorf("message %q, want %q", f.message.Text, want)
	}
	if h.focused() != f.password {
		t.Errorf("focus on %T, want the password field", h.focused())
	}
	// The password is not kept once the answer is in, even a wrong one:
	// it is typed again.
	if f.password.Text != "" {
		t.Errorf("password field %q after the failed attempt, want it cleared", f.password.Text)
	}
	f.password.TypedShortcut(&fyne.ShortcutUndo{})
	if f.password.Text != "" {
		t.Errorf("undo brought the password back: %q", f.password.Text)
	}
	if f.username.Disabled() || f.password.Disabled() || f.submit.Disabled() {
		t.Error("the form stays disabled after the failure")
	}
	if !h.onSignIn() {
		t.Error("the window left the sign-in form")
	}
}

func TestSignIn_EnterInThePasswordFieldSubmits(t *testing.T) {
	s := newRealSession(t, demo.Config{})
	h := newHarness(t, s, Options{})
	h.waitFor("the sign-in form", h.onSignIn)
	f := h.ui.signIn

	test.Type(f.username, demo.DemoUsername)
	f.username.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.focused() != f.password {
		t.Fatalf("Enter in the username field with no password: focus on %T, want the password field", h.focused())
	}
	test.Type(f.password, demo.DemoPassword)
	f.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.waitFor("the list screen", h.onList)
}

func TestSignIn_FormIsDisabledWhileTheCallIsInFlight(t *testing.T) {
	s := newFakeSession(session.Snapshot{State: session.SignedOut})
	release := make(chan error)
	s.signIn = func(ctx context.Context, _, _ string) error { return <-release }
	h := newHarness(t, s, Options{})
	f := h.ui.signIn

	h.signIn("demo", "secret")
	if !f.username.Disabled() || !f.password.Disabled() || !f.submit.Disabled() {
		t.Error("fields and button stay enabled while signing in")
	}
	if !f.busy.Visible() {
		t.Error("no busy indicator while signing in")
	}
	test.Tap(f.submit) // a second tap must not start a second call

	release <- &api.Error{Kind: api.KindNetwork, Op: "sign in"}
	h.waitFor("the call to end", func() bool { return !f.inFlight })
	if f.username.Disabled() || f.busy.Visible() {
		t.Error("the form stays busy after the call ended")
	}
	if want := "Can't reach the server to sign in. Check your connection."; f.message.Text != want {
		t.Errorf("message %q, want %q", f.message.Text, want)
	}
	select {
	case release <- nil:
		t.Error("a second sign-in call was made while the first was in flight")
	default:
	}
}

func TestSignIn_NeverShowsARawGoError(t *testing.T) {
	s := newFakeSession(session.Snapshot{State: session.SignedOut})
	s.signIn = func(context.Context, string, string) error {
		return errors.New(`Post "http://127.0.0.1:9/auth/login": dial tcp: connection refused`)
	}
	h := newHarness(t, s, Options{})
	f := h.ui.signIn

	h.signIn("demo", "secret")
	h.waitFor("the failure", func() bool { return !f.inFlight })
	if f.message.Text != msgGeneric {
		t.Errorf("message %q, want the generic sentence", f.message.Text)
	}
}

func TestSignIn_EmptyFieldsAskForWhatIsMissing(t *testing.T) {
	s := newFakeSession(session.Snapshot{State: session.SignedOut})
	var called atomic.Bool
	s.signIn = func(context.Context, string, string) error { called.Store(true); return nil }
	h := newHarness(t, s, Options{})
	f := h.ui.signIn

	test.Tap(f.submit)
	if !f.usernameError.Visible() || f.usernameError.Text != "Enter your username." || h.focused() != f.username {
		t.Errorf("empty form: under the username %q (visible %v), focus %T", f.usernameError.Text, f.usernameError.Visible(), h.focused())
	}
	test.Type(f.username, "demo")
	if f.usernameError.Visible() {
		t.Error("the username's message stayed after typing in it")
	}
	test.Tap(f.submit)
	if !f.passwordError.Visible() || f.passwordError.Text != "Enter your password." || h.focused() != f.password {
		t.Errorf("no password: under the password %q (visible %v), focus %T", f.passwordError.Text, f.passwordError.Visible(), h.focused())
	}
	h.q.runPending()
	if f.inFlight || called.Load() {
		t.Error("SignIn was called with an empty field")
	}
}

func TestSignOut_ShowsTheFormWithTheUsernameFilled(t *testing.T) {
	s := newRealSession(t, demo.Config{})
	h := newHarness(t, s, Options{})
	h.waitFor("the sign-in form", h.onSignIn)
	h.signIn(demo.DemoUsername, demo.DemoPassword)
	h.waitFor("the list screen", h.onList)
	list := h.ui.list

	test.Tap(list.signOutBtn)
	h.waitFor("the sign-in form again", h.onSignIn)

	if s.Snapshot().State != session.SignedOut {
		t.Errorf("session state %v, want SignedOut", s.Snapshot().State)
	}
	f := h.ui.signIn
	if f.username.Text != demo.DemoUsername {
		t.Errorf("username %q, want %q kept", f.username.Text, demo.DemoUsername)
	}
	if f.password.Text != "" {
		t.Error("the password came back after signing out")
	}
	if h.focused() != f.password {
		t.Errorf("focus on %T, want the password field (the username is filled)", h.focused())
	}
	if f.message.Visible() {
		t.Errorf("a message after a plain sign-out: %q", f.message.Text)
	}
	if !list.closed {
		t.Error("the list screen was not closed")
	}
}

func TestExpired_ShowsTheSheetOverTheListWithTheReason(t *testing.T) {
	s := newFakeSession(session.Snapshot{State: session.SignedIn, Username: "demo"})
	s.setFetch(func(context.Context, string, int, int) (api.Page, error) {
		return api.Page{Items: items(0, 3), Total: 3}, nil
	})
	h := newHarness(t, s, Options{})
	h.waitFor("the list screen", h.onList)

	s.set(session.Snapshot{State: session.Expired, Username: "demo", Err: session.ErrSessionExpired})
	h.waitFor("the sign-in sheet over the list", h.onSheet)
	f := h.ui.signIn
	if f.username.Text != "demo" {
		t.Errorf("username %q, want demo", f.username.Text)
	}
	if !f.message.Visible() || f.message.Text != "Your session has expired. Please sign in again." {
		t.Errorf("message visible=%v %q, want %q", f.message.Visible(), f.message.Text, "Your session has expired. Please sign in again.")
	}
	if h.focused() != f.password {
		t.Errorf("focus on %T, want the password field", h.focused())
	}
}

func TestMemoryOnly_NoticeIsShown(t *testing.T) {
	notice := "No system keychain is available; your session will end when Signet quits."
	s := newFakeSession(session.Snapshot{State: session.SignedOut, MemoryOnly: true, Notice: notice})
	h := newHarness(t, s, Options{})
	if f := h.ui.signIn; !f.notice.visible() || f.notice.text.Text != notice {
		t.Errorf("sign-in notice visible=%v %q", f.notice.visible(), f.notice.text.Text)
	}
	s.set(session.Snapshot{State: session.SignedIn, MemoryOnly: true, Notice: notice})
	h.waitFor("the list screen", h.onList)
	if l := h.ui.list; !l.notice.visible() || l.notice.text.Text != notice {
		t.Errorf("list notice visible=%v %q", l.notice.visible(), l.notice.text.Text)
	}
}

func TestRestoring_ShowsAQuietScreenUntilTheSessionIsKnown(t *testing.T) {
	s := newFakeSession(session.Snapshot{State: session.Restoring})
	h := newHarness(t, s, Options{})
	if !h.shown(h.ui.restoring.content) || mutedText(h.ui.restoring.label) != "Restoring your session…" {
		t.Fatal("the restoring screen is not shown while restoring")
	}
	s.set(session.Snapshot{State: session.SignedOut})
	h.waitFor("the sign-in form", h.onSignIn)
}

func TestExpired_RefusedRenewalBringsTheSheetWithTheUsername(t *testing.T) {
	// A 2 s token is renewed after about 1 s; revoking the sessions on the
	// server first makes that renewal fail for good.
	s := newRealSession(t, demo.Config{TokenTTL: 2 * time.Second})
	h := newHarness(t, s, Options{})
	h.waitFor("the sign-in form", h.onSignIn)
	h.signIn(demo.DemoUsername, demo.DemoPassword)
	h.waitFor("the list screen", h.onList)
	if _, err := s.server.RevokeUserSessions(demo.DemoUsername); err != nil {
		t.Fatal(err)
	}

	h.waitFor("the sign-in sheet after the refused renewal", h.onSheet)
	if st := s.Snapshot().State; st != session.Expired {
		t.Fatalf("session state %v, want Expired", st)
	}
	f := h.ui.signIn
	if f.username.Text != demo.DemoUsername {
		t.Errorf("username %q, want %q", f.username.Text, demo.DemoUsername)
	}
	if !f.message.Visible() || f.message.Text != msgSessionEnded {
		t.Errorf("message visible=%v %q, want %q, not the server's words", f.message.Visible(), f.message.Text, msgSessionEnded)
	}
	t.Logf("expired message: %q", f.message.Text)
	if h.focused() != f.password {
		t.Errorf("focus on %T, want the password field", h.focused())
	}
}
