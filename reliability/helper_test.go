package reliability

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
)

const (
	// helperWork signs in and renews in a loop until killed.
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
	MemoryOnly bool
	Notice     string
	FetchErr   string
	FetchKind  string
	Elapsed    time.Duration
}

func runHelper(mode string) int {
	ctx := context.Background()
	dir := os.Getenv(dirEnv)
	// The clock's offset survives restarts (a file), as wall time does.
	clk := &offsetClock{path: filepath.Join(dir, "clock")}
	if b, err := os.ReadFile(clk.path); err == nil {
		n, _ := strconv.ParseInt(string(b), 10, 64)
		clk.off.Store(n)
	}
	client, err := api.New(api.Config{Profile: api.DemoProfile(os.Getenv(urlEnv)), Timeout: 2 * time.Second, Now: clk.Now})
	if err != nil {
		return fail(err)
	}
	cfg := session.Config{
		Client: client, Prefs: newFilePrefs(filepath.Join(dir, "preferences.json")), Service: service,
		Now: clk.Now, BackoffInitial: 50 * time.Millisecond, BackoffMax: 200 * time.Millisecond,
		RefreshTimeout: 2 * time.Second, LogoutTimeout: 300 * time.Millisecond,
		LockPath: filepath.Join(dir, "refresh.lock"),
	}
	switch {
	case mode == helperSlowKeychain:
		cfg.Keychain = keychain.NewOS(service, keychain.Options{Timeout: 300 * time.Millisecond})
		cfg.SignInKeychainTimeout = 300 * time.Millisecond
	case requireKeychain:
		cfg.Keychain = keychain.NewOS(service+"-kill", keychain.Options{})
	default:
		cfg.Keychain = &fileStore{dir: filepath.Join(dir, "keychain")}
	}
	c, err := session.New(cfg)
	if err != nil {
		return fail(err)
	}
	start := time.Now()
	c.Restore(ctx)
	switch mode {
	case helperWork:
		// One line on stdout per finished step, so the test can pick its
		// kill point by progress rather than by the machine's speed.
		for {
			switch {
			case !c.Snapshot().State.HasSession():
				_ = c.SignIn(ctx, demo.DemoUsername, demo.DemoPassword)
			case rand.IntN(8) == 0:
				c.SignOut(ctx)
			default:
				clk.Add(renewAfter) // due for renewal: the next call refreshes first
				_ = fetch(c)
			}
			fmt.Println("step")
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
	s := settled(c)
	rep.State, rep.MemoryOnly, rep.Notice, rep.Elapsed = s.State.String(), s.MemoryOnly, s.Notice, time.Since(start)
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

// filePrefs are preferences kept in a JSON file, rewritten on every change
// (as Fyne's are, a moment later).
type filePrefs struct {
	mu   sync.Mutex
	path string
	m    map[string]string
}

func newFilePrefs(path string) *filePrefs {
	p := &filePrefs{path: path, m: map[string]string{}}
	if b, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(b, &p.m)
	}
	return p
}

func (p *filePrefs) String(key string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[key]
}

func (p *filePrefs) SetString(key, value string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[key] = value
	p.save()
}

func (p *filePrefs) RemoveValue(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, key)
	p.save()
}

func (p *filePrefs) save() {
	b, _ := json.Marshal(p.m)
	_ = writeAtomic(p.path, b)
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
