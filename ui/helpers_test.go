package ui

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"signet/internal/demotest"
	"signet/internal/fakeclock"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"signet/api"
	"signet/demo"
	"signet/session"
	"signet/session/keychain"
)

// waitLimit bounds every wait for the UI to reach a state; the waits
// themselves are driven by the work the UI posts, not by sleeping.
const waitLimit = 30 * time.Second

// uiQueue stands in for fyne.Do. Fyne's test driver runs fyne.Do's function
// at once on the calling goroutine, so widgets would be touched from the
// session's and the fetchers' goroutines while the test reads them. The
// queue instead holds that work until the test goroutine runs it, the way
// the real driver's event loop does, and the race detector stays quiet.
type uiQueue struct {
	// startQueue is New's queue, never released here: the test goroutine
	// runs the work (runPending), woken through its wake channel.
	*startQueue
	posted atomic.Int64
}

func newUIQueue() *uiQueue { return &uiQueue{startQueue: newStartQueue(nil)} }

func (q *uiQueue) do(f func()) {
	q.posted.Add(1)
	q.startQueue.do(f)
}

// postedCount is how many functions have been posted so far.
func (q *uiQueue) postedCount() int { return int(q.posted.Load()) }

// waitFor runs posted UI work until cond holds. It wakes when work is
// posted, and polls as well for conditions that change without any (a fake
// session's call starting).
func (q *uiQueue) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	poll := time.NewTicker(5 * time.Millisecond)
	defer poll.Stop()
	for {
		q.runPending()
		if cond() {
			return
		}
		select {
		case <-q.wake:
		case <-poll.C:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestMain(m *testing.M) { demotest.Main(m) }

// harness is one window showing the UI for one session.
type harness struct {
	t   *testing.T
	q   *uiQueue
	win fyne.Window
	ui  *App
	now time.Time // the UI's clock; tests move it by hand
}

func newHarness(t *testing.T, s Session, opts Options) *harness {
	t.Helper()
	fa := test.NewTempApp(t)
	win := test.NewTempWindow(t, widget.NewLabel(""))
	win.Resize(fyne.NewSize(900, 640))
	h := &harness{t: t, q: newUIQueue(), win: win, now: time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)}
	h.ui = newApp(fa, win, s, opts, h.q.do, func() time.Time { return h.now })
	t.Cleanup(h.ui.Close)
	return h
}

func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	h.q.waitFor(h.t, what, cond)
}

func (h *harness) onSignIn() bool { return h.ui.signIn != nil && h.shown(h.ui.signIn.content) }
func (h *harness) onList() bool   { return h.ui.list != nil && h.shown(h.ui.list.content) }

// shown reports whether screen is what the window shows.
func (h *harness) shown(screen fyne.CanvasObject) bool {
	root, ok := h.win.Content().(*fyne.Container)
	return ok && h.ui.current == screen && len(root.Objects) == 2 && root.Objects[1] == screen
}
func (h *harness) focused() fyne.Focusable {
	return h.win.Canvas().Focused()
}

// view is the first list's view on the list screen.
func (h *harness) view() *listView {
	h.t.Helper()
	if h.ui.list == nil {
		h.t.Fatal("the list screen is not shown")
	}
	return h.ui.list.views[0]
}

// shows reports whether v's content is currently the given state view.
func shows(v *listView, state fyne.CanvasObject) bool {
	return len(v.content.Objects) == 1 && v.content.Objects[0] == state
}

// signIn types the credentials like a person and taps the button.
func (h *harness) signIn(username, password string) {
	h.t.Helper()
	f := h.ui.signIn
	f.username.SetText("")
	test.Type(f.username, username)
	f.password.SetText("")
	test.Type(f.password, password)
	test.Tap(f.submit)
}

// signInToList signs in to a real session's demo account from the form
// and waits for the list screen.
func (h *harness) signInToList() (*listScreen, *listView) {
	h.t.Helper()
	h.waitFor("the sign-in form", h.onSignIn)
	h.signIn(demo.DemoUsername, demo.DemoPassword)
	h.waitFor("the list screen", h.onList)
	return h.ui.list, h.view()
}

// realSession is a session controller talking over HTTP to a demo backend
// on 127.0.0.1, with an in-memory keychain and preferences.
type realSession struct {
	*session.Controller
	server *demo.Server
	url    string
	// calls tracks the UI's calls still running, so the controller is
	// closed only after they return, as main does when the window closes.
	calls sync.WaitGroup
}

func (r *realSession) SignIn(ctx context.Context, username, password string) error {
	r.calls.Add(1)
	defer r.calls.Done()
	return r.Controller.SignIn(ctx, username, password)
}

func (r *realSession) SignOut(ctx context.Context) {
	r.calls.Add(1)
	defer r.calls.Done()
	r.Controller.SignOut(ctx)
}

func (r *realSession) FetchList(ctx context.Context, list string, offset, limit int, search string) (api.Page, error) {
	r.calls.Add(1)
	defer r.calls.Done()
	return r.Controller.FetchList(ctx, list, offset, limit, search)
}

func newRealSession(t *testing.T, cfg demo.Config) *realSession {
	t.Helper()
	return newRealSessionWithStore(t, cfg, keychain.NewMemory())
}

// newRealSessionWithStore is newRealSession with the keychain store given.
func newRealSessionWithStore(t *testing.T, cfg demo.Config, store keychain.Store) *realSession {
	t.Helper()
	return newRealSessionBehind(t, cfg, store, nil, nil)
}

// newRealSessionBehind is newRealSessionWithStore with, when front is not
// nil, the demo's handler served on 127.0.0.1 behind front (an outage, a
// second backend for some paths), and, when clock is not nil, that clock
// for the controller's renewals and retries.
func newRealSessionBehind(t *testing.T, cfg demo.Config, store keychain.Store,
	front func(http.Handler) http.Handler, clock *fakeclock.Clock,
) *realSession {
	t.Helper()
	return newRealSessionEdited(t, cfg, store, front, clock, nil)
}

// newRealSessionEdited is newRealSessionBehind with the demo profile changed
// by edit (when not nil) before the controller is built.
func newRealSessionEdited(t *testing.T, cfg demo.Config, store keychain.Store,
	front func(http.Handler) http.Handler, clock *fakeclock.Clock, edit func(*api.Profile),
) *realSession {
	t.Helper()
	var srv *demo.Server
	var url string
	if front == nil {
		srv, url = demotest.Start(t, cfg)
	} else {
		srv = demotest.Open(t, cfg)
		hs := httptest.NewServer(front(srv.Handler()))
		t.Cleanup(hs.Close)
		url = hs.URL
	}
	p := api.DemoProfile(url)
	if edit != nil {
		edit(&p)
	}
	client, err := api.New(api.Config{Profile: p})
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	sc := session.Config{
		Client:   client,
		Keychain: store,
		Prefs:    session.NewMemoryPreferences(),
		Service:  "io.signet.test",
	}
	if clock != nil {
		sc.Now, sc.AfterFunc = clock.Now, clock.AfterFunc
		sc.Jitter = func(max time.Duration) time.Duration { return max }
	}
	ctrl, err := session.New(sc)
	if err != nil {
		t.Fatalf("session.New: %v", err)
	}
	t.Cleanup(ctrl.Close)
	r := &realSession{Controller: ctrl, server: srv, url: url}
	t.Cleanup(r.calls.Wait) // cleanups run last-in first-out: before Close
	ctrl.Restore(context.Background())
	return r
}

// fakeSession is a Session whose answers the test decides, for the states a
// real backend can't be made to show on demand (a fetch that hangs, an
// empty list). Subscribers are called from another goroutine, as the real
// controller does.
type fakeSession struct {
	profile api.Profile

	mu      sync.Mutex
	snap    session.Snapshot
	subs    map[int]func(session.Snapshot)
	nextSub int
	// signIn and fetch answer the calls; nil fetch blocks until the
	// context ends.
	signIn   func(ctx context.Context, username, password string) error
	fetch    func(ctx context.Context, list string, offset, limit int) (api.Page, error)
	fetches  int
	searched []string // the non-empty search terms FetchList was given
	signOuts int
	retries  int // RetryNow calls
	// confirm answers ConfirmSession (nil: api.ErrNoCheck); confirms
	// counts the calls.
	confirm  func(ctx context.Context) error
	confirms int
}

func newFakeSession(snap session.Snapshot) *fakeSession {
	p := api.DemoProfile("http://127.0.0.1:9")
	return &fakeSession{profile: p, snap: snap, subs: map[int]func(session.Snapshot){}}
}

func (f *fakeSession) Snapshot() session.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snap
}

func (f *fakeSession) Subscribe(fn func(session.Snapshot)) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.nextSub
	f.nextSub++
	f.subs[id] = fn
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.subs, id)
	}
}

// set changes the state and tells the subscribers from another goroutine;
// it returns once they have been told.
func (f *fakeSession) set(snap session.Snapshot) {
	f.mu.Lock()
	f.snap = snap
	subs := make([]func(session.Snapshot), 0, len(f.subs))
	for _, fn := range f.subs {
		subs = append(subs, fn)
	}
	f.mu.Unlock()
	var wg sync.WaitGroup
	for _, fn := range subs {
		wg.Go(func() { fn(snap) })
	}
	wg.Wait()
}

func (f *fakeSession) SignIn(ctx context.Context, username, password string) error {
	f.mu.Lock()
	fn := f.signIn
	f.mu.Unlock()
	if fn == nil {
		return nil
	}
	return fn(ctx, username, password)
}

func (f *fakeSession) SignOut(context.Context) {
	f.mu.Lock()
	f.signOuts++
	username := f.snap.Username
	f.mu.Unlock()
	f.set(session.Snapshot{State: session.SignedOut, Username: username})
}

func (f *fakeSession) FetchList(ctx context.Context, list string, offset, limit int, search string) (api.Page, error) {
	f.mu.Lock()
	f.fetches++
	if search != "" {
		f.searched = append(f.searched, search)
	}
	fn := f.fetch
	f.mu.Unlock()
	if fn == nil {
		<-ctx.Done()
		return api.Page{}, ctx.Err()
	}
	return fn(ctx, list, offset, limit)
}

func (f *fakeSession) Profile() api.Profile { return f.profile }

func (f *fakeSession) RetryNow() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.retries++
}

// FetchImage has no images to give: rows show their placeholder.
func (f *fakeSession) FetchImage(context.Context, string) ([]byte, error) {
	return nil, errors.New("no images here")
}

func (f *fakeSession) ConfirmSession(ctx context.Context) error {
	f.mu.Lock()
	f.confirms++
	fn := f.confirm
	f.mu.Unlock()
	if fn == nil {
		return &api.Error{Op: "confirm your session", Err: api.ErrNoCheck}
	}
	return fn(ctx)
}

func (f *fakeSession) confirmCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.confirms
}

func (f *fakeSession) retryCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.retries
}

func (f *fakeSession) fetchCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fetches
}

// searchTerms is every search term a fetch has carried so far.
func (f *fakeSession) searchTerms() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.searched)
}

func (f *fakeSession) setFetch(fn func(ctx context.Context, list string, offset, limit int) (api.Page, error)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fetch = fn
}

// items makes n numbered items starting at from.
func items(from, n int) []api.Item {
	out := make([]api.Item, n)
	for i := range out {
		id := from + i
		out[i] = api.Item{ID: itoa(id), Title: "Item " + itoa(id), Subtitle: "Subtitle " + itoa(id)}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
