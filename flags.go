package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"signet/demo"
)

// options is what the command line asks for.
type options struct {
	// server is the base URL of an already running demo-style backend;
	// empty means the embedded demo backend.
	server   string
	tokenTTL time.Duration
	logLevel slog.Level
	version  bool
}

// parseFlags reads the command line (without the program name). Problems
// are explained on stderr; the error is flag.ErrHelp after -help, and
// errBadFlags otherwise, so the caller only picks the exit code.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("signet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: signet [flags]\n"+
			"       signet demo-server [flags]   (run the demo backend alone; -help for its flags)\n\n"+
			"Signs you in to a Login API and shows your protected lists. Without --server it\n"+
			"starts the embedded demo backend (account demo / demo1234).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	var o options
	var level string
	fs.StringVar(&o.server, "server", "", "use the demo-style backend already running at `URL` instead of the embedded one")
	fs.DurationVar(&o.tokenTTL, "token-ttl", demo.DefaultTokenTTL, "auth token lifetime of the embedded demo backend (at least 1s)")
	fs.StringVar(&level, "log-level", "info", "how much to log on stderr: info or debug (secrets are always redacted)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, errBadFlags // the flag package has explained
	}
	bad := func(format string, a ...any) (options, error) {
		fmt.Fprintf(stderr, "signet: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'signet -help' for the flags.")
		return o, errBadFlags
	}
	if fs.NArg() > 0 {
		return bad("unexpected argument %q", fs.Arg(0))
	}
	switch strings.ToLower(level) {
	case "info":
		o.logLevel = slog.LevelInfo
	case "debug":
		o.logLevel = slog.LevelDebug
	default:
		return bad("--log-level must be info or debug, not %q", level)
	}
	if o.tokenTTL < time.Second {
		return bad("--token-ttl %v is too short: it must be at least 1s", o.tokenTTL)
	}
	if o.server != "" {
		if flagSet(fs, "token-ttl") {
			return bad("--token-ttl sets the embedded demo backend's token lifetime; it can't be used with --server")
		}
		u, err := url.Parse(o.server)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("--server wants a URL such as http://127.0.0.1:8080, not %q", o.server)
		}
		o.server = strings.TrimRight(o.server, "/")
	}
	return o, nil
}

// errBadFlags: the command line could not be used (exit code 2).
var errBadFlags = errors.New("bad flags")

func flagSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}
