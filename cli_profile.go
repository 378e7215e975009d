package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"golang.org/x/term"

	"signet/api"
	"signet/backend"
	"signet/profile"
)

// profileUsage explains `signet profile`.
const profileUsage = `Usage: signet profile check FILE
       signet profile try FILE --username U

  check  validates the profile and says what it does. Exit 0 when it can be
         used, 2 with every problem, one per line (file:line: key: message).
  try    runs the profile's whole cycle once against the real server: sign in,
         the first page of every list, a refresh, the list again, sign out.
         The password is read from the terminal without echo, or as one line
         from standard input (printf 'pw\n' | signet profile try ...). Tokens
         are shortened, the password is never printed, nothing is stored.
         Exit 0 when every step worked, 1 when one failed (the transcript
         names the step and the profile key most likely wrong).

Instead of FILE, --preset NAME --base-url URL names a shipped preset on your
server; --base-url with FILE points the file at another server. No window is
opened. docs/profiles.md explains every key.
`

// runProfile runs `signet profile ...` (args without "profile") and returns
// the exit code. It needs no display and touches no keychain.
func runProfile(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, profileUsage)
		return 2
	}
	switch args[0] {
	case "check":
		return profileCheck(args[1:], stdout, stderr)
	case "try":
		return profileTry(args[1:], stdin, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, profileUsage)
		return 0
	}
	fmt.Fprintf(stderr, "signet profile: unknown subcommand %q\n\n%s", args[0], profileUsage)
	return 2
}

// profileArgs are a profile subcommand's arguments.
type profileArgs struct {
	file, preset, baseURL, username string
}

// parseProfileArgs reads a subcommand's arguments, flags before or after
// FILE. Problems are explained on stderr; the error is flag.ErrHelp after
// -help and errBadFlags otherwise.
func parseProfileArgs(cmd string, args []string, stderr io.Writer) (profileArgs, error) {
	fs := flag.NewFlagSet("signet profile "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, profileUsage) }
	var a profileArgs
	fs.StringVar(&a.preset, "preset", "", "use a preset instead of a file: "+strings.Join(backend.PresetNames(), ", "))
	fs.StringVar(&a.baseURL, "base-url", "", "the server's `URL`, instead of the profile's own")
	if cmd == "try" {
		fs.StringVar(&a.username, "username", "", "sign in as `user`")
	}
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return a, err
			}
			return a, errBadFlags // the flag package has explained
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	bad := func(format string, args ...any) (profileArgs, error) {
		fmt.Fprintf(stderr, "signet profile %s: "+format+"\n", append([]any{cmd}, args...)...)
		fmt.Fprintln(stderr, "Run 'signet profile help' for how to use it.")
		return a, errBadFlags
	}
	switch {
	case len(files) > 1:
		return bad("one profile at a time, not %d", len(files))
	case len(files) == 1 && a.preset != "":
		return bad("name a profile file or --preset, not both")
	case len(files) == 0 && a.preset == "":
		return bad("name the profile file to %s (or --preset NAME --base-url URL)", cmd)
	case cmd == "try" && a.username == "":
		return bad("--username is required: the account to sign in with")
	}
	if len(files) == 1 {
		a.file = files[0]
	}
	if a.preset != "" {
		if _, ok := profile.FindPreset(a.preset); !ok {
			return bad("there is no preset %q; the presets are %s", a.preset, strings.Join(backend.PresetNames(), ", "))
		}
	}
	if a.baseURL != "" {
		v, err := checkURLFlag("base-url", a.baseURL)
		if err != nil {
			return bad("%v", err)
		}
		a.baseURL = v
	}
	return a, nil
}

// name is how the output calls the profile: its file as given, or the preset.
func (a profileArgs) name() string {
	if a.file != "" {
		return a.file
	}
	return "preset " + a.preset
}

// load reads and validates the profile the arguments name.
func (a profileArgs) load() (api.Profile, error) {
	if a.file != "" {
		p, err := profile.Load(a.file)
		if err == nil && a.baseURL != "" {
			p, err = profile.WithBaseURL(p, a.baseURL)
		}
		return p, err
	}
	pr, _ := profile.FindPreset(a.preset) // parseProfileArgs checked the name
	return pr.Profile(a.baseURL)
}

// loadOrReport loads the profile; when it can't be used, it explains why
// on stderr, every problem on its own line, and reports false.
func (a profileArgs) loadOrReport(stderr io.Writer) (api.Profile, bool) {
	p, err := a.load()
	if err == nil {
		return p, true
	}
	var v *profile.ValidationError
	if !errors.As(err, &v) {
		fmt.Fprintf(stderr, "signet: %v\n", err)
		return api.Profile{}, false
	}
	for _, l := range v.Lines() {
		fmt.Fprintln(stderr, l)
	}
	if a.preset != "" && a.baseURL == "" {
		fmt.Fprintln(stderr, "Give the preset your server's address with --base-url URL.")
	}
	return api.Profile{}, false
}

// parseAndLoad is the part check and try share: the arguments, then the
// profile. code is the exit code when ok is false.
func parseAndLoad(cmd string, args []string, stderr io.Writer) (a profileArgs, p api.Profile, code int, ok bool) {
	a, err := parseProfileArgs(cmd, args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return a, p, 0, false
	case err != nil:
		return a, p, 2, false
	}
	p, ok = a.loadOrReport(stderr)
	return a, p, 2, ok
}

func profileCheck(args []string, stdout, stderr io.Writer) int {
	a, p, code, ok := parseAndLoad("check", args, stderr)
	if !ok {
		return code
	}
	fmt.Fprintf(stdout, "%s: ok\n%s\n", a.name(), wrap(profileSummary(p), 80))
	return 0
}

func profileTry(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a, p, code, ok := parseAndLoad("try", args, stderr)
	if !ok {
		return code
	}
	password, err := readPassword(stdin, stderr, a.username)
	if err != nil {
		fmt.Fprintf(stderr, "signet profile try: %v\n", err)
		return 2
	}
	// Ctrl-C stops the try, which still signs out if it signed in.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err = profile.Try(ctx, p, a.username, password, stdout)
	var te *profile.TryError
	switch {
	case err == nil:
		fmt.Fprintln(stdout, "Every step worked. Nothing was stored.")
		return 0
	case errors.As(err, &te):
		fmt.Fprintf(stdout, "The try failed at: %s. Most likely wrong: %s\n", te.Step, te.Key)
	default:
		fmt.Fprintf(stdout, "The try stopped: %v\n", err)
	}
	return 1
}

// maxPasswordLine caps what is read from a piped standard input.
const maxPasswordLine = 4096

// readPassword asks for the password on a terminal without echoing it, or
// reads one line from stdin when that is a pipe or file, for scripts.
func readPassword(stdin io.Reader, prompt io.Writer, username string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return readTerminalPassword(int(f.Fd()), prompt, username)
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, maxPasswordLine)).ReadString('\n')
	switch {
	case err != nil && (!errors.Is(err, io.EOF) || line == ""):
		return "", errors.New("no password on standard input: type it at a terminal, or pipe it in as one line")
	case err != nil && len(line) == maxPasswordLine:
		return "", fmt.Errorf("the first line of standard input is longer than %d bytes: it can't be the password", maxPasswordLine-1)
	}
	return nonEmpty(strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"))
}

// readTerminalPassword reads the password from the terminal fd without
// echo. Ctrl-C meanwhile puts the echo back before exiting: ReadPassword
// alone would leave the terminal not showing what is typed.
func readTerminalPassword(fd int, prompt io.Writer, username string) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("can't read the password: %w", err)
	}
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt)
	done := make(chan struct{})
	defer func() {
		signal.Stop(interrupted)
		close(done)
	}()
	go func() {
		select {
		case <-interrupted:
			_ = term.Restore(fd, state)
			fmt.Fprintln(prompt)
			os.Exit(130) // as the shell reports a Ctrl-C
		case <-done:
		}
	}()
	fmt.Fprintf(prompt, "Password for %s: ", username)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("can't read the password: %w", err)
	}
	return nonEmpty(string(b))
}

func nonEmpty(password string) (string, error) {
	if password == "" {
		return "", errors.New("the password is empty")
	}
	return password, nil
}
