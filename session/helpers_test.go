package session

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"signet/internal/demotest"

	"signet/internal/fakeclock"

	"signet/api"
	"signet/demo"
	"signet/internal/tempdir"
	"signet/internal/testsync"
	"signet/session/keychain"
)

func TestMain(m *testing.M) { demotest.Main(m) }

type fakeClock = fakeclock.Clock

func newFakeClock() *fakeClock {
	return fakeclock.New(time.Date(2025, time.March, 14, 12, 0, 0, 0, time.UTC))
}

// gate wraps the demo handler: it records what the client sends and can
// misbehave on demand.
type gate struct {
	next http.Handler

	mu            sync.Mutex
	refreshBodies []string
	requests      int
	itemsAuth     []string
	redirectAuth  string

	itemsAlways401 atomic.Bool
	refreshStatus  atomic.Int32 // non-zero: /auth/refresh answers this
	refreshGarbage atomic.Bool  // /auth/refresh answers 200 with nonsense
	itemsStarted   chan struct{}
	itemsBlock     atomic.Bool   // /api/items waits until the request is cancelled
	logoutHold     chan struct{} // non-nil: /auth/logout waits until it is closed
	redirectTo     atomic.Value
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.requests++
	g.mu.Unlock()
	switch {
	case r.URL.Path == "/auth/refresh":
		b, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.refreshBodies = append(g.refreshBodies, string(b))
		g.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
		if st := g.refreshStatus.Load(); st != 0 {
			http.Error(w, `{"error":"server_error"}`, int(st))
			return
		}
		if g.refreshGarbage.Load() {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"surprise": true}`)
			return
		}
	case r.URL.Path == "/api/items":
		g.mu.Lock()
		g.itemsAuth = append(g.itemsAuth, r.Header.Get("Authorization"))
		g.mu.Unlock()
		if g.itemsStarted != nil {
			select {
			case g.itemsStarted <- struct{}{}:
			default:
			}
		}
		if g.itemsBlock.Load() {
			<-r.Context().Done()
			return
		}
		if g.itemsAlways401.Load() {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
			return
		}
	case r.URL.Path == "/auth/logout" && g.logoutHold != nil:
		select {
		case <-g.logoutHold:
		case <-r.Context().Done():
			return
		}
	case r.URL.Path == "/api/redirect":
		g.mu.Lock()
		g.redirectAuth = r.Header.Get("Authorization")
		g.mu.Unlock()
		http.Redirect(w, r, g.redirectTo.Load().(string), http.StatusFound)
		return
	case r.URL.Path == "/api/upload":
		// A protected POST: the body is read, then the token is checked
		// by asking the demo's /api/me with the same header.
		io.Copy(io.Discard, r.Body)
		me := httptest.NewRequest(http.MethodGet, "/api/me", nil)
		me.Header.Set("Authorization", r.Header.Get("Authorization"))
		rec := httptest.NewRecorder()
		g.next.ServeHTTP(rec, me)
		w.WriteHeader(rec.Code)
		return
	}
	g.next.ServeHTTP(w, r)
}

func (g *gate) refreshes() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.refreshBodies)
}

func (g *gate) requestCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.requests
}

// restartable serves a handler on a fixed loopback address and can be
// stopped (connections refused) and started again on the same address.
type restartable struct {
	t    *testing.T
	addr string
	h    http.Handler
	mu   sync.Mutex
	srv  *http.Server
}

func newRestartable(t *testing.T, h http.Handler) *restartable {
	r := &restartable{t: t, addr: "127.0.0.1:0", h: h}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *restartable) start() {
	r.t.Helper()
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		r.t.Fatalf("listen %s: %v", r.addr, err)
	}
	r.addr = ln.Addr().String()
	srv := &http.Server{Handler: r.h}
	r.mu.Lock()
	r.srv = srv
	r.mu.Unlock()
	go srv.Serve(ln)
}

func (r *restartable) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv != nil {
		r.srv.Close()
		r.srv = nil
	}
}

func (r *restartable) url() string { return "http://" + r.addr }

// env is one test's world: a demo backend on real HTTP, a fake clock shared
// by server and client (unless split), a memory keychain and preferences.
type env struct {
	t       *testing.T
	clock   *fakeClock // the controller's and the api client's clock
	sclock  *fakeClock // the server's clock (the same one unless split)
	demo    *demo.Server
	gate    *gate
	server  *restartable
	kc      *keychain.Memory
	prefs   *MemoryPreferences
	logs    *testsync.Buffer
	profile api.Profile
	lock    string
	// apiTimeout is the api client's call limit; zero: 30 s.
	apiTimeout time.Duration
}

type envOpts struct {
	splitClocks  bool // the server's clock moves on its own
	noRefresh    bool
	refreshDelay time.Duration
	// apiTimeout bounds each call to the demo (default 30 s, far above
	// what a call needs: a sign-in, a password hash under -race and a
	// database sync, can take seconds on a loaded machine, and no test
	// here waits for this limit to end a call).
	apiTimeout time.Duration
}

func newEnv(t *testing.T, o envOpts) *env {
	t.Helper()
	data := demotest.DataFile(t)
	e := &env{t: t, clock: newFakeClock(), apiTimeout: o.apiTimeout, kc: keychain.NewMemory(), prefs: NewMemoryPreferences(),
		logs: &testsync.Buffer{}, lock: filepath.Join(tempdir.New(t), "refresh.lock")}
	e.sclock = e.clock
	if o.splitClocks {
		e.sclock = newFakeClock()
	}
	e.demo = demotest.Open(t, demo.Config{DataPath: data, TokenTTL: 60 * time.Second, RefreshDelay: o.refreshDelay,
		DisableRefresh: o.noRefresh, Now: e.sclock.Now})
	e.gate = &gate{next: e.demo.Handler()}
	e.server = newRestartable(t, e.gate)
	e.profile = api.DemoProfile(e.server.url())
	if o.noRefresh {
		e.profile.Refresh = nil
	}
	return e
}

// advance moves both clocks (once if they are the same).
// renewDue is how far to move the clock after a sign-in on the demo's 60 s
// token for the proactive renewal to fire (its margin is a tenth of the
// lifetime: it fires at 54 s).
const renewDue = 55 * time.Second

func (e *env) advance(d time.Duration) {
	if e.sclock != e.clock {
		e.sclock.Advance(d)
	}
	e.clock.Advance(d)
}

func (e *env) config(mods ...func(*Config)) Config {
	client, err := api.New(api.Config{Profile: e.profile, Now: e.clock.Now, Timeout: cmp.Or(e.apiTimeout, 30*time.Second)})
	if err != nil {
		e.t.Fatal(err)
	}
	cfg := Config{
		Client: client, Keychain: e.kc, Prefs: e.prefs, Service: "io.signet.test",
		Logger:    slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:       e.clock.Now,
		AfterFunc: e.clock.AfterFunc,
		Jitter:    func(max time.Duration) time.Duration { return max },
		LockPath:  e.lock,
	}
	for _, m := range mods {
		m(&cfg)
	}
	return cfg
}

func (e *env) controller(mods ...func(*Config)) *Controller {
	e.t.Helper()
	c, err := New(e.config(mods...))
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(c.Close)
	return c
}

// signedIn returns a controller signed in as the demo user.
func (e *env) signedIn(mods ...func(*Config)) *Controller {
	e.t.Helper()
	c := e.controller(mods...)
	c.Restore(context.Background())
	if err := c.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		e.t.Fatalf("SignIn: %v", err)
	}
	return c
}

// stored returns the tokens in the memory keychain, if any.
func (e *env) stored() (api.Tokens, bool) {
	v, ok := e.kc.Snapshot()["demo/tokens"]
	if !ok {
		return api.Tokens{}, false
	}
	t, err := decodeTokens(v)
	if err != nil {
		e.t.Fatalf("keychain entry: %v", err)
	}
	return t, true
}

// assertNoSecrets fails if any of secrets appears in the preferences or
// the controller's (unredacted) log.
func (e *env) assertNoSecrets(secrets ...string) {
	e.t.Helper()
	logs := e.logs.String()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for k, v := range e.prefs.All() {
			if strings.Contains(v, s) {
				e.t.Errorf("preference %s holds a secret", k)
			}
		}
		if strings.Contains(logs, s) {
			e.t.Errorf("the log holds a secret")
		}
	}
}

// waitFor waits until the controller's snapshot satisfies ok.
func waitFor(t *testing.T, c *Controller, what string, ok func(Snapshot) bool) Snapshot {
	t.Helper()
	ch := make(chan Snapshot, 1)
	cancel := c.Subscribe(func(s Snapshot) {
		if ok(s) {
			select {
			case ch <- s:
			default:
			}
		}
	})
	defer cancel()
	if s := c.Snapshot(); ok(s) {
		return s
	}
	select {
	case s := <-ch:
		return s
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s; state %v", what, c.Snapshot().State)
		return Snapshot{}
	}
}

func fetch(c *Controller) error {
	_, err := c.FetchList(context.Background(), "Items", 0, 5, "")
	return err
}

func mustFetch(t *testing.T, c *Controller) api.Page {
	t.Helper()
	p, err := c.FetchList(context.Background(), "Items", 0, 5, "")
	if err != nil {
		t.Fatalf("FetchList: %v", err)
	}
	if len(p.Items) == 0 {
		t.Fatalf("FetchList gave no items")
	}
	return p
}

// settle waits for the renewal in flight, if any, to end: a call whose
// token still lives starts its renewal and goes out without waiting for it
// (design R5). Such a call has registered the flight when it returns.
func settle(t *testing.T, c *Controller) {
	t.Helper()
	w := c.refresher.running()
	if w == nil {
		return
	}
	select {
	case <-w:
	case <-time.After(10 * time.Second):
		t.Fatal("the renewal in flight has not ended after 10 s")
	}
}

func isKind(err error, k api.Kind) bool { return api.KindOf(err) == k }
