package ui

import (
	"context"
	"errors"
	"sync"

	"signet/api"
	"signet/backend"
	"signet/session"
)

// Choice and PresetInfo are the backend package's: a backend as a person
// picks it, and a shipped preset as the Server screen lists it.
type (
	Choice     = backend.Choice
	PresetInfo = backend.PresetInfo
)

// Backends is what the Server screen needs from the app to list, check and
// switch backends. *backend.Switcher implements it; the UI never opens a
// file or a connection itself.
//
// Describe and Switch may read files and start servers, so the UI calls
// them off its own goroutine.
type Backends interface {
	// Current is the choice the window's session was made from.
	Current() Choice
	// Rejected is the saved choice that could not be used at start-up,
	// and why; a zero Choice and nil when there was none.
	Rejected() (Choice, error)
	Presets() []PresetInfo
	// Describe loads and checks c without using it. A profile with
	// problems gives an error with a Lines() []string method listing
	// every one (*profile.ValidationError has it).
	Describe(c Choice) (api.Profile, error)
	// Switch makes c the backend: it saves c as the person's choice and
	// returns a new session for it, already restoring. The previous
	// session is closed by the implementation.
	Switch(c Choice) (*session.Controller, error)
}

// problemLines is every problem in err, one per line: a validation error's
// own list, or the error's text.
func problemLines(err error) []string {
	if err == nil {
		return nil
	}
	var v interface{ Lines() []string }
	if errors.As(err, &v) {
		return v.Lines()
	}
	return []string{err.Error()}
}

// switchableSession is the Session the App holds: it forwards to whichever
// session is current. The screens' goroutines read App.session without a
// lock, so switching backends replaces what this wrapper points to, never
// the App's field. Subscribers stay subscribed across a switch and are told
// about it, so the window moves to the new session's screen.
type switchableSession struct {
	mu      sync.Mutex
	inner   Session
	subs    map[int]func(session.Snapshot)
	nextSub int
	stop    func() // ends the subscription to inner; nil while nobody listens
}

func newSwitchableSession(s Session) *switchableSession {
	return &switchableSession{inner: s, subs: map[int]func(session.Snapshot){}}
}

func (w *switchableSession) current() Session {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.inner
}

// swap makes s the current session and tells the subscribers. Changes of
// the old session still on their way are passed on too; they are harmless,
// as the UI reads the newest state whenever one arrives.
func (w *switchableSession) swap(s Session) {
	w.mu.Lock()
	stopOld := w.stop
	w.inner, w.stop = s, nil
	listening := len(w.subs) > 0
	w.mu.Unlock()
	// Inner subscriptions are started and stopped outside mu: stopping
	// one may wait for a delivery that is itself waiting for mu.
	if stopOld != nil {
		stopOld()
	}
	if listening {
		w.listen(s)
	}
	w.notify(s.Snapshot())
}

// listen subscribes to s, unless s has been swapped out meanwhile.
func (w *switchableSession) listen(s Session) {
	stop := s.Subscribe(w.notify)
	w.mu.Lock()
	if w.inner == s && w.stop == nil {
		w.stop, stop = stop, nil
	}
	w.mu.Unlock()
	if stop != nil {
		stop()
	}
}

func (w *switchableSession) notify(snap session.Snapshot) {
	w.mu.Lock()
	subs := make([]func(session.Snapshot), 0, len(w.subs))
	for _, fn := range w.subs {
		subs = append(subs, fn)
	}
	w.mu.Unlock()
	for _, fn := range subs {
		fn(snap)
	}
}

func (w *switchableSession) Snapshot() session.Snapshot { return w.current().Snapshot() }

func (w *switchableSession) Subscribe(fn func(session.Snapshot)) func() {
	w.mu.Lock()
	id := w.nextSub
	w.nextSub++
	w.subs[id] = fn
	inner, first := w.inner, w.stop == nil
	w.mu.Unlock()
	if first {
		w.listen(inner)
	}
	return func() {
		w.mu.Lock()
		delete(w.subs, id)
		var stop func()
		if len(w.subs) == 0 {
			stop, w.stop = w.stop, nil
		}
		w.mu.Unlock()
		if stop != nil {
			stop()
		}
	}
}

func (w *switchableSession) SignIn(ctx context.Context, username, password string) error {
	return w.current().SignIn(ctx, username, password)
}

func (w *switchableSession) SignOut(ctx context.Context) { w.current().SignOut(ctx) }

func (w *switchableSession) FetchList(ctx context.Context, list string, offset, limit int, search string) (api.Page, error) {
	return w.current().FetchList(ctx, list, offset, limit, search)
}

func (w *switchableSession) Profile() api.Profile { return w.current().Profile() }

func (w *switchableSession) RetryNow() { w.current().RetryNow() }

func (w *switchableSession) FetchImage(ctx context.Context, url string) ([]byte, error) {
	return w.current().FetchImage(ctx, url)
}

func (w *switchableSession) ConfirmSession(ctx context.Context) error {
	return w.current().ConfirmSession(ctx)
}

// useSession moves the window to s, the session of a newly chosen backend.
// The sign-in form is rebuilt because what it shows (the first field's
// label, the server, the hint) belongs to the backend. Runs on the UI
// goroutine.
func (a *App) useSession(s Session, hint string) {
	sw, ok := a.session.(*switchableSession)
	if !ok || a.closed {
		return
	}
	a.leaveList()
	a.signIn.leave()
	a.opts.DemoHint = hint
	a.signIn = nil // built again, for the new backend, when shown
	sw.swap(s)
	// The swap's notification refreshes too, later; this one keeps the
	// closed list from being shown until then.
	a.refresh()
}
