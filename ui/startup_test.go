package ui

import (
	"context"
	"image/color"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"signet/api"
	"signet/demo"
	"signet/session"
)

// newStartedHarness is newHarness through startApp, New's own path: the
// queue stands in for fyne.Do once New has returned.
func newStartedHarness(t *testing.T, s Session, wait time.Duration) *harness {
	t.Helper()
	return startHarness(t, s, wait, false)
}

// startHarness is newStartedHarness, with main's WarmUp first when warm:
// app, WarmUp, window, New. The window starts with a blank rectangle, as a
// real window does, so making it measures no text beside the warm-up.
func startHarness(t *testing.T, s Session, wait time.Duration, warm bool) *harness {
	t.Helper()
	fa := test.NewTempApp(t)
	if warm {
		t.Cleanup(func() { warmed = nil })
		WarmUp()
	}
	win := test.NewTempWindow(t, canvas.NewRectangle(color.Transparent))
	win.Resize(fyne.NewSize(900, 640))
	h := &harness{t: t, q: newUIQueue(), win: win, now: time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)}
	h.ui = startApp(fa, win, s, Options{}, h.q.do, func() time.Time { return h.now }, wait)
	t.Cleanup(h.ui.Close)
	return h
}

func TestStart_ARestoredSessionsWindowHasItsRowsWhenNewReturns(t *testing.T) {
	s := newRealSession(t, demo.Config{})
	if err := s.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	h := newStartedHarness(t, s, waitLimit)
	// Nothing run from the queue: what New returns is the first frame.
	v := h.view()
	if !h.onList() || !shows(v, v.itemsView) || v.list.Length() == 0 {
		t.Fatalf("on the list %v, rows shown %v, %d rows; want the first page's rows", h.onList(), shows(v, v.itemsView), v.list.Length())
	}
	if h.focused() != v.list {
		t.Errorf("focus on %T, want the rows", h.focused())
	}
	if n := h.q.postedCount(); n != 0 {
		t.Errorf("%d functions left for the event loop; the first page should be bound already", n)
	}
}

func TestStart_TheFirstPageIsAskedForOnceBeforeTheScreensAreBuilt(t *testing.T) {
	s := newFakeSession(signedIn())
	second := s.profile.Lists[0]
	second.Name = "Orders"
	s.profile.Lists = append(s.profile.Lists, second)
	var built atomic.Bool // the list screen exists
	asked := make(chan string, 4)
	s.setFetch(func(_ context.Context, list string, _, _ int) (api.Page, error) {
		if !built.Load() {
			asked <- list
		}
		return api.Page{Items: items(0, 3), Total: 3}, nil
	})
	fa := test.NewTempApp(t)
	// Where the last run left off: the second list, searching it.
	fa.Preferences().SetString(prefLastList(s.profile.Name), "Orders")
	fa.Preferences().SetString(prefSearch(s.profile.Name, "Orders"), " ab ")
	pre := prefetchFirstPage(fa, s)
	if pre == nil {
		t.Fatal("no first page asked for with a live session")
	}
	select {
	case list := <-asked:
		if list != "Orders" {
			t.Errorf("asked for %q before the screens, want the list open last time", list)
		}
	case <-time.After(waitLimit):
		t.Fatal("the first page was not asked for before the screens were built")
	}
	built.Store(true)
	win := test.NewTempWindow(t, widget.NewLabel(""))
	q := newUIQueue()
	app := newAppWith(fa, win, s, Options{}, q.do, time.Now, pre)
	t.Cleanup(app.Close)
	v := app.list.currentView()
	q.waitFor(t, "the rows", func() bool { return shows(v, v.itemsView) })
	if v.spec.Name != "Orders" || v.list.Length() != 3 {
		t.Errorf("showing %q with %d rows, want Orders with 3", v.spec.Name, v.list.Length())
	}
	if n, terms := s.fetchCount(), s.searchTerms(); n != 1 || len(terms) != 1 || terms[0] != "ab" {
		t.Errorf("%d fetches, searches %q; want the one asked for first, searching \"ab\"", n, terms)
	}
}

func TestStart_APrefetchNobodyAsksForIsCancelled(t *testing.T) {
	s := newFakeSession(signedIn()) // its fetch blocks until cancelled
	fa := test.NewTempApp(t)
	pre := prefetchFirstPage(fa, s)
	pre.list = "a list the profile no longer has"
	q := newUIQueue()
	app := newAppWith(fa, test.NewTempWindow(t, widget.NewLabel("")), s, Options{}, q.do, time.Now, pre)
	t.Cleanup(app.Close)
	if app.firstPage != nil {
		t.Fatal("the prefetch is still held after the list view asked for another list")
	}
	select {
	case <-pre.done:
	case <-time.After(waitLimit):
		t.Fatal("the prefetch was not cancelled")
	}
}

func TestStart_ASlowFirstPageDoesNotHoldTheWindow(t *testing.T) {
	s := newFakeSession(signedIn())
	calls := manualFetches(s)
	const wait = 50 * time.Millisecond
	h := newStartedHarness(t, s, wait)
	v := h.view()
	if !shows(v, v.loadingView) {
		t.Fatal("the window came without its loading view")
	}
	// The page that comes later goes through the event loop's queue.
	nextFetch(t, calls).reply <- fetchReply{page: api.Page{Items: items(0, 3), Total: 3}}
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) && v.list.Length() == 3 })
	if h.focused() != v.list {
		t.Errorf("focus on %T, want the rows", h.focused())
	}
}

func TestStart_WithoutASessionNothingIsWaitedFor(t *testing.T) {
	s := newFakeSession(session.Snapshot{State: session.SignedOut})
	start := time.Now()
	h := newStartedHarness(t, s, waitLimit)
	if !h.onSignIn() {
		t.Fatal("the sign-in form is not shown")
	}
	if took := time.Since(start); took > waitLimit/2 {
		t.Errorf("New took %v for a window that needed nothing more", took)
	}
}

func TestStartQueue_WorkPostedWhileReleasingKeepsItsOrder(t *testing.T) {
	var got []int
	q := newStartQueue(func(f func()) { f() })
	q.do(func() {
		got = append(got, 1)
		q.do(func() { got = append(got, 2) }) // posted while the queue empties
	})
	q.release()
	q.do(func() { got = append(got, 3) })
	if len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Errorf("ran %v, want [1 2 3]", got)
	}
}

// Under -race: the fonts loading on their goroutine and the window being
// built meet only through Fyne's caches and awaitWarmUp.
func TestWarmUp_TheWindowIsBuiltWhileTheFontsLoad(t *testing.T) {
	s := newFakeSession(signedIn())
	calls := manualFetches(s)
	h := startHarness(t, s, time.Millisecond, true)
	nextFetch(t, calls).reply <- fetchReply{page: api.Page{Items: items(0, 3), Total: 3}}
	v := h.view()
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	select {
	case <-warmed:
	case <-time.After(waitLimit):
		t.Fatal("the fonts never finished loading")
	}
}
