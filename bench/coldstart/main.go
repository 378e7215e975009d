// Command coldstart times what the real binaries put on the X server:
// Signet's cold start to rows against a bare Fyne window's cold start
// (./bare, built the same way), and then both windows left idle side by
// side. It needs a display (Xvfb with DAMAGE) and a real keychain
// (scripts/with-keyring.sh); scripts/bench.sh provides both.
//
// What is timed (no log lines, no hook in the app): the harness is an X
// client (display, xwatch.go). It puts a DAMAGE object on every top-level
// window as soon as the window is created, so it sees each frame the binary
// presents to the X server. A start is timed from just before exec to the
// arrival of the damage event of the first frame that shows the finished
// screen: the first frame whose pixels match a reference picture of that
// binary's settled window (taken in an unrecorded warm-up run, 2 s after
// the window appeared), allowing a difference of at most a tenth of the
// reference's non-background pixels (the app's countdown text and a text
// cursor differ between runs; a screen without its rows differs far more).
// For the bare window that is its first frame; for the app, its first
// frame with rows. Which frame an image shows is exact: X sequence numbers
// tell which damage events the server generated before it read the image.
//
// Starts alternate bare, app, bare, app… (runs pairs after one warm-up of
// each). The app restores a saved, live session (signed in here once with
// the real keychain and Fyne's preferences file), so it shows the list.
// The HTTP requests it made before its rows were on screen are counted.
//
// Idle: then both binaries run side by side (the bare window moved right,
// so neither covers the other) for idle seconds after a settling time, cut
// into windows of equal length: per window and binary, the CPU time from
// /proc/PID/stat as a percentage of one core, the frames per second (damage
// events), and VmRSS at the window's end; then the same over the whole time
// (CPU time is counted in 10 ms ticks, so a whole minute says more than
// one window).
//
// Output, in `go test -bench` format for bench/report:
//
//	BenchmarkColdStart/bare 1 <ns> ns/op <n> frame-no/op <ms> first-frame-ms <ms> mapped-ms
//	BenchmarkColdStart/app  1 <ns> ns/op <n> frame-no/op <ms> first-frame-ms <ms> mapped-ms <n> requests/op <n> list-requests/op ...
//	BenchmarkIdle/bare      1 <x> cpu-%/op <x> frames/s <x> RSS-MB
//	BenchmarkIdle/app       1 <x> cpu-%/op <x> frames/s <x> RSS-MB
//	BenchmarkIdleTotal/bare 1 <x> cpu-%/op <x> frames/s <n> frames/op <s> seconds/op
//	BenchmarkIdleTotal/app  (the same over the whole idle time)
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"signet/api"
	"signet/demo"
	"signet/session"
	"signet/session/keychain"
)

// appID is main.go's: the keychain service and the preferences folder.
const appID = "io.signet.app"

// settle is how long after its window appears a binary is taken to show
// its finished screen (reference pictures, start of the idle figure).
const settle = 2 * time.Second

func main() {
	appBin := flag.String("app", "bin/signet", "the Signet binary")
	bareBin := flag.String("bare", "bin/bare", "the bare Fyne window binary")
	runs := flag.Int("runs", 10, "recorded starts of each binary (pairs)")
	idle := flag.Duration("idle", 60*time.Second, "how long both windows are watched idle (0: not at all)")
	windows := flag.Int("idle-windows", 10, "into how many windows the idle time is cut")
	timeout := flag.Duration("timeout", 60*time.Second, "longest wait for one start")
	flag.Parse()
	if err := run(*appBin, *bareBin, *runs, *idle, *windows, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(appBin, bareBin string, runs int, idle time.Duration, windows int, timeout time.Duration) error {
	if os.Getenv("DISPLAY") == "" {
		return errors.New("no DISPLAY: run under Xvfb (scripts/bench.sh does)")
	}
	xgb.Logger = log.New(io.Discard, "", 0) // it logs the missing ~/.Xauthority that Xvfb doesn't need
	x, err := openDisplay()
	if err != nil {
		return err
	}
	defer x.close()
	cfgHome, err := os.MkdirTemp("", "signet-coldstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cfgHome)

	srv, err := demo.Open(demo.Config{TokenTTL: 2 * time.Hour, Stats: true})
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
	env := append(os.Environ(), "XDG_CONFIG_HOME="+cfgHome, "LANG=en_US.UTF-8")
	app := []string{appBin, "--server", url}
	bare := []string{bareBin}

	// Warm-up, which also takes each binary's reference picture.
	refs := map[string]*reference{}
	for _, argv := range [][]string{bare, app} {
		r, err := capture(x, argv, env, timeout)
		if err != nil {
			return err
		}
		refs[argv[0]] = r
		fmt.Fprintf(os.Stderr, "%s: reference picture %d pixels, %d not background\n", filepath.Base(argv[0]), r.pixels, r.ink)
	}
	for range runs {
		d, err := timeStart(x, bare, env, refs[bareBin], timeout, nil)
		if err != nil {
			return err
		}
		fmt.Printf("BenchmarkColdStart/bare \t1\t%d ns/op\t%d frame-no/op\t%.1f first-frame-ms\t%.1f mapped-ms\n",
			d.after.Nanoseconds(), d.frame, ms(d.first), ms(d.mapped))

		counter.reset()
		var c counts
		d, err = timeStart(x, app, env, refs[appBin], timeout, func() { c = counter.snapshot() })
		if err != nil {
			return err
		}
		fmt.Printf("BenchmarkColdStart/app \t1\t%d ns/op\t%d frame-no/op\t%.1f first-frame-ms\t%.1f mapped-ms\t%d requests/op\t%d list-requests/op\t%d signin-requests/op\t%d refresh-requests/op\t%d me-requests/op\n",
			d.after.Nanoseconds(), d.frame, ms(d.first), ms(d.mapped), c.total, c.byPath["/api/items"], c.byPath["/auth/login"], c.byPath["/auth/refresh"], c.byPath["/api/me"])
	}
	if idle > 0 {
		return idleSideBySide(x, bare, app, env, idle, windows, timeout)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// proc is a started binary; stop ends it.
type proc struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr strings.Builder
	done   chan struct{}
}

func start(argv, env []string) (*proc, error) {
	p := &proc{cmd: exec.Command(argv[0], argv[1:]...), done: make(chan struct{})}
	p.cmd.Env = env
	pipe, err := p.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		s := bufio.NewScanner(pipe)
		for s.Scan() {
			p.mu.Lock()
			if p.stderr.Len() < 64<<10 {
				p.stderr.WriteString(s.Text() + "\n")
			}
			p.mu.Unlock()
		}
		_ = p.cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// stop ends the process; err, if not nil, gets its stderr appended.
func (p *proc) stop(err error) error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	if err == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return fmt.Errorf("%s: %w; its stderr:\n%s", filepath.Base(p.cmd.Path), err, p.stderr.String())
}

// reference is a binary's settled window: its pixels, how many there are,
// and how many differ from the most common colour (the background).
type reference struct {
	img         []byte
	pixels, ink int
}

func capture(x *display, argv, env []string, timeout time.Duration) (*reference, error) {
	x.forget()
	p, err := start(argv, env)
	if err != nil {
		return nil, err
	}
	w, err := x.waitMapped(time.Now().Add(timeout))
	if err != nil {
		return nil, p.stop(err)
	}
	time.Sleep(settle)
	img, _, err := x.image(w)
	if err != nil {
		return nil, p.stop(err)
	}
	r := &reference{img: img, pixels: len(img) / 4}
	counts := map[uint32]int{}
	for i := 0; i+4 <= len(img); i += 4 {
		counts[binary.LittleEndian.Uint32(img[i:])&0xffffff]++
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	r.ink = r.pixels - most
	if r.ink == 0 {
		return nil, p.stop(errors.New("its settled window is blank"))
	}
	return r, p.stop(nil)
}

// matches says whether img shows what the reference shows (see the
// package comment for the tolerance).
func (r *reference) matches(img []byte) bool {
	if len(img) != len(r.img) {
		return false
	}
	if bytes.Equal(img, r.img) {
		return true
	}
	limit, diff := r.ink/10, 0
	for i := 0; i+4 <= len(img); i += 4 {
		if binary.LittleEndian.Uint32(img[i:])&0xffffff != binary.LittleEndian.Uint32(r.img[i:])&0xffffff {
			if diff++; diff > limit {
				return false
			}
		}
	}
	return true
}

// shown is when a start showed its finished screen: the time from exec,
// and which frame of the window it was (1 = the first); and when the
// window's first frame, whatever it showed, came, and when it was mapped.
type shown struct {
	after, first, mapped time.Duration // the matching frame, the window's first, its map
	frame                int
}

// timeStart execs argv and returns the time from exec to the arrival of
// the first frame that matches ref, and that frame's number. onShown (if not nil) runs as soon as
// that frame is known, before the process is stopped.
func timeStart(x *display, argv, env []string, ref *reference, timeout time.Duration, onShown func()) (shown, error) {
	x.forget()
	deadline := time.Now().Add(timeout)
	t0 := time.Now()
	p, err := start(argv, env)
	if err != nil {
		return shown{}, err
	}
	w, err := x.waitMapped(deadline)
	if err != nil {
		return shown{}, p.stop(err)
	}
	seen := 0
	for {
		for x.frameCount(w) == seen {
			if err := x.wait(deadline); err != nil {
				return shown{}, p.stop(fmt.Errorf("no frame matched its settled window within %v", timeout))
			}
		}
		seen = x.frameCount(w)
		img, seq, err := x.image(w)
		if err != nil {
			return shown{}, p.stop(err)
		}
		if !ref.matches(img) {
			continue
		}
		at, n := x.lastFrameBefore(w, seq)
		if n == 0 {
			return shown{}, p.stop(errors.New("a matching picture without a frame before it"))
		}
		if onShown != nil {
			onShown()
		}
		return shown{after: at.Sub(t0), first: x.firstFrame(w).Sub(t0), mapped: x.mapTime(w).Sub(t0), frame: n}, p.stop(nil)
	}
}

// idleSideBySide runs bare and app together and prints the idle figures.
func idleSideBySide(x *display, bare, app, env []string, idle time.Duration, windows int, timeout time.Duration) error {
	x.forget()
	deadline := time.Now().Add(timeout)
	pb, err := start(bare, env)
	if err != nil {
		return err
	}
	defer pb.stop(nil)
	wb, err := x.waitMapped(deadline)
	if err != nil {
		return pb.stop(err)
	}
	if err := x.move(wb, 960, 0); err != nil {
		return err
	}
	x.forget()
	pa, err := start(app, env)
	if err != nil {
		return err
	}
	defer pa.stop(nil)
	wa, err := x.waitMapped(deadline)
	if err != nil {
		return pa.stop(err)
	}
	time.Sleep(settle)

	type side struct {
		name   string
		p      *proc
		w      xproto.Window
		cpu    float64
		frames int
	}
	sides := []*side{{name: "bare", p: pb, w: wb}, {name: "app", p: pa, w: wa}}
	sample := func() error {
		for _, s := range sides {
			cpu, err := cpuSeconds(s.p.cmd.Process.Pid)
			if err != nil {
				return err
			}
			s.cpu, s.frames = cpu, x.frameCount(s.w)
		}
		return nil
	}
	if err := sample(); err != nil {
		return err
	}
	start, cpuStart, framesStart := time.Now(), []float64{sides[0].cpu, sides[1].cpu}, []int{sides[0].frames, sides[1].frames}
	step := idle / time.Duration(windows)
	for range windows {
		cpu0, frames0 := []float64{sides[0].cpu, sides[1].cpu}, []int{sides[0].frames, sides[1].frames}
		t0 := time.Now()
		time.Sleep(step)
		if err := sample(); err != nil {
			return err
		}
		secs := time.Since(t0).Seconds()
		for i, s := range sides {
			rss, err := rssMB(s.p.cmd.Process.Pid)
			if err != nil {
				return err
			}
			fmt.Printf("BenchmarkIdle/%s \t1\t%.3f cpu-%%/op\t%.3f frames/s\t%.2f RSS-MB\n",
				s.name, 100*(s.cpu-cpu0[i])/secs, float64(s.frames-frames0[i])/secs, rss)
		}
	}
	secs := time.Since(start).Seconds()
	for i, s := range sides {
		fmt.Printf("BenchmarkIdleTotal/%s \t1\t%.3f cpu-%%/op\t%.3f frames/s\t%d frames/op\t%.1f seconds/op\n",
			s.name, 100*(s.cpu-cpuStart[i])/secs, float64(s.frames-framesStart[i])/secs, s.frames-framesStart[i], secs)
	}
	return nil
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// Linux the app runs on (sysconf needs cgo).
const clockTicks = 100

// cpuSeconds is the user + system CPU time of process pid, all threads.
func cpuSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses: state
	// is the first of them, utime the 12th, stime the 13th.
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return (ut + st) / clockTicks, nil
}

// rssMB is the resident set size of process pid (VmRSS) in MiB.
func rssMB(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmRSS", pid)
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
}

type counts struct {
	total  int
	byPath map[string]int
}

func (c *requestCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	if c.byPath == nil {
		c.byPath = map[string]int{}
	}
	c.total++
	c.byPath[r.URL.Path]++
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *requestCounter) reset() {
	c.mu.Lock()
	c.total, c.byPath = 0, map[string]int{}
	c.mu.Unlock()
}

func (c *requestCounter) snapshot() counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[string]int, len(c.byPath))
	for k, v := range c.byPath {
		m[k] = v
	}
	return counts{total: c.total, byPath: m}
}
