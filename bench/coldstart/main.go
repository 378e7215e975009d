// Command coldstart times Signet's cold start to data (figure 4 of issue 5):
// from exec of the real binary, with a saved and live session, to the first
// list rows on screen, against a bare Fyne window (./bare) built the same
// way, from exec to its first frame. It also counts the HTTP requests the
// app makes before the list shows.
//
// It needs a display (Xvfb) and a real keychain (scripts/with-keyring.sh);
// scripts/bench.sh provides both. It runs the two binaries alternately, runs
// times each after one unrecorded warm-up each, and prints one line per run
// in `go test -bench` format, for bench/report:
//
//	BenchmarkColdStart/bare 1 <ns> ns/op
//	BenchmarkColdStart/app  1 <ns> ns/op <n> requests/op <n> list-requests/op ...
//
// list-request-at-ms is when the list request reached the server, counted
// from exec: it splits the app's time into start-up + restore before it,
// and fetch + decode + building the list screen after it.
//
// What the time is: from just before the harness execs the binary to the
// moment it reads the binary's "startup: …" line on stderr. The app prints
// "startup: first-rows" (SIGNET_TRACE_STARTUP=1) when the first page's rows
// are bound into the list of the shown window; the bare window prints
// "startup: first-frame" when its shown window is about to be drawn. Both
// are then painted on the driver's next tick, so each figure is within one
// frame (16.7 ms) of the paint, in the same direction.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"signet/api"
	"signet/demo"
	"signet/session"
	"signet/session/keychain"
)

// appID is main.go's: the keychain service and the preferences folder.
const appID = "io.signet.app"

func main() {
	appBin := flag.String("app", "bin/signet", "the Signet binary")
	bareBin := flag.String("bare", "bin/bare", "the bare Fyne window binary")
	runs := flag.Int("runs", 5, "recorded runs of each binary")
	timeout := flag.Duration("timeout", 60*time.Second, "longest wait for one start")
	flag.Parse()
	if err := run(*appBin, *bareBin, *runs, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(appBin, bareBin string, runs int, timeout time.Duration) error {
	if os.Getenv("DISPLAY") == "" {
		return errors.New("no DISPLAY: run under Xvfb (scripts/bench.sh does)")
	}
	cfgHome, err := os.MkdirTemp("", "signet-coldstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cfgHome)

	srv, err := demo.Open(demo.Config{TokenTTL: time.Hour, Stats: true})
	if err != nil {
		return err
	}
	defer srv.Close()
	counter := &requestCounter{next: srv.Handler()}
	hs := &http.Server{Handler: counter, ReadHeaderTimeout: 5 * time.Second}
	url, err := serve(hs)
	if err != nil {
		return err
	}
	defer hs.Close()

	if err := saveSession(url, cfgHome); err != nil {
		return fmt.Errorf("saving a live session for the app: %w", err)
	}
	env := append(os.Environ(), "XDG_CONFIG_HOME="+cfgHome, "SIGNET_TRACE_STARTUP=1", "LANG=en_US.UTF-8")
	app := []string{appBin, "--server", url}
	bare := []string{bareBin}

	// Warm-up: the first exec of each pays for the page cache.
	for _, argv := range [][]string{bare, app} {
		if _, err := startOnce(argv, env, timeout, nil); err != nil {
			return err
		}
	}
	for range runs {
		d, err := startOnce(bare, env, timeout, nil)
		if err != nil {
			return err
		}
		fmt.Printf("BenchmarkColdStart/bare \t1\t%d ns/op\n", d.Nanoseconds())

		counter.reset()
		var c counts
		t0 := time.Now() // within microseconds of startOnce's own; only for list-request-at-ms
		d, err = startOnce(app, env, timeout, func() { c = counter.snapshot() })
		if err != nil {
			return err
		}
		fmt.Printf("BenchmarkColdStart/app \t1\t%d ns/op\t%d requests/op\t%d list-requests/op\t%d signin-requests/op\t%d refresh-requests/op\t%d me-requests/op\t%.1f list-request-at-ms\n",
			d.Nanoseconds(), c.total, c.byPath["/api/items"], c.byPath["/auth/login"], c.byPath["/auth/refresh"], c.byPath["/api/me"],
			float64(c.first.Sub(t0))/1e6)
	}
	return nil
}

// startOnce execs argv, waits for its "startup: " line on stderr, stops it,
// and returns the time from exec to that line. onReady (if not nil) runs
// as soon as the line is read, before the process is stopped: the app's
// requests are counted there, so only those made before the list showed count.
func startOnce(argv, env []string, timeout time.Duration, onReady func()) (time.Duration, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return 0, err
	}
	ready := make(chan time.Time, 1)
	var tail strings.Builder
	var mu sync.Mutex
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	go func() {
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			if strings.HasPrefix(s.Text(), "startup: ") {
				select {
				case ready <- time.Now():
				default:
				}
				continue
			}
			mu.Lock()
			tail.WriteString(s.Text() + "\n")
			mu.Unlock()
		}
	}()
	var d time.Duration
	select {
	case t1 := <-ready:
		d = t1.Sub(t0)
		if onReady != nil {
			onReady()
		}
	case <-time.After(timeout):
		err = fmt.Errorf("%s gave no startup line within %v", filepath.Base(argv[0]), timeout)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
	if err != nil {
		mu.Lock()
		defer mu.Unlock()
		return 0, fmt.Errorf("%w; its stderr:\n%s", err, tail.String())
	}
	return d, nil
}

// saveSession signs in as the app would and leaves what the app restores:
// the tokens in the real keychain (service appID) and the preferences in
// the file Fyne reads ($XDG_CONFIG_HOME/fyne/<appID>/preferences.json).
func saveSession(url, cfgHome string) error {
	client, err := api.New(api.Config{Profile: api.DemoProfile(url)})
	if err != nil {
		return err
	}
	prefs := session.NewMemoryPreferences()
	ctrl, err := session.New(session.Config{Client: client, Keychain: keychain.NewOS(appID, keychain.Options{}),
		Prefs: prefs, Service: appID, StorageKey: storageKey(url)})
	if err != nil {
		return err
	}
	defer ctrl.Close()
	ctx := context.Background()
	ctrl.Restore(ctx)
	if err := ctrl.SignIn(ctx, demo.DemoUsername, demo.DemoPassword); err != nil {
		return err
	}
	if s := ctrl.Snapshot(); s.MemoryOnly {
		return errors.New("the keychain is not available: run under scripts/with-keyring.sh")
	}
	dir := filepath.Join(cfgHome, "fyne", appID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(prefs.All())
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "preferences.json"), b, 0o600)
}

// storageKey is the key main gives the session of a --server backend
// (storageKey in ../../backend/resolve.go): the profile name and the server's
// host:port, so the app finds the session saved here.
func storageKey(baseURL string) string {
	return "demo@" + strings.TrimPrefix(baseURL, "http://")
}

func serve(hs *http.Server) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// requestCounter counts every request to the backend, by path.
type requestCounter struct {
	next   http.Handler
	mu     sync.Mutex
	total  int
	byPath map[string]int
	first  time.Time
}

type counts struct {
	total  int
	byPath map[string]int
	first  time.Time // when the first request arrived
}

func (c *requestCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	if c.byPath == nil {
		c.byPath = map[string]int{}
	}
	if c.total == 0 {
		c.first = time.Now()
	}
	c.total++
	c.byPath[r.URL.Path]++
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *requestCounter) reset() {
	c.mu.Lock()
	c.total, c.byPath, c.first = 0, map[string]int{}, time.Time{}
	c.mu.Unlock()
}

func (c *requestCounter) snapshot() counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[string]int, len(c.byPath))
	for k, v := range c.byPath {
		m[k] = v
	}
	return counts{total: c.total, byPath: m, first: c.first}
}
