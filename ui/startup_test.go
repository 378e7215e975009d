package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
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
	fa := test.NewTempApp(t)
	win := test.NewTempWindow(t, widget.NewLabel(""))
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
	t.Cleanup(func() { warmed = nil })
	test.NewTempApp(t)
	WarmUp()
	s := newFakeSession(signedIn())
	calls := manualFetches(s)
	h := newStartedHarness(t, s, time.Millisecond)
	nextFetch(t, calls).reply <- fetchReply{page: api.Page{Items: items(0, 3), Total: 3}}
	v := h.view()
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	select {
	case <-warmed:
	case <-time.After(waitLimit):
		t.Fatal("the fonts never finished loading")
	}
}
