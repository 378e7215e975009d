package reliability

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"signet/internal/demotest"

	"signet/internal/fakeclock"

	"signet/api"
	"signet/demo"
	"signet/internal/faultproxy"
	"signet/internal/testsync"
	"signet/session"
	"signet/session/keychain"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(runHelper(mode))
	}
	demotest.Main(m)
}

// requireKeychain: scripts/with-keyring.sh runs the suite against a real
// Secret Service; rows that need no failure injection then use it.
var requireKeychain = os.Getenv("SIGNET_REQUIRE_KEYCHAIN") == "1"

// Every row's clock starts here. The demo's clock is the same one, shifted
// by rig.skew, so "the server's clock is an hour ahead" is one store.
var epoch = time.Date(2025, time.March, 14, 12, 0, 0, 0, time.UTC)

// fakeClock is a settable clock whose AfterFunc timers run, synchronously
// and in time order, when Advance passes their time: the session's
// proactive refresh and its Offline retries happen exactly when a row says.
type fakeClock = fakeclock.Clock

func newFakeClock() *fakeClock { return fakeclock.New(epoch) }

// Token lifetime on the demo in every row: the session renews a tenth of it
// before expiry (its margin is capped at a tenth of the lifetime), so
// Advance(renewAfter) always fires the proactive refresh.
const (
	tokenTTL   = 60 * time.Second
	renewAfter = tokenTTL - tokenTTL/10 + time.Second
)

// rig is one row's world: the demo backend, a fault proxy in front of it,
// a clock, a keychain and preferences that outlive controllers (a restart
// is a new controller on the same keychain and preferences).
type rig struct {
	t      *testing.T
	clock  *fakeClock
	skew   atomic.Int64 // the demo's clock minus ours, in ns
	demo   *demo.Server
	proxy  *faultproxy.Proxy
	kc     keychain.Store
	mem    *keychain.Memory // kc when it is a Memory store, else nil
	prefs  *session.MemoryPreferences
	logs   *testsync.Buffer
	dnsOff atomic.Bool // names stop resolving (see dial)
	tr     *http.Transport
	opts   rigOpts
	// refreshAttempts counts refresh calls the client started, whether or
	// not they reached any server (refused, DNS).
	refreshAttempts atomic.Int64
}

type rigOpts struct {
	// realKeychain: use the OS keychain when the run requires one
	// (rows that inject keychain failures keep the Memory store).
	realKeychain bool
	apiTimeout   time.Duration // default 5 s (a sign-in hashes a password under -race)
	demo         demo.Config   // DataPath and Now are filled in
}

func newRig(t *testing.T, o rigOpts) *rig {
	t.Helper()
	r := &rig{t: t, clock: newFakeClock(), prefs: session.NewMemoryPreferences(), logs: &testsync.Buffer{}, opts: o}
	if r.opts.apiTimeout == 0 {
		r.opts.apiTimeout = 5 * time.Second
	}
	cfg := o.demo
	cfg.Now = func() time.Time { return r.clock.Now().Add(time.Duration(r.skew.Load())) }
	if cfg.TokenTTL == 0 {
		cfg.TokenTTL = tokenTTL
	}
	d, base := demotest.Start(t, cfg)
	r.demo = d
	r.proxy = faultproxy.New(base)
	r.proxy.SetClock(cfg.Now)
	t.Cleanup(r.proxy.Close)

	if o.realKeychain && requireKeychain {
		service := "signet-reliability-" + strings.ReplaceAll(t.Name(), "/", "-")
		r.kc = keychain.NewOS(service, keychain.Options{})
		t.Cleanup(func() { _ = r.kc.Delete(profileName + "/tokens") })
	} else {
		r.mem = keychain.NewMemory()
		r.kc = r.mem
	}

	r.tr = http.DefaultTransport.(*http.Transport).Clone()
	r.tr.MaxIdleConnsPerHost = 1024
	r.tr.DialContext = r.dial
	t.Cleanup(r.tr.CloseIdleConnections)
	return r
}

const (
	profileName = "demo"
	service     = "signet-reliability-test"
)

// dial is the clients' dialer. While dnsOff is set it dials a name under
// .invalid (RFC 2606) instead, which the real resolver refuses: the same
// *net.DNSError a vanished DNS entry gives, and the rig can bring the name
// back for the recovery half of a row.
func (r *rig) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if r.dnsOff.Load() {
		_, port, _ := net.SplitHostPort(addr)
		addr = net.JoinHostPort("signet-reliability.invalid", port)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

func (r *rig) url() string { return r.proxy.URL() }

func (r *rig) logger() *slog.Logger {
	return slog.New(session.NewRedactingHandler(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
}

// apiClient is the real API client for the demo profile, through the proxy.
func (r *rig) apiClient(baseURL string) *api.Client {
	r.t.Helper()
	c, err := api.New(api.Config{
		Profile: api.DemoProfile(baseURL),
		HTTP:    &http.Client{Transport: countingTransport{r}},
		Timeout: r.opts.apiTimeout,
		Now:     r.clock.Now,
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// config is the session configuration every row starts from.
func (r *rig) config(mods ...func(*session.Config)) session.Config {
	cfg := session.Config{
		Client:         r.apiClient(r.url()),
		Keychain:       r.kc,
		Prefs:          r.prefs,
		Service:        service,
		Logger:         r.logger(),
		Now:            r.clock.Now,
		AfterFunc:      r.clock.AfterFunc,
		Jitter:         func(max time.Duration) time.Duration { return max }, // the backoff's ceiling, exactly
		BackoffInitial: time.Second,
		BackoffMax:     8 * time.Second,
		RefreshTimeout: 2 * time.Second,
		LogoutTimeout:  300 * time.Millisecond,
		Transport:      r.tr,
	}
	for _, m := range mods {
		m(&cfg)
	}
	return cfg
}

// start makes a controller and restores the saved session, like an app
// start; Close runs at the end of the test.
func (r *rig) start(mods ...func(*session.Config)) *session.Controller {
	r.t.Helper()
	c, err := session.New(r.config(mods...))
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(c.Close)
	c.Restore(context.Background())
	return c
}

// signedIn starts a controller and signs the demo user in.
func (r *rig) signedIn(mods ...func(*session.Config)) *session.Controller {
	r.t.Helper()
	c := r.start(mods...)
	if err := c.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		r.t.Fatalf("sign in: %v", err)
	}
	return c
}

// stored returns the saved keychain entry's raw value ("" when none).
func (r *rig) stored() string {
	r.t.Helper()
	v, err := r.kc.Get(profileName + "/tokens")
	if errors.Is(err, keychain.ErrNotFound) {
		return ""
	}
	if err != nil {
		r.t.Fatalf("reading the keychain: %v", err)
	}
	return v
}

// lastAuth is the Authorization value of the last request for path.
func (r *rig) lastAuth(path string) string {
	a := r.proxy.Authorizations(path)
	if len(a) == 0 {
		return ""
	}
	return a[len(a)-1]
}

// fetch loads the first page of the demo's list.
func fetch(c *session.Controller) error {
	_, err := c.FetchList(context.Background(), "Items", 0, 10, "")
	return err
}

func mustFetch(t *testing.T, c *session.Controller) {
	t.Helper()
	if err := fetch(c); err != nil {
		t.Fatalf("fetching the list: %v", err)
	}
}

// waitFor polls the controller until ok (state changes made by background
// work land asynchronously).
func waitFor(t *testing.T, c *session.Controller, what string, ok func(session.Snapshot) bool) session.Snapshot {
	t.Helper()
	var s session.Snapshot
	if !testsync.Poll(5*time.Second, func() bool { s = c.Snapshot(); return ok(s) }) {
		t.Fatalf("waiting for %s: still %s (err: %v)", what, s.State, s.Err)
	}
	return s
}

func wantState(t *testing.T, c *session.Controller, want session.State) session.Snapshot {
	t.Helper()
	s := c.Snapshot()
	if s.State != want {
		t.Fatalf("state %s, want %s (err: %v)", s.State, want, s.Err)
	}
	return s
}

// rawNoise are fragments of Go's own error texts that must never reach a
// person: the message has to say what happened in words.
var rawNoise = []string{"dial tcp", "127.0.0.1", "EOF", "context deadline", "connection refused",
	"no such host", "invalid character", "json:", "http: ", ".invalid", "Client.Timeout"}

// assertClearMessage fails when err is nil or its text is raw.
func assertClearMessage(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("no error, want one a person can read")
	}
	msg := err.Error()
	for _, n := range rawNoise {
		if strings.Contains(msg, n) {
			t.Fatalf("message %q contains raw error text %q", msg, n)
		}
	}
	if len(msg) < 10 || len(msg) > 300 {
		t.Fatalf("message %q is not a sentence a person can read", msg)
	}
}

// assertNoSessionSaved checks that nothing of a session is stored.
func (r *rig) assertNoSessionSaved() {
	r.t.Helper()
	if v := r.stored(); v != "" {
		r.t.Fatal("the keychain still holds a token entry")
	}
	for k := range r.prefs.All() {
		if !strings.HasSuffix(k, ".username") {
			r.t.Fatalf("preference %q is left after the session ended", k)
		}
	}
}

// countingTransport counts refresh attempts on their way out.
type countingTransport struct{ r *rig }

func (ct countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path == "/auth/refresh" {
		ct.r.refreshAttempts.Add(1)
	}
	return ct.r.tr.RoundTrip(req)
}
