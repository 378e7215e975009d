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

	"signet/backend"
	"signet/demo"
	"signet/profile"
)

// options is what the command line asks for.
type options struct {
	// server is the base URL of an already running demo-style backend;
	// empty means the embedded demo backend. Kept from before profiles:
	// it means --preset demo --base-url URL.
	server string
	// profile is a profile file's path and preset a preset's name (at
	// most one of them); baseURL overrides the chosen backend's address.
	// All empty: SIGNET_PROFILE, then the saved choice, then demo
	// (backend.Choose).
	profile, preset, baseURL string
	tokenTTL                 time.Duration
	logLevel                 slog.Level
	version                  bool
}

// parseFlags reads the command line (without the program name). Problems
// are explained on stderr; the error is flag.ErrHelp after -help, and
// errBadFlags otherwise, so the caller only picks the exit code.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var level string
	fs := newFlagSet(&o, &level, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, errBadFlags // the flag package has explained
	}
	if fs.NArg() > 0 {
		return o, badFlags(stderr, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if err := o.check(level, flagSet(fs, "token-ttl")); err != nil {
		return o, badFlags(stderr, err)
	}
	return o, nil
}

// newFlagSet defines the flags into o (and level, the --log-level text).
func newFlagSet(o *options, level *string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("signet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: signet [flags]\n"+
			"       signet profile check FILE             (check a profile; no window)\n"+
			"       signet profile try FILE --username U  (try it against the real server)\n"+
			"       signet demo-server [flags]            (run the demo backend alone; -help for its flags)\n\n"+
			"Signs you in to a Login API and shows your protected lists. The backend is, in\n"+
			"order: --profile/--preset/--server, $"+backend.ProfileEnv+", the one last applied on the\n"+
			"Server screen, or the embedded demo backend (account demo / demo1234).\n"+
			"docs/profiles.md explains profiles.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.profile, "profile", "", "use the backend described by the profile `file` (TOML; overrides $"+backend.ProfileEnv+")")
	fs.StringVar(&o.preset, "preset", "", "use a preset: "+strings.Join(backend.PresetNames(), ", "))
	fs.StringVar(&o.baseURL, "base-url", "", "talk to the chosen preset or profile at `URL` instead of its own address")
	fs.StringVar(&o.server, "server", "", "use the demo-style backend already running at `URL` (same as --preset demo --base-url URL)")
	fs.DurationVar(&o.tokenTTL, "token-ttl", demo.DefaultTokenTTL, "auth token lifetime of the embedded demo backend (at least 1s)")
	fs.StringVar(level, "log-level", "info", "how much to log on stderr: info or debug (secrets are always redacted)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	return fs
}

// badFlags explains err on stderr and returns errBadFlags.
func badFlags(stderr io.Writer, err error) error {
	fmt.Fprintf(stderr, "signet: %v\n", err)
	fmt.Fprintln(stderr, "Run 'signet -help' for the flags.")
	return errBadFlags
}

// check validates the parsed flags and fills in what they imply: the log
// level from its text, addresses without a trailing slash. ttlSet: the
// command line gave --token-ttl.
func (o *options) check(level string, ttlSet bool) error {
	switch strings.ToLower(level) {
	case "info":
		o.logLevel = slog.LevelInfo
	case "debug":
		o.logLevel = slog.LevelDebug
	default:
		return fmt.Errorf("--log-level must be info or debug, not %q", level)
	}
	if o.tokenTTL < time.Second {
		return fmt.Errorf("--token-ttl %v is too short: it must be at least 1s", o.tokenTTL)
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"server", &o.server}, {"base-url", &o.baseURL}} {
		if *f.v == "" {
			continue
		}
		v, err := checkURLFlag(f.name, *f.v)
		if err != nil {
			return err
		}
		*f.v = v
	}
	switch {
	case o.server != "" && (o.profile != "" || o.preset != "" || o.baseURL != ""):
		return fmt.Errorf("--server can't be combined with --profile, --preset or --base-url; use --preset demo --base-url %s", o.server)
	case o.profile != "" && o.preset != "":
		return errors.New("choose one backend: --profile or --preset, not both")
	}
	if o.preset != "" {
		if _, ok := profile.FindPreset(o.preset); !ok {
			return fmt.Errorf("there is no preset %q; the presets are %s", o.preset, strings.Join(backend.PresetNames(), ", "))
		}
	}
	// The token lifetime is the embedded demo's; any other backend sets
	// its own.
	if ttlSet && (o.server != "" || o.profile != "" || o.baseURL != "" ||
		(o.preset != "" && o.preset != profile.DefaultPresetName)) {
		return errors.New("--token-ttl sets the embedded demo backend's token lifetime; it can't be used with another backend")
	}
	return nil
}

// checkURLFlag checks the server address given to --name and returns it
// without a trailing slash.
func checkURLFlag(name, v string) (string, error) {
	// A user name or password in the address is refused before anything
	// quotes the address: it must reach no output.
	if backend.HasUserinfo(v) {
		return "", fmt.Errorf("--%s must not contain a user name or password; sign-in credentials go in the sign-in form", name)
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("--%s wants a URL such as http://127.0.0.1:8080, not %q", name, v)
	}
	return strings.TrimRight(v, "/"), nil
}

// errBadFlags: the command line could not be used (exit code 2).
var errBadFlags = errors.New("bad flags")

func flagSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// choice is the backend the flags name, zero when they name none. --base-url
// is not a choice but overrides whichever wins (backend.Choose).
func (o options) choice() backend.Choice {
	switch {
	case o.server != "":
		return backend.Choice{Preset: profile.DefaultPresetName, BaseURL: o.server}
	case o.profile != "":
		return backend.Choice{File: o.profile}
	case o.preset != "":
		return backend.Choice{Preset: o.preset}
	}
	return backend.Choice{}
}
