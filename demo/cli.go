package demo

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

// DefaultAddr is where `signet demo-server` listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8080"

// RunCLI runs the `signet demo-server` subcommand (args exclude the
// subcommand's name) until SIGINT or SIGTERM, and returns the exit code:
// 0 after a clean stop or -help, 2 for bad flags, 1 when the server cannot
// start. The only line on stdout is "demo server listening on <URL>", so
// scripts can read the URL; logs go to stderr.
func RunCLI(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runCLI(ctx, args, stdout, stderr)
}

// runCLI is RunCLI with the stop signal as a context, for tests.
func runCLI(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("signet demo-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: signet demo-server [flags]\n\n"+
			"Runs the demo Login API that Signet's demo profile signs in to.\n"+
			"Sign in as user %q.\n\nFlags:\n", DemoUsername)
		fs.PrintDefaults()
	}
	var cfg Config
	var verbose bool
	addr := fs.String("addr", DefaultAddr, "`host:port` to listen on (port 0 picks a free one)")
	fs.StringVar(&cfg.DataPath, "data", DefaultDataPath(), "data `file` holding users, sessions and the signing key")
	fs.DurationVar(&cfg.TokenTTL, "token-ttl", DefaultTokenTTL, "access token lifetime (at least 1s)")
	fs.DurationVar(&cfg.RefreshTTL, "refresh-ttl", DefaultRefreshTTL, "refresh token lifetime, renewed on every refresh")
	fs.DurationVar(&cfg.RefreshDelay, "refresh-delay", 0, "extra latency for every refresh (to watch concurrent refreshes)")
	fs.BoolVar(&cfg.DisableRefresh, "no-refresh", false, "act like an API without refresh tokens")
	fs.BoolVar(&cfg.Stats, "stats", false, "serve the request counters at GET /stats")
	fs.BoolVar(&verbose, "v", false, "log every request")

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2 // the flag package has already explained
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "signet demo-server: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}

	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	srv, err := Open(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "signet demo-server: %v\n", err)
		return 1
	}
	url, err := srv.Start(*addr)
	if err != nil {
		_ = srv.Close()
		fmt.Fprintf(stderr, "signet demo-server: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "demo server listening on %s\n", url)

	<-ctx.Done()
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "signet demo-server: stopping: %v\n", err)
		return 1
	}
	return 0
}

// DefaultDataPath is the data file `signet demo-server` uses unless told
// otherwise. It lives in the user's cache folder because the data is
// disposable (delete the file to reset the demo) yet worth keeping across
// runs, so that a signed-in app stays signed in.
func DefaultDataPath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "signet", "demo-server.db")
}
