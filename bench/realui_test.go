package bench

import (
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"signet/api"
	"signet/ui"
)

// windowSize is the app's window (main.go).
var windowSize = fyne.NewSize(900, 640)

// realList is the app's own UI (ui.NewWithDo, Fyne's test driver) in a
// window of the app's size, on a signed-in session whose profile has one
// list of bigProfile; list is the list widget it shows.
type realList struct {
	list *widget.List
	win  fyne.Window
	loop *uiLoop
}

func openRealList(tb testing.TB, url, listName string) *realList {
	tb.Helper()
	a := test.NewTempApp(tb)
	p := bigProfile(url)
	i := slices.IndexFunc(p.Lists, func(l api.ListSpec) bool { return l.Name == listName })
	p.Lists = p.Lists[i : i+1]
	ctrl := bigSessionFor(tb, p)
	w := test.NewWindow(nil)
	tb.Cleanup(w.Close)
	w.Resize(windowSize)
	loop := &uiLoop{wake: make(chan struct{}, 1)}
	app := ui.NewWithDo(a, w, ctrl, ui.Options{}, loop.do)
	tb.Cleanup(app.Close)
	list := app.ShownList()
	if list == nil {
		tb.Fatal("the app shows no list for a signed-in session")
	}
	return &realList{list: list, win: w, loop: loop}
}

// waitRows runs the UI's work until the list has at least n rows, then
// paints a frame.
func (r *realList) waitRows(tb testing.TB, n int) {
	tb.Helper()
	r.loop.runUntil(tb, func() bool { return r.list.Length() >= n })
	_ = r.win.Canvas().Capture()
}

// uiLoop stands in for the driver's loop: the UI's work, posted from any
// goroutine, runs on the benchmark's goroutine when it calls runUntil.
type uiLoop struct {
	mu      sync.Mutex
	pending []func()
	wake    chan struct{}
}

func (q *uiLoop) do(f func()) {
	q.mu.Lock()
	q.pending = append(q.pending, f)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// runUntil runs posted work until cond holds, for at most a minute.
func (q *uiLoop) runUntil(tb testing.TB, cond func() bool) {
	tb.Helper()
	deadline := time.NewTimer(time.Minute)
	defer deadline.Stop()
	for {
		q.mu.Lock()
		fs := q.pending
		q.pending = nil
		q.mu.Unlock()
		for _, f := range fs {
			f()
		}
		if cond() {
			return
		}
		if len(fs) > 0 {
			continue
		}
		select {
		case <-q.wake:
		case <-deadline.C:
			tb.Fatal("the app's UI did not get there within a minute")
		}
	}
}
