package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"signet/api"
	"signet/demo"
	"signet/session"
)

// onSheet reports whether the sign-in sheet is up over the list screen.
func (h *harness) onSheet() bool {
	return h.ui.list != nil && h.shown(h.ui.list.content) && h.ui.sheet.visible()
}

func TestReSignIn_KeepsTheListSearchSelectionAndScroll(t *testing.T) {
	// No refresh tokens: when the 5 s auth token dies, nothing can renew
	// it and the session ends in the middle of use.
	s := newRealSession(t, demo.Config{TokenTTL: 5 * time.Second, DisableRefresh: true})
	h := newHarness(t, s, Options{})
	h.ui.searchDelay = 0
	h.waitFor("the sign-in form", h.onSignIn)
	h.signIn(demo.DemoUsername, demo.DemoPassword)
	h.waitFor("the list screen", h.onList)
	l, v := h.ui.list, h.view()
	h.waitFor("the first page", func() bool { return shows(v, v.itemsView) && !v.m.loading })

	test.Type(v.search, "books")
	h.waitFor("the server's answer for the search", func() bool { return v.m.itemsTerm == "books" && !v.m.loading })
	if got, want := mutedText(v.count), "100 of 120 matches"; got != want {
		t.Fatalf("count %q, want %q", got, want)
	}
	v.list.Select(3)
	picked := v.m.items.at(v.m.shown[3])
	v.list.ScrollToOffset(400)
	scrolled := v.list.GetScrollOffset()
	if v.m.selectedID != picked.ID || scrolled == 0 {
		t.Fatalf("setup: selected %q (want %q), scroll %v", v.m.selectedID, picked.ID, scrolled)
	}

	h.waitFor("the sign-in sheet when the token dies", h.onSheet)
	if st := s.Snapshot().State; st != session.Expired {
		t.Fatalf("session state %v, want Expired", st)
	}
	f := h.ui.signIn
	if f.username.Text != demo.DemoUsername || h.focused() != f.password {
		t.Errorf("sheet: username %q, focus %T; want %q filled and the password focused", f.username.Text, h.focused(), demo.DemoUsername)
	}
	if !f.message.Visible() || f.message.Text != "Your session has expired. Please sign in again." {
		t.Errorf("sheet message %q (visible %v), want %q", f.message.Text, f.message.Visible(), "Your session has expired. Please sign in again.")
	}
	if mutedText(l.renewal) != msgSessionEndedBar {
		t.Errorf("top bar %q under the sheet, want %q", mutedText(l.renewal), msgSessionEndedBar)
	}

	test.Type(f.password, demo.DemoPassword)
	test.Tap(f.submit)
	h.waitFor("the sheet to close after signing in", func() bool {
		return !h.ui.sheet.visible() && s.Snapshot().State == session.SignedIn
	})
	h.q.runPending()

	if h.ui.list != l || !h.shown(l.content) {
		t.Fatal("signing in again replaced the list screen")
	}
	if v.search.Text != "books" || v.m.itemsTerm != "books" || v.m.loaded() != 100 {
		t.Errorf("search %q, rows for %q: %d; want the 100 rows for books kept", v.search.Text, v.m.itemsTerm, v.m.loaded())
	}
	if v.m.selectedID != picked.ID || v.detail.item.ID != picked.ID || !v.detailOpen() {
		t.Errorf("detail shows %q (open %v), want %q as before", v.detail.item.ID, v.detailOpen(), picked.ID)
	}
	if got := v.list.GetScrollOffset(); got != scrolled {
		t.Errorf("scroll %v, want %v as before", got, scrolled)
	}
	if f.password.Text != "" {
		t.Error("the password stayed in the form after signing in")
	}
	if l.ended || l.who.Text != "Signed in as Demo User" {
		t.Errorf("top bar after signing in again: ended=%v %q", l.ended, l.who.Text)
	}

	// The new session works for the list.
	l.onReload()
	h.waitFor("the reloaded rows", func() bool { return shows(v, v.itemsView) && !v.m.loading })
	if v.m.itemsTerm != "books" || v.m.total != 120 {
		t.Errorf("reload with the new session: term %q, total %d", v.m.itemsTerm, v.m.total)
	}
}

func TestReSignIn_ColdStartInExpiredShowsTheFullScreen(t *testing.T) {
	s := newFakeSession(session.Snapshot{State: session.Expired, Username: "demo", Err: session.ErrSessionExpired})
	h := newHarness(t, s, Options{})
	if !h.onSignIn() || h.ui.sheet.visible() || h.ui.list != nil {
		t.Fatalf("cold start in Expired: sign-in screen %v, sheet %v, list %v", h.onSignIn(), h.ui.sheet.visible(), h.ui.list != nil)
	}
	if h.ui.signIn.username.Text != "demo" {
		t.Errorf("username %q, want demo", h.ui.signIn.username.Text)
	}
}

func TestReSignIn_SignOutInsteadLeavesForTheFullScreen(t *testing.T) {
	s := newFakeSession(signedIn())
	h := newHarness(t, s, Options{})
	l := h.ui.list
	s.set(session.Snapshot{State: session.Expired, Username: "demo", Err: session.ErrSessionExpired})
	h.waitFor("the sheet", h.onSheet)

	test.Tap(h.ui.sheet.signOut)
	h.waitFor("the full sign-in screen", h.onSignIn)
	if h.ui.sheet.visible() || h.ui.list != nil || !l.closed {
		t.Errorf("after signing out from the sheet: sheet %v, list kept %v", h.ui.sheet.visible(), h.ui.list != nil)
	}
	if h.ui.signIn.username.Text != "demo" {
		t.Errorf("username %q, want it kept", h.ui.signIn.username.Text)
	}
}

func TestReSignIn_AnotherPersonGetsFreshRows(t *testing.T) {
	s := newFakeSession(session.Snapshot{State: session.SignedIn, Username: "demo"})
	s.profile.Lists[0].SearchParam = ""
	s.setFetch(func(context.Context, string, int, int) (api.Page, error) {
		return api.Page{Items: items(0, 5), Total: 5}, nil
	})
	h := newHarness(t, s, Options{})
	v := h.view()
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	before := s.fetchCount()

	s.set(session.Snapshot{State: session.Expired, Username: "demo"})
	h.waitFor("the sheet", h.onSheet)
	s.set(session.Snapshot{State: session.SignedIn, Username: "someone-else"})
	h.waitFor("the sheet to close", func() bool { return !h.ui.sheet.visible() })
	h.waitFor("a fresh fetch for the other person", func() bool { return s.fetchCount() > before })
}
