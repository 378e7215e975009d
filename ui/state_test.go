package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"signet/api"
)

// restartOn opens a second window over the same app (the same preferences),
// as a restart of Signet does, for a fresh session s.
func restartOn(t *testing.T, first *harness, s Session) *harness {
	t.Helper()
	first.ui.Close()
	win := test.NewTempWindow(t, widget.NewLabel(""))
	win.Resize(fyne.NewSize(900, 640))
	h := &harness{t: t, q: newUIQueue(), win: win, now: first.now}
	h.ui = newApp(first.ui.fyneApp, win, s, Options{}, h.q.do, func() time.Time { return h.now })
	t.Cleanup(h.ui.Close)
	return h
}

// twoLists is a fake session with two paged lists of 300 rows each, served
// a page at a time, searched locally.
func twoLists() *fakeSession {
	s := newFakeSession(signedIn())
	s.profile.Lists[0].SearchParam = ""
	second := s.profile.Lists[0]
	second.Name = "Orders"
	s.profile.Lists = append(s.profile.Lists, second)
	all := items(0, 300)
	s.setFetch(func(_ context.Context, _ string, offset, limit int) (api.Page, error) {
		end := min(offset+limit, len(all))
		return api.Page{Items: all[offset:end], Total: len(all)}, nil
	})
	return s
}

func TestRestart_BringsBackTheListItsSearchAndScroll(t *testing.T) {
	h := newHarness(t, twoLists(), Options{})
	l := h.ui.list
	l.tabs.SelectIndex(1)
	v := l.views[1]
	h.waitFor("the Orders rows", func() bool { return shows(v, v.itemsView) && !v.m.loading })
	test.Type(v.search, "item 1")
	// Every word must match: of the 100 rows loaded, those with a 1 in
	// their number (1, 10–19, 21, 31, … 91).
	if got := len(v.m.shown); got != 19 {
		t.Fatalf("local search shows %d rows, want 19", got)
	}
	v.search.SetText("item ") // matches every row
	if got := len(v.m.shown); got != 100 {
		t.Fatalf("local search shows %d rows, want all 100", got)
	}
	v.list.ScrollToBottom()
	h.waitFor("the second page", func() bool { return v.m.loaded() == 200 && !v.m.loading })
	v.list.ScrollToOffset(5000)
	want := v.list.GetScrollOffset()
	if want < 5000 {
		t.Fatalf("setup: scrolled to %v only", want)
	}

	h2 := restartOn(t, h, twoLists())
	l2 := h2.ui.list
	if l2 == nil || l2.tabs.SelectedIndex() != 1 {
		t.Fatal("the Orders tab is not selected after the restart")
	}
	v2 := l2.views[1]
	if v2.search.Text != "item " {
		t.Errorf("search %q after the restart, want %q", v2.search.Text, "item ")
	}
	if l2.views[0].started {
		t.Error("the list that was not open was fetched at start")
	}
	// The offset is past the first page: the restore fetches the second
	// one before scrolling.
	h2.waitFor("the scroll position to come back", func() bool {
		return v2.m.restoreScroll == 0 && !v2.m.loading && v2.list.GetScrollOffset() > 0
	})
	if got := v2.list.GetScrollOffset(); got != want {
		t.Errorf("scroll %v after the restart, want %v", got, want)
	}
	if v2.m.loaded() < 200 {
		t.Errorf("%d rows loaded, want the two pages the position needs", v2.m.loaded())
	}
}

func TestRestart_WindowSizeComesBack(t *testing.T) {
	h := newHarness(t, newFakeSession(signedIn()), Options{})
	h.win.Resize(fyne.NewSize(1000, 700))
	h.ui.saveState()

	w := test.NewTempWindow(t, widget.NewLabel(""))
	RestoreWindowSize(h.ui.fyneApp, w)
	if got := w.Canvas().Size(); got != fyne.NewSize(1000, 700) {
		t.Errorf("restored size %v, want 1000x700", got)
	}

	// A size too small to use (a hand-edited file) is raised to the
	// minimum.
	h.ui.fyneApp.Preferences().SetFloat(prefWindowWidth, 100)
	RestoreWindowSize(h.ui.fyneApp, w)
	if got := w.Canvas().Size(); got.Width != minWindowSize.Width {
		t.Errorf("restored width %v, want the minimum %v", got.Width, minWindowSize.Width)
	}
}

func TestStart_ARestoredSessionDoesNotBuildTheSignInForm(t *testing.T) {
	s := rowsFake()
	h := newHarness(t, s, Options{})
	v := h.view()
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	if h.ui.signIn != nil {
		t.Fatal("the sign-in form was built for a start that restored the session")
	}
	// It is built when it is first needed, with the username kept.
	h.ui.list.onSignOut()
	h.waitFor("the sign-in form", h.onSignIn)
	if h.ui.signIn.username.Text != "demo" || h.focused() != fyne.Focusable(h.ui.signIn.password) {
		t.Errorf("form after sign-out: username %q, focus %T", h.ui.signIn.username.Text, h.focused())
	}
}
