// Signet signs a person in to a token-issuing Login API, keeps the session in
// the OS keychain, renews it before it runs out, and shows the protected
// lists. This file only wires the parts together; see ui, session, api and
// demo for the rest.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"signet/api"
	"signet/assets"
	"signet/demo"
	"signet/session"
	"signet/session/keychain"
	"signet/ui"
)

// appID names the app to the OS: preferences folder, keychain service.
const appID = "io.signet.app"

// version is set at release time with -ldflags "-X main.version=…".
var version = "1.0.0"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "demo-server" {
		os.Exit(demo.RunCLI(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		return 2
	case opts.version:
		fmt.Fprintln(stdout, "signet", version)
		return 0
	}

	logger := newLogger(stderr, opts.logLevel)
	a := app.NewWithID(appID)
	a.SetIcon(assets.Icon)
	storage := a.Storage().RootURI().Path()
	if err := os.MkdirAll(storage, 0o700); err != nil {
		fmt.Fprintf(stderr, "signet: can't create the app's storage folder: %v\n", err)
		return 1
	}

	baseURL := opts.server
	if baseURL == "" {
		srv, err := demo.Open(demo.Config{
			DataPath: filepath.Join(storage, "demo.db"),
			TokenTTL: opts.tokenTTL,
			Logger:   demoLogger(stderr, opts.logLevel),
		})
		if err != nil {
			fmt.Fprintf(stderr, "signet: can't open the demo backend: %v\n", err)
			return 1
		}
		defer srv.Close()
		if baseURL, err = srv.Start("127.0.0.1:0"); err != nil {
			fmt.Fprintf(stderr, "signet: can't start the demo backend: %v\n", err)
			return 1
		}
		logger.Info("embedded demo backend started", "url", baseURL, "auth_lifetime", opts.tokenTTL.String())
	}

	client, err := api.New(api.Config{Profile: api.DemoProfile(baseURL)})
	if err != nil {
		fmt.Fprintf(stderr, "signet: %v\n", err)
		return 2
	}
	ctrl, err := session.New(session.Config{
		Client:   client,
		Keychain: keychain.NewOS(appID, keychain.Options{}),
		Prefs:    a.Preferences(),
		Service:  appID,
		Logger:   logger,
		LockPath: filepath.Join(storage, "session.lock"),
	})
	if err != nil {
		fmt.Fprintf(stderr, "signet: %v\n", err)
		return 1
	}
	defer ctrl.Close()

	w := a.NewWindow("Signet")
	w.SetIcon(assets.Icon)
	w.Resize(fyne.NewSize(900, 640))
	w.CenterOnScreen()
	signet := ui.New(a, w, ctrl, ui.Options{
		DemoHint: fmt.Sprintf("Demo account: %s / %s", demo.DemoUsername, demo.DemoPassword),
	})
	defer signet.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ctrl.Restore(ctx)

	w.ShowAndRun()
	return 0
}

// newLogger logs to stderr through the session's redacting handler, so no
// token or password can reach the log (rule R13).
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(session.NewRedactingHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})))
}

// demoLogger keeps the embedded backend to warnings unless debugging: its
// info lines are one per request.
func demoLogger(w io.Writer, level slog.Level) *slog.Logger {
	if level > slog.LevelDebug {
		level = slog.LevelWarn
	}
	return newLogger(w, level).With("component", "demo")
}
