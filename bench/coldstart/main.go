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
//
// The files: main.go runs it all; starts.go times one start against its
// reference picture; idle.go the windows side by side; xwatch.go watches
// the X server; proc.go starts and stops the binaries and reads their CPU
// time and memory; backend.go is the demo backend and the saved session.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/jezek/xgb"

	"signet/demo"
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
