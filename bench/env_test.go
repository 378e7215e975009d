package bench

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"signet/api"
	"signet/demo"
	"signet/session"
	"signet/session/keychain"
)

// envConfig describes one demo backend and one session talking to it.
type envConfig struct {
	TokenTTL     time.Duration // demo default when zero
	RefreshDelay time.Duration
	// Server and Client clocks; nil means time.Now. They are separate so a
	// test can make the server think a token is dead while the client
	// still holds it for live (the 401 path).
	ServerNow, ClientNow func() time.Time
	// AfterFunc schedules the session's proactive refresh; nil means real
	// timers.
	AfterFunc func(time.Duration, func()) func() bool
	// Keychain under the session; nil means a counting in-memory store.
	Keychain keychain.Store
}

// env is a running demo backend plus a session controller on it, wired like
// main.go wires them (lock file, keychain, preferences), but with a
// transport that keeps enough idle connections for a 1000-call batch: with
// http.DefaultTransport's two per host, every batch would open ~1000 new
// sockets and repeated iterations would run out of ephemeral ports.
type env struct {
	srv       *demo.Server
	url       string
	client    *api.Client
	ctrl      *session.Controller
	kc        *keychain.Counting
	prefs     *session.MemoryPreferences
	transport *http.Transport
}

func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 2048
	t.MaxIdleConnsPerHost = 2048
	return t
}

// startDemo starts a demo backend with counters on 127.0.0.1.
func startDemo(tb testing.TB, cfg envConfig) (*demo.Server, string) {
	tb.Helper()
	srv, err := demo.Open(demo.Config{
		TokenTTL:     cfg.TokenTTL,
		RefreshDelay: cfg.RefreshDelay,
		Stats:        true,
		Now:          cfg.ServerNow,
	})
	if err != nil {
		tb.Fatal(err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		_ = srv.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	return srv, url
}

// newEnv starts a demo backend and a signed-in session on it.
func newEnv(tb testing.TB, cfg envConfig) *env {
	tb.Helper()
	srv, url := startDemo(tb, cfg)
	e := &env{srv: srv, url: url, transport: newTransport()}
	tb.Cleanup(e.transport.CloseIdleConnections)
	e.client = newAPIClient(tb, url, cfg.ClientNow, e.transport)
	store := cfg.Keychain
	if store == nil {
		store = keychain.NewMemory()
	}
	e.kc = keychain.NewCounting(store)
	e.prefs = session.NewMemoryPreferences()
	e.ctrl = newController(tb, e.client, e.kc, e.prefs, cfg.ClientNow, cfg.AfterFunc, e.transport)
	e.ctrl.Restore(context.Background()) // nothing saved: SignedOut, no keychain call
	if err := e.ctrl.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		tb.Fatalf("sign in: %v", err)
	}
	return e
}

func newAPIClient(tb testing.TB, url string, now func() time.Time, rt http.RoundTripper) *api.Client {
	tb.Helper()
	c, err := api.New(api.Config{Profile: api.DemoProfile(url), Now: now, HTTP: &http.Client{Transport: rt}})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func newController(tb testing.TB, c *api.Client, kc keychain.Store, prefs session.Preferences,
	now func() time.Time, afterFunc func(time.Duration, func()) func() bool, rt http.RoundTripper) *session.Controller {
	tb.Helper()
	ctrl, err := session.New(session.Config{
		Client:    c,
		Keychain:  kc,
		Prefs:     prefs,
		Service:   "io.signet.bench",
		Now:       now,
		AfterFunc: afterFunc,
		LockPath:  filepath.Join(tb.TempDir(), "session.lock"),
		Transport: rt,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(ctrl.Close)
	return ctrl
}

// requestsSeen is every request the demo answered on the auth and list
// endpoints, from its counters.
func refreshRequests(s demo.Stats) int64 { return s.Refreshes + s.RefreshRefused }

// neverFires is an AfterFunc whose timers never run: the proactive refresh
// is out of the picture, so the figure measures the on-demand path alone.
func neverFires(time.Duration, func()) func() bool { return func() bool { return true } }

// envSeconds is the whole seconds in the environment variable name (a
// shorter run for a quick look), or def.
func envSeconds(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name) + "s"); err == nil && d > 0 {
		return d
	}
	return def
}
