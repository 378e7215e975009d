package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"signet/api"
	"signet/demo"
	"signet/session"
)

// typeOnWindow types chars as the driver does: to the focused widget, or
// to the window when nothing has the keyboard.
func (h *harness) typeOnWindow(chars string) {
	c := h.win.Canvas()
	for _, r := range chars {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if typed := c.OnTypedRune(); typed != nil {
			typed(r)
		}
	}
}

// pressKey presses a key without modifiers as the driver does.
func (h *harness) pressKey(name fyne.KeyName) {
	c := h.win.Canvas()
	k := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(k)
	} else if typed := c.OnTypedKey(); typed != nil {
		typed(k)
	}
}

// visibleOnScreen reports whether obj is in the window's content with it
// and every container above it visible.
func (h *harness) visibleOnScreen(obj fyne.CanvasObject) bool {
	var walk func(o fyne.CanvasObject) bool
	walk = func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		if o == obj {
			return true
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, child := range c.Objects {
				if walk(child) {
					return true
				}
			}
		}
		return false
	}
	return walk(h.win.Content())
}

// rowsFake is a signed-in fake session whose list has five rows.
func rowsFake() *fakeSession {
	s := newFakeSession(signedIn())
	s.profile.Lists[0].SearchParam = ""
	s.setFetch(func(context.Context, string, int, int) (api.Page, error) {
		return api.Page{Items: items(0, 5), Total: 5}, nil
	})
	return s
}

func TestFocus_AfterSignInIsOnTheRowsAndTypingSearches(t *testing.T) {
	s := newRealSession(t, demo.Config{})
	h := newHarness(t, s, Options{})
	h.waitFor("the sign-in form", h.onSignIn)
	f, c := h.ui.signIn, h.win.Canvas()
	c.Focus(f.username)
	h.typeOnWindow(demo.DemoUsername)
	c.Focus(f.password)
	h.typeOnWindow(demo.DemoPassword)
	// A click on Sign in, as the real driver gives it: the keyboard stays
	// in the password field (test.Tap would unfocus it).
	f.submit.Tapped(&fyne.PointEvent{})
	h.waitFor("the list screen", h.onList)
	v := h.view()
	h.waitFor("the first page", func() bool { return shows(v, v.itemsView) && !v.m.loading })

	got := h.focused()
	if got == fyne.Focusable(f.password) || got != fyne.Focusable(v.list) || !h.visibleOnScreen(v.list) {
		t.Fatalf("after sign-in the keyboard is on %T (the rows: %v), want the rows on screen", got, got == fyne.Focusable(v.list))
	}
	if f.password.focused {
		t.Error("the hidden password field still believes it has the keyboard (its cursor blinks on)")
	}
	h.typeOnWindow("boo")
	if v.search.Text != "boo" || f.password.Text != "" || h.focused() != fyne.Focusable(v.search) {
		t.Errorf("typing after sign-in: search %q, password field %q, focus %T; want the search box to get it",
			v.search.Text, f.password.Text, h.focused())
	}
}

func TestFocus_AfterSigningInOverTheSheetIsOnTheRows(t *testing.T) {
	s := rowsFake()
	h := newHarness(t, s, Options{})
	v := h.view()
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	if h.focused() != fyne.Focusable(v.list) {
		t.Fatalf("after a restored start the keyboard is on %T, want the rows", h.focused())
	}

	s.set(session.Snapshot{State: session.Expired, Username: "demo", Err: session.ErrSessionExpired})
	h.waitFor("the sheet", h.onSheet)
	if h.focused() != fyne.Focusable(h.ui.signIn.password) {
		t.Fatalf("sheet: keyboard on %T, want the password field", h.focused())
	}
	s.set(signedIn())
	h.waitFor("the sheet to close", func() bool { return !h.ui.sheet.visible() })
	if h.ui.signIn.password.focused {
		t.Error("the hidden password field still believes it has the keyboard")
	}
	if got := h.focused(); got != fyne.Focusable(v.list) {
		t.Errorf("after signing in again the keyboard is on %T, want the rows", got)
	}
	h.typeOnWindow("3")
	if v.search.Text != "3" || v.list.Length() != 1 {
		t.Errorf("typing after signing in again: search %q, %d rows", v.search.Text, v.list.Length())
	}
}

func TestKeys_F1ShowsTheShortcutsFromEveryFocusableWidget(t *testing.T) {
	check := func(h *harness, name string, w fyne.Focusable) {
		t.Helper()
		h.win.Canvas().Focus(w)
		if h.focused() != w {
			t.Fatalf("%s: could not give it the keyboard", name)
		}
		h.pressKey(fyne.KeyF1)
		if h.ui.dialog == nil {
			t.Errorf("F1 with the keyboard on the %s did nothing", name)
			return
		}
		h.ui.dialog.Hide()
	}

	s := rowsFake()
	h := newHarness(t, s, Options{})
	v, l := h.view(), h.ui.list
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	check(h, "search box", v.search)
	check(h, "rows", v.list)
	check(h, "Reload button", l.reloadBtn)
	check(h, "account button", l.account.button)

	out := newHarness(t, newRealSession(t, demo.Config{}), Options{})
	out.waitFor("the sign-in form", out.onSignIn)
	f := out.ui.signIn
	check(out, "username field", f.username)
	check(out, "password field", f.password)
	check(out, "Sign in button", f.submit)
	check(out, "Remember username box", f.remember)

	// Escape still clears the search box first.
	h.win.Canvas().Focus(v.search)
	test.Type(v.search, "x")
	h.pressKey(fyne.KeyEscape)
	if v.search.Text != "" || h.ui.dialog != nil {
		t.Errorf("Escape in the search box: text %q, dialog %v", v.search.Text, h.ui.dialog != nil)
	}
}

// Signing in again over the sheet carries on exactly where the person was,
// the keyboard included: a search box that had it gets it back.
func TestFocus_SigningInAgainGivesTheKeyboardBackToTheSearchBox(t *testing.T) {
	s := rowsFake()
	h := newHarness(t, s, Options{})
	v := h.view()
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	h.win.Canvas().Focus(v.search)

	s.set(session.Snapshot{State: session.Expired, Username: "demo", Err: session.ErrSessionExpired})
	h.waitFor("the sheet", h.onSheet)
	if h.focused() == fyne.Focusable(v.search) {
		t.Error("the search box behind the sheet still has the keyboard")
	}
	s.set(signedIn())
	h.waitFor("the sheet to close", func() bool { return !h.ui.sheet.visible() })
	if got := h.focused(); got != fyne.Focusable(v.search) {
		t.Errorf("after signing in again the keyboard is on %T, want the search box it was on", got)
	}
}
