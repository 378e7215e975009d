package reliability

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"signet/api"
	"signet/demo"
	"signet/session"
	"signet/session/keychain"
)

// The test binary doubles as the app for the rows that need a separate
// process (SIGKILL, a keychain that never answers): TestMain runs
// runHelper instead of the tests when helperEnv is set.
const (
	helperEnv = "SIGNET_RELIABILITY_HELPER" // the mode: helperWork, helperCheck, helperSlowKeychain
	urlEnv    = "SIGNET_RELIABILITY_URL"    // the backend's base URL
	dirEnv    = "SIGNET_RELIABILITY_DIR"    // where the file keychain, preferences and lock live
	// refuseEnv, "every seed": the keychain refuses about one call in
	// every (refusingStore), with the dice seeded by seed.
	refuseEnv = "SIGNET_RELIABILITY_REFUSE"
	// logEnv: the file the app logs to (debug level), for the test to show
	// when a restart is not what it expected.
	logEnv = "SIGNET_RELIABILITY_LOG"
)

const (
	// helperWork restores the session, reports (one JSON line), waits for
	// a line on stdin, then signs in, renews and now and then signs out,
	// in a loop until killed, one line before and one after each step.
	helperWork = "work"
	// helperCheck restores the session, loads the list once and reports.
	helperCheck = "check"
	// helperSlowKeychain signs in with the OS keychain (whose bus never
	// answers) and reports.
	helperSlowKeychain = "slow-keychain"
)

// report is what a helper prints, as one JSON line on stdout.
type report struct {
	State      string
	Username   string
	Backend    string // the saved backend choice, as main keeps it
	MemoryOnly bool
	Notice     string
	FetchErr   string
	FetchKind  string
	Err        string // the restart's last failure (a refused renewal: the server's words)
	Elapsed    time.Duration
	// KeychainWait is the time spent in keychain calls (slow-keychain).
	KeychainWait time.Duration
}

// The lines the work loop prints around its steps; the test reads the last
// one before a kill to know what the kill interrupted.
const (
	lineBeginSignIn  = "begin sign-in"
	lineSignedIn     = "signed in"
	lineBeginRenew   = "begin renewal"
	lineRenewed      = "renewed"
	lineBeginSignOut = "begin sign-out"
	lineSignedOut    = "signed out"
	lineStepFailed   = "step failed"
	// Printed when a keychain write fails or a read times out (the session
	// may go memory only) and when a write works again, whatever step is
	// under way, before the session hears of it: a memory-only session is
	// not meant to outlive its run.
	lineMemoryOnly = "keychain failed"
	lineSavedAgain = "keychain write works"
)

// Backend choice keys, as main's choice.go writes them.
const (
	prefBackendPreset  = "backend.preset"
	prefBackendBaseURL = "backend.base_url"
)

func runHelper(mode string) int {
	ctx := context.Background()
	dir := os.Getenv(dirEnv)
	// The clock's offset survives restarts (a file), as wall time does.
	clk := &offsetClock{path: filepath.Join(dir, "clock")}
	if b, err := os.ReadFile(clk.path); err == nil {
		n, _ := strconv.ParseInt(string(b), 10, 64)
		clk.off.Store(n)
	}
	// Generous call limits: on a loaded machine a -race helper can take
	// seconds to answer, and the test's deadline bounds the whole run.
	client, err := api.New(api.Config{Profile: api.DemoProfile(os.Getenv(urlEnv)), Timeout: 30 * time.Second, Now: clk.Now})
	if err != nil {
		return fail(err)
	}
	// The session state and the backend choice live where main keeps
	// them: an atomic state file (design R14).
	state, err := session.OpenStateFile(filepath.Join(dir, "state.json"), nil)
	if err != nil {
		return fail(err)
	}
	if state.String(prefBackendPreset) == "" {
		session.Update(state, func(p session.Preferences) {
			p.SetString(prefBackendPreset, profileName)
			p.SetString(prefBackendBaseURL, os.Getenv(urlEnv))
		})
	}
	log := slog.New(slog.DiscardHandler)
	if path := os.Getenv(logEnv); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		log = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	cfg := session.Config{
		Client: client, Prefs: state, Service: service, Logger: log,
		Now: clk.Now, BackoffInitial: 50 * time.Millisecond, BackoffMax: 200 * time.Millisecond,
		RefreshTimeout: 30 * time.Second, LogoutTimeout: 300 * time.Millisecond,
		LockPath: filepath.Join(dir, "refresh.lock"),
	}
	switch {
	case mode == helperSlowKeychain:
		cfg.Keychain = &timedStore{inner: keychain.NewOS(service, keychain.Options{Timeout: 300 * time.Millisecond}), total: keychainWait}
		cfg.SignInKeychainTimeout = 300 * time.Millisecond
	case requireKeychain:
		cfg.Keychain = keychain.NewOS(service+"-kill", keychain.Options{})
	default:
		cfg.Keychain = &fileStore{dir: filepath.Join(dir, "keychain")}
	}
	var every int
	var seed uint64
	if _, err := fmt.Sscan(os.Getenv(refuseEnv), &every, &seed); err == nil && every > 0 {
		rs := newRefusingStore(cfg.Keychain, every, seed, log)
		if mode == helperWork {
			var mu sync.Mutex
			said := "" // the line for the last write's outcome
			rs.mayLeave = func(ok bool) {
				mu.Lock()
				defer mu.Unlock()
				if l := map[bool]string{false: lineMemoryOnly, true: lineSavedAgain}[ok]; l != said {
					said = l
					fmt.Println(l)
				}
			}
		}
		cfg.Keychain = rs
	}
	c, err := session.New(cfg)
	if err != nil {
		return fail(err)
	}
	start := time.Now()
	c.Restore(ctx)
	describe := func(rep report) report {
		s := settled(c)
		rep.State, rep.Username, rep.MemoryOnly, rep.Notice = s.State.String(), s.Username, s.MemoryOnly, s.Notice
		if s.Err != nil {
			rep.Err = s.Err.Error()
		}
		rep.Backend = state.String(prefBackendPreset) + " " + state.String(prefBackendBaseURL)
		rep.Elapsed = time.Since(start)
		rep.KeychainWait = time.Duration(keychainWait.Load())
		return rep
	}
	switch mode {
	case helperWork:
		b, _ := json.Marshal(describe(report{}))
		fmt.Println(string(b))
		// The test checks the keychain while we wait.
		if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
			return fail(err)
		}

		// One line on stdout before and after each step (unbuffered
		// writes), so the test knows what a kill interrupted and picks its
		// kill point by progress rather than by the machine's speed.
		for {
			switch {
			case !c.Snapshot().State.HasSession():
				fmt.Println(lineBeginSignIn)
				if err := c.SignIn(ctx, demo.DemoUsername, demo.DemoPassword); err != nil {
					fmt.Println(lineStepFailed)
					continue
				}
				fmt.Println(lineSignedIn)
			case rand.IntN(32) == 0:
				fmt.Println(lineBeginSignOut)
				c.SignOut(ctx)
				fmt.Println(lineSignedOut)
			default:
				fmt.Println(lineBeginRenew)
				// Due for renewal: the next call starts it and goes out
				// with the token that still lives (design R5); the step
				// ends when the renewal has landed.
				before := c.Snapshot().Renewals
				clk.Add(renewAfter)
				if err := fetch(c); err != nil || !renewedSince(c, before) {
					fmt.Println(lineStepFailed)
					continue
				}
				fmt.Println(lineRenewed)
			}
		}
	case helperSlowKeychain:
		if err := c.SignIn(ctx, demo.DemoUsername, demo.DemoPassword); err != nil {
			return fail(err)
		}
	}
	rep := report{}
	if c.Snapshot().State.HasSession() {
		if err := fetch(c); err != nil {
			rep.FetchErr, rep.FetchKind = err.Error(), api.KindOf(err).String()
		}
	}
	rep = describe(rep)
	c.Close()
	b, _ := json.Marshal(rep)
	fmt.Println(string(b))
	return 0
}

// settled is the snapshot once no renewal is in flight: a call whose token
// still lives doesn't wait for the renewal its start-up began (design R5).
func settled(c *session.Controller) session.Snapshot {
	done := make(chan session.Snapshot, 1)
	cancel := c.Subscribe(func(s session.Snapshot) {
		if s.State != session.Refreshing {
			select {
			case done <- s:
			default:
			}
		}
	})
	defer cancel()
	if s := c.Snapshot(); s.State != session.Refreshing {
		return s
	}
	select {
	case s := <-done:
		return s
	case <-time.After(10 * time.Second):
		return c.Snapshot()
	}
}

// renewedSince waits until the session has renewed more than before times;
// false if it left SignedIn or Refreshing instead (or 10 s went by).
func renewedSince(c *session.Controller, before int) bool {
	done := make(chan bool, 1)
	decided := func(s session.Snapshot) (renewed, ok bool) {
		switch {
		case s.Renewals > before:
			return true, true
		case s.State != session.SignedIn && s.State != session.Refreshing:
			return false, true
		}
		return false, false
	}
	cancel := c.Subscribe(func(s session.Snapshot) {
		if renewed, ok := decided(s); ok {
			select {
			case done <- renewed:
			default:
			}
		}
	})
	defer cancel()
	if renewed, ok := decided(c.Snapshot()); ok {
		return renewed
	}
	select {
	case renewed := <-done:
		return renewed
	case <-time.After(10 * time.Second):
		return false
	}
}

// keychainWait adds up the time a timedStore's calls took.
var keychainWait = new(atomic.Int64)

// timedStore times the calls of a keychain store, so a row can bound the
// keychain's share of the time and not the machine's speed.
type timedStore struct {
	inner keychain.Store
	total *atomic.Int64
}

func (s *timedStore) timed(f func() error) error {
	start := time.Now()
	err := f()
	s.total.Add(int64(time.Since(start)))
	return err
}

func (s *timedStore) Get(key string) (v string, err error) {
	err = s.timed(func() error { v, err = s.inner.Get(key); return err })
	return v, err
}

func (s *timedStore) Set(key, value string) error {
	return s.timed(func() error { return s.inner.Set(key, value) })
}

func (s *timedStore) Delete(key string) error {
	return s.timed(func() error { return s.inner.Delete(key) })
}

func (s *timedStore) WithTimeout(d time.Duration) keychain.Store {
	return &timedStore{inner: keychain.WithTimeout(s.inner, d), total: s.total}
}

func fail(err error) int {
	fmt.Fprintln(os.Stderr, "helper:", err)
	return 2
}

// offsetClock is the real clock plus an offset the work loop pushes
// forward, so each call is due a renewal without waiting.
type offsetClock struct {
	path string
	off  atomic.Int64
}

func (c *offsetClock) Now() time.Time { return time.Now().Add(time.Duration(c.off.Load())) }

func (c *offsetClock) Add(d time.Duration) {
	_ = writeAtomic(c.path, []byte(strconv.FormatInt(c.off.Add(int64(d)), 10)))
}

// fileStore stands in for the OS keychain across processes: one file per
// entry, replaced atomically (write, then rename), as a keychain replaces
// an item.
type fileStore struct{ dir string }

func (f *fileStore) path(key string) string {
	return filepath.Join(f.dir, strings.ReplaceAll(key, "/", "_"))
}

func (f *fileStore) Get(key string) (string, error) {
	b, err := os.ReadFile(f.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return "", keychain.ErrNotFound
	}
	return string(b), err
}

func (f *fileStore) Set(key, value string) error {
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return err
	}
	return writeAtomic(f.path(key), []byte(value))
}

func (f *fileStore) Delete(key string) error {
	err := os.Remove(f.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return keychain.ErrNotFound
	}
	return err
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
