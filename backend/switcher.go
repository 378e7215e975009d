package backend

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"signet/api"
	"signet/demo"
	"signet/profile"
	"signet/session"
	"signet/session/keychain"
)

// Config is what every backend's session shares.
type Config struct {
	// Prefs holds the saved choice and each backend's session state.
	Prefs    session.Preferences
	Keychain keychain.Store // nil: memory only
	// Service names the app to the keychain (its app ID).
	Service string
	// Storage is the app's folder: the embedded demo's data and the
	// cross-process refresh lock live there.
	Storage  string
	TokenTTL time.Duration // the embedded demo's auth token lifetime
	Logger   *slog.Logger
	// Secrets is the one set of secrets every session registers with, so
	// the app's whole log (Logger's redacting handler reads the same set)
	// is scrubbed of every token any session holds (design R13). Nil: each
	// session keeps its own.
	Secrets *session.Secrets
	// DemoLogger is the embedded demo backend's logger.
	DemoLogger *slog.Logger
	// DemoHint is shown under the sign-in form while the demo preset is
	// in use.
	DemoHint string
}

// Switcher builds the session for a chosen backend and switches between
// them (the UI's Backends). It owns the session in use and the embedded
// demo backend, which runs only while the demo preset is used at its own
// address.
type Switcher struct {
	cfg Config

	// switchMu serialises switches (which may take a while: the demo
	// backend starts, a profile file is read) and Close. mu guards the
	// fields below, briefly, so the window never waits for a switch.
	// ctrl, demo and closed change only with both held.
	switchMu    sync.Mutex
	mu          sync.Mutex
	current     Choice
	rejected    Choice // the saved choice that failed at start-up
	rejectedErr error
	ctrl        *session.Controller
	demo        *demo.Server // nil unless the embedded demo is in use
	stopRestore context.CancelFunc
	closed      bool

	restores sync.WaitGroup
}

// New returns a Switcher with no backend in use yet; Start picks the first.
func New(cfg Config) *Switcher {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Switcher{cfg: cfg}
}

// Start opens the session for c, chosen by src, and starts restoring it. A
// saved choice that no longer works (the file was deleted or broken since)
// must not keep the app from starting: the demo is used instead, and the
// failure is kept for the Server screen (Rejected). A choice made on the
// command line or in the environment is the caller's to report.
func (b *Switcher) Start(c Choice, src Source) (*session.Controller, error) {
	ctrl, err := b.use(c, false)
	if err == nil || src != FromSaved {
		return ctrl, err
	}
	b.cfg.Logger.Warn("the saved backend can't be used; starting with the demo backend", "err", err)
	ctrl, err2 := b.use(Choice{Preset: profile.DefaultPresetName}, false)
	if err2 != nil {
		return nil, err2
	}
	c.BaseURL = Redact(c.BaseURL) // the Server screen shows it
	b.mu.Lock()
	b.rejected, b.rejectedErr = c, err
	b.mu.Unlock()
	return ctrl, nil
}

// Current is the choice in use.
func (b *Switcher) Current() Choice {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.current
}

// Rejected is the saved choice that Start set aside, and why.
func (b *Switcher) Rejected() (Choice, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rejected, b.rejectedErr
}

// Presets lists the shipped presets for the Server screen.
func (b *Switcher) Presets() []PresetInfo {
	var out []PresetInfo
	for _, p := range profile.Presets() {
		info := PresetInfo{Name: p.Name, Title: p.Title, Description: p.Description}
		if p.Name == profile.DefaultPresetName {
			info.Hint = b.cfg.DemoHint
		}
		out = append(out, info)
	}
	return out
}

// Describe loads and checks c. The embedded demo's address is its running
// address, or empty while it is not running.
func (b *Switcher) Describe(c Choice) (api.Profile, error) {
	p, embedded, err := resolve(absChoice(c))
	if err != nil {
		return api.Profile{}, err
	}
	if embedded {
		b.mu.Lock()
		p.BaseURL = ""
		if b.demo != nil {
			p.BaseURL = b.demo.URL()
		}
		b.mu.Unlock()
	}
	return p, nil
}

// Switch makes c the backend in use and saves it as the person's choice.
// On failure the previous session stays in use.
func (b *Switcher) Switch(c Choice) (*session.Controller, error) {
	return b.use(c, true)
}

// use opens c's session, closes the previous one (and the embedded demo
// when c does not need it), optionally saves c, and starts the restore.
// On failure the previous session stays in use.
func (b *Switcher) use(c Choice, save bool) (*session.Controller, error) {
	c = absChoice(c)
	p, embedded, err := resolve(c)
	if err != nil {
		return nil, err
	}

	b.switchMu.Lock()
	defer b.switchMu.Unlock()
	if b.closed {
		return nil, errors.New("Signet is closing")
	}
	// switchMu alone is enough to read what only a switch changes.
	demoSrv, started := b.demo, (*demo.Server)(nil)
	if embedded {
		if demoSrv == nil {
			if started, err = b.startDemo(); err != nil {
				return nil, err
			}
			demoSrv = started
		}
		p.BaseURL = demoSrv.URL()
	}
	ctrl, err := b.newSession(p, embedded)
	if err != nil {
		if started != nil {
			_ = started.Close()
		}
		return nil, err
	}

	b.mu.Lock()
	old, oldStop, oldDemo := b.ctrl, b.stopRestore, b.demo
	ctx, cancel := context.WithCancel(context.Background())
	b.ctrl, b.stopRestore, b.current = ctrl, cancel, c
	b.demo = nil
	if embedded {
		b.demo = demoSrv
	}
	b.rejected, b.rejectedErr = Choice{}, nil
	b.mu.Unlock()

	// The old session is closed, not signed out: its saved tokens stay, so
	// choosing that backend again restores it.
	if old != nil {
		oldStop()
		old.Close()
	}
	if oldDemo != nil && !embedded {
		b.closeDemo(oldDemo)
	}
	if save {
		saveChoice(b.cfg.Prefs, c)
	}
	b.restores.Go(func() { ctrl.Restore(ctx) })
	b.cfg.Logger.Info("backend in use", "profile", p.Name, "url", p.BaseURL)
	return ctrl, nil
}

func (b *Switcher) newSession(p api.Profile, embedded bool) (*session.Controller, error) {
	cfg := api.Config{Profile: p}
	provider, err := discoveredProvider(p)
	if err != nil {
		return nil, &BadChoiceError{err}
	}
	if provider != nil {
		cfg.Provider = provider // never a typed nil in the interface
	}
	client, err := api.New(cfg)
	if err != nil {
		return nil, &BadChoiceError{err}
	}
	return session.New(session.Config{
		Client:     client,
		Keychain:   b.cfg.Keychain,
		Prefs:      b.cfg.Prefs,
		Service:    b.cfg.Service,
		StorageKey: storageKey(p, embedded),
		Logger:     b.cfg.Logger,
		Secrets:    b.cfg.Secrets,
		LockPath:   filepath.Join(b.cfg.Storage, "session.lock"),
	})
}

func (b *Switcher) startDemo() (*demo.Server, error) {
	srv, err := demo.Open(demo.Config{
		DataPath: filepath.Join(b.cfg.Storage, "demo.db"),
		TokenTTL: b.cfg.TokenTTL,
		Logger:   b.cfg.DemoLogger,
	})
	if err != nil {
		return nil, fmt.Errorf("can't open the demo backend: %w", err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		_ = srv.Close()
		return nil, fmt.Errorf("can't start the demo backend: %w", err)
	}
	b.cfg.Logger.Info("embedded demo backend started", "url", url, "auth_lifetime", b.cfg.TokenTTL.String())
	return srv, nil
}

func (b *Switcher) closeDemo(srv *demo.Server) {
	if err := srv.Close(); err != nil {
		b.cfg.Logger.Warn("closing the demo backend", "err", err)
	}
}

// Close ends the session in use and the embedded demo, when running.
func (b *Switcher) Close() {
	b.switchMu.Lock()
	defer b.switchMu.Unlock()
	b.mu.Lock()
	ctrl, stop, srv := b.ctrl, b.stopRestore, b.demo
	b.ctrl, b.demo, b.closed = nil, nil, true
	b.mu.Unlock()
	if ctrl != nil {
		stop()
		ctrl.Close()
	}
	b.restores.Wait()
	if srv != nil {
		b.closeDemo(srv)
	}
}
