package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"signet/assets"
	"signet/backend"
	"signet/demo"
	"signet/profile"
	"signet/session"
	"signet/session/keychain"
	"signet/ui"
)

// appID names the app to the OS: preferences folder, keychain service.
const appID = "io.signet.app"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "demo-server" {
		os.Exit(demo.RunCLI(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	stampVersion()
	opts, code, done := commandLine(args, stdout, stderr)
	if done {
		return code
	}
	// A backend named on the command line or in the environment is checked
	// before any window opens: a mistake there is the caller's to fix.
	envFile := os.Getenv(backend.ProfileEnv)
	if c, src := backend.Choose(opts.choice(), opts.baseURL, envFile, backend.Choice{}); src <= backend.FromEnv {
		if err := backend.Check(c); err != nil {
			return reportBackendError(stderr, c, src, err)
		}
	}
	if displayMissing(runtime.GOOS, os.Getenv) {
		fmt.Fprintln(stderr, noDisplayMessage(""))
		return 1
	}
	return runWindow(opts, envFile, stderr)
}

// commandLine runs what needs no window (the profile commands, help,
// -version) and parses the flags; done says the run is over, with code.
func commandLine(args []string, stdout, stderr io.Writer) (opts options, code int, done bool) {
	if len(args) > 0 {
		switch args[0] {
		case "profile":
			return options{}, runProfile(args[1:], os.Stdin, stdout, stderr), true
		case "help":
			args = []string{"-help"}
		}
	}
	opts, err := parseFlags(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return opts, 0, true
	case err != nil:
		return opts, 2, true
	case opts.version:
		fmt.Fprintln(stdout, "signet", appVersion())
		return opts, 0, true
	}
	return opts, 0, false
}

// runWindow opens the window, starts the chosen backend's session and runs
// the app until its window closes.
func runWindow(opts options, envFile string, stderr io.Writer) int {
	secrets := session.NewSecrets()
	logger := newLogger(stderr, opts.logLevel, secrets)
	a := app.NewWithID(appID)
	// Font loading takes a good part of building the first screen; it
	// runs on the other core while the window opens and the session is
	// restored.
	ui.WarmUp()
	// The window first: it is what needs a display, and nothing has started
	// yet if there is none.
	w, err := openWindow(a, "Signet")
	if err != nil {
		fmt.Fprintln(stderr, noDisplayMessage(os.Getenv("DISPLAY")))
		return 1
	}
	// The app's icon only once the window exists: a window created while
	// the app has one queues it for its own icon, and with the SetIcon
	// below Fyne would decode the 256-pixel picture and send it to the X
	// server twice as the window is created, on the cold start's path.
	a.SetIcon(assets.Icon)
	storage, state, err := openStorage(a, logger)
	if err != nil {
		fmt.Fprintf(stderr, "signet: %v\n", err)
		return 1
	}
	demoHint := fmt.Sprintf("Demo account: %s / %s", demo.DemoUsername, demo.DemoPassword)
	backends := backend.New(backend.Config{
		Prefs:      state, // session state and backend choice: never Fyne's preferences (design R14)
		Service:    appID,
		Keychain:   appKeychain(a, storage),
		Storage:    storage,
		TokenTTL:   opts.tokenTTL,
		Logger:     logger,
		Secrets:    secrets,
		DemoLogger: demoLogger(stderr, opts.logLevel, secrets),
		DemoHint:   demoHint,
	})
	defer backends.Close()
	choice, src := backend.Choose(opts.choice(), opts.baseURL, envFile, backend.LoadChoice(state))
	ctrl, err := backends.Start(choice, src)
	if err != nil {
		return reportBackendError(stderr, choice, src, err)
	}
	backend.AwaitRestore(ctrl, 300*time.Millisecond)

	w.SetIcon(assets.Icon256)
	ui.RestoreWindowSize(a, w) // as it was last time; first start: a comfortable default
	w.CenterOnScreen()
	uiOpts := ui.Options{Backends: backends, Version: appVersion(), Logger: logger}
	if cur := backends.Current(); cur.File == "" && cur.Preset == profile.DefaultPresetName {
		uiOpts.DemoHint = demoHint
	}
	signet := ui.New(a, w, ctrl, uiOpts)
	defer signet.Close()
	if _, err := backends.Rejected(); err != nil {
		signet.ShowServer() // says why the saved choice is not in use
	}

	w.ShowAndRun()
	return 0
}

// openStorage makes the app's private folder and opens the session state
// file in it.
func openStorage(a fyne.App, logger *slog.Logger) (string, *session.StateFile, error) {
	storage := a.Storage().RootURI().Path()
	if err := os.MkdirAll(storage, 0o700); err != nil {
		return "", nil, fmt.Errorf("can't create the app's storage folder: %w", err)
	}
	state, err := openState(storage, a.Preferences(), logger)
	if err != nil {
		return "", nil, err
	}
	return storage, state, nil
}

// appKeychain is the OS keychain, with the plaintext file used only while
// the keychain can't be and only after the person opted in (ui's
// FileFallbackPref).
func appKeychain(a fyne.App, storage string) keychain.Store {
	return keychain.NewFallback(keychain.NewOS(appID, keychain.Options{}),
		keychain.NewFile(filepath.Join(storage, "secrets.json")),
		func() bool { return a.Preferences().Bool(ui.FileFallbackPref) })
}

// newLogger logs to stderr through the session's redacting handler, which
// also cuts every secret the sessions hold (secrets), so no token or
// password can reach the log (design R13).
func newLogger(w io.Writer, level slog.Level, secrets *session.Secrets) *slog.Logger {
	return slog.New(session.NewRedactingHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}), secrets))
}

// demoLogger keeps the embedded backend to warnings unless debugging: its
// info lines are one per request.
func demoLogger(w io.Writer, level slog.Level, secrets *session.Secrets) *slog.Logger {
	if level > slog.LevelDebug {
		level = slog.LevelWarn
	}
	return newLogger(w, level, secrets).With("component", "demo")
}
