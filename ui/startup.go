package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"signet/session"
)

// firstPageWait bounds how long New waits for the first page of a restored
// session's list, so that the window's first frame shows rows rather than
// "Loading…" and then the rows a frame later. Over a slow network the
// window comes first.
const firstPageWait = 250 * time.Millisecond

// warmed is closed when WarmUp's fonts are loaded; nil without WarmUp.
var warmed chan struct{}

// awaitWarmUp waits for WarmUp's fonts before the first text is measured.
func awaitWarmUp() {
	if warmed != nil {
		<-warmed
	}
}

// WarmUp loads, on another goroutine, the fonts the first screen measures
// its text with (the theme's regular and bold faces and the system's
// fallback index, ~30 ms on a desktop), while the caller opens the window
// and restores the session. Call it once, once the Fyne app exists, and
// measure no text before New, which waits for it.
func WarmUp() {
	done := make(chan struct{})
	warmed = done
	go func() {
		defer close(done)
		size := theme.TextSize()
		for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
			fyne.MeasureText("Signet", size, style)
		}
	}()
}

// startQueue runs the UI work posted while New is still building the window
// (the first page's answer, a session change) on New's own goroutine, the
// UI goroutine, so what arrives before the window is shown is in its first
// frame. Once released it hands everything to next (fyne.Do).
type startQueue struct {
	next func(func())
	wake chan struct{}

	mu       sync.Mutex
	pending  []func()
	released bool
}

func newStartQueue(next func(func())) *startQueue {
	return &startQueue{next: next, wake: make(chan struct{}, 1)}
}

// do is the App's do while New runs.
func (q *startQueue) do(f func()) {
	q.mu.Lock()
	if q.released {
		q.mu.Unlock()
		q.next(f)
		return
	}
	q.pending = append(q.pending, f)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// runUntil runs the posted work as it comes until done holds or max has
// passed.
func (q *startQueue) runUntil(done func() bool, max time.Duration) {
	t := time.NewTimer(max)
	defer t.Stop()
	for {
		q.runPending()
		if done() {
			return
		}
		select {
		case <-q.wake:
		case <-t.C:
			return
		}
	}
}

// runPending runs what has been posted so far, in order.
func (q *startQueue) runPending() {
	for {
		q.mu.Lock()
		fs := q.pending
		q.pending = nil
		q.mu.Unlock()
		if len(fs) == 0 {
			return
		}
		for _, f := range fs {
			f()
		}
	}
}

// release runs what is still queued and sends what comes later to next.
// Work posted while the queue empties is run here too, so nothing
// overtakes it.
func (q *startQueue) release() {
	for {
		q.runPending()
		q.mu.Lock()
		if len(q.pending) == 0 {
			q.released = true
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
	}
}

// startApp is New with the UI goroutine's queue (next) and clock given: it
// builds the window's content and, when a session is held, waits up to wait
// for the list's first page, so the window is shown with its rows.
func startApp(a fyne.App, w fyne.Window, s Session, opts Options, next func(func()), now func() time.Time, wait time.Duration) *App {
	pre := prefetchFirstPage(a, s)
	// Fyne's text measuring is not safe on two goroutines at once: the
	// screens are built once the warm-up is done (its fonts are what they
	// would load first anyway).
	awaitWarmUp()
	q := newStartQueue(next)
	app := newAppWith(a, w, s, opts, q.do, now, pre)
	q.runUntil(app.firstPageSettled, wait)
	q.release()
	if app.firstPage != nil { // the list view asked for something else
		app.firstPage.cancel()
		app.firstPage = nil
	}
	return app
}

// firstPageSettled reports whether the screen New shows is final: no
// session (the sign-in form needs nothing more), or the list's first page
// has arrived or failed. A session still being restored is not waited for.
func (a *App) firstPageSettled() bool {
	if a.session.Snapshot().State == session.Restoring || a.list == nil {
		return true
	}
	v := a.list.currentView()
	return v == nil || !v.m.loading
}
