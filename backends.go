package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"signet/api"
	"signet/demo"
	"signet/profile"
	"signet/session"
	"signet/session/keychain"
	"signet/ui"
)

// backendsConfig is what every backend's session shares.
type backendsConfig struct {
	Prefs    session.Preferences
	Keychain keychain.Store // nil: memory only
	// Storage is the app's folder: the embedded demo's data and the
	// cross-process refresh lock live there.
	Storage  string
	TokenTTL time.Duration // the embedded demo's auth token lifetime
	Logger   *slog.Logger
	// DemoLogger is the embedded demo backend's logger.
	DemoLogger *slog.Logger
	// DemoHint is shown under the sign-in form while the demo preset is
	// in use.
	DemoHint string
}

// backends builds the session for a chosen backend and switches between
// them (ui.Backends). It owns the session in use and the embedded demo
// backend, which runs only while the demo preset is used at its own
// address.
type backends struct {
	cfg backendsConfig

	// switchMu serialises switches (which may take a while: the demo
	// backend starts, a profile file is read) and Close. mu guards the
	// fields below, briefly, so the window never waits for a switch.
	// ctrl, demo and closed change only with both held.
	switchMu    sync.Mutex
	mu          sync.Mutex
	current     ui.Choice
	rejected    ui.Choice // the saved choice that failed at start-up
	rejectedErr error
	ctrl        *session.Controller
	demo        *demo.Server // nil unless the embedded demo is in use
	stopRestore context.CancelFunc
	closed      bool

	restores sync.WaitGroup
}

var _ ui.Backends = (*backends)(nil)

func newBackends(cfg backendsConfig) *backends {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &backends{cfg: cfg}
}

// badChoiceError: the chosen backend itself is wrong (no such preset,
// a profile file that is missing or has problems), as opposed to the app
// failing to run it.
type badChoiceError struct{ err error }

func (e *badChoiceError) Error() string { return e.err.Error() }
func (e *badChoiceError) Unwrap() error { return e.err }

// start opens the session for c, chosen by src, and starts restoring it. A
// saved choice that no longer works (the file was deleted or broken since)
// must not keep the app from starting: the demo is used instead, and the
// failure is kept for the Server screen (Rejected). A choice made on the
// command line or in the environment is the caller's to report.
func (b *backends) start(c ui.Choice, src choiceSource) (*session.Controller, error) {
	ctrl, err := b.use(c, false)
	if err == nil || src != fromSaved {
		return ctrl, err
	}
	b.cfg.Logger.Warn("the saved backend can't be used; starting with the demo backend", "err", err)
	ctrl, err2 := b.use(ui.Choice{Preset: profile.DefaultPresetName}, false)
	if err2 != nil {
		return nil, err2
	}
	c.BaseURL, _ = withoutUserinfo(c.BaseURL) // the Server screen shows it
	b.mu.Lock()
	b.rejected, b.rejectedErr = c, err
	b.mu.Unlock()
	return ctrl, nil
}

// Current is the choice in use.
func (b *backends) Current() ui.Choice {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.current
}

// Rejected is the saved choice that start set aside, and why.
func (b *backends) Rejected() (ui.Choice, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rejected, b.rejectedErr
}

// Presets lists the shipped presets for the Server screen.
func (b *backends) Presets() []ui.PresetInfo {
	var out []ui.PresetInfo
	for _, p := range profile.Presets() {
		info := ui.PresetInfo{Name: p.Name, Title: p.Title, Description: p.Description}
		if p.Name == profile.DefaultPresetName {
			info.Hint = b.cfg.DemoHint
		}
		out = append(out, info)
	}
	return out
}

// Describe loads and checks c. The embedded demo's address is its running
// address, or empty while it is not running.
func (b *backends) Describe(c ui.Choice) (api.Profile, error) {
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
func (b *backends) Switch(c ui.Choice) (ui.Session, error) {
	ctrl, err := b.use(c, true)
	if err != nil {
		return nil, err
	}
	return ctrl, nil
}

// use opens c's session, closes the previous one (and the embedded demo
// when c does not need it), optionally saves c, and starts the restore.
// On failure the previous session stays in use.
func (b *backends) use(c ui.Choice, save bool) (*session.Controller, error) {
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
	b.rejected, b.rejectedErr = ui.Choice{}, nil
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

func (b *backends) newSession(p api.Profile, embedded bool) (*session.Controller, error) {
	client, err := api.New(api.Config{Profile: p})
	if err != nil {
		return nil, &badChoiceError{err}
	}
	return session.New(session.Config{
		Client:     client,
		Keychain:   b.cfg.Keychain,
		Prefs:      b.cfg.Prefs,
		Service:    appID,
		StorageKey: storageKey(p, embedded),
		Logger:     b.cfg.Logger,
		LockPath:   filepath.Join(b.cfg.Storage, "session.lock"),
	})
}

func (b *backends) startDemo() (*demo.Server, error) {
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

func (b *backends) closeDemo(srv *demo.Server) {
	if err := srv.Close(); err != nil {
		b.cfg.Logger.Warn("closing the demo backend", "err", err)
	}
}

// Close ends the session in use and the embedded demo, when running.
func (b *backends) Close() {
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

// resolve builds c's profile, validated. embedded reports that c is the
// demo preset at its own address, i.e. the embedded demo backend, whose
// address is only known once it runs (the returned profile's is a
// stand-in).
func resolve(c ui.Choice) (p api.Profile, embedded bool, err error) {
	// Checked before the profile's own validation, whose messages may
	// quote an address they can't parse.
	if _, has := withoutUserinfo(c.BaseURL); has {
		return api.Profile{}, false, &badChoiceError{errUserinfo}
	}
	switch {
	case c.File != "":
		p, err = profile.Load(c.File)
		if err == nil && c.BaseURL != "" {
			p, err = profile.WithBaseURL(p, c.BaseURL)
		}
	case c.Preset != "":
		pr, ok := profile.FindPreset(c.Preset)
		if !ok {
			return api.Profile{}, false, &badChoiceError{fmt.Errorf("there is no preset %q; the presets are %s",
				c.Preset, strings.Join(presetNames(), ", "))}
		}
		embedded = pr.Name == profile.DefaultPresetName && c.BaseURL == ""
		base := c.BaseURL
		if embedded {
			base = "http://127.0.0.1" // stand-in until the demo runs
		}
		p, err = pr.Profile(base)
	default:
		err = errors.New("no backend chosen: pick a preset or a profile file")
	}
	if err != nil {
		return api.Profile{}, false, &badChoiceError{err}
	}
	return p, embedded, nil
}

// errUserinfo: a server address with a user name or password, which
// Signet refuses rather than sends or shows.
var errUserinfo = errors.New("base_url: must not contain a user name or password; sign-in credentials go in the sign-in form")

// absChoice makes a profile path absolute, so a saved choice still names
// the same file when Signet is next started from another folder.
func absChoice(c ui.Choice) ui.Choice {
	if c.File != "" {
		if abs, err := filepath.Abs(c.File); err == nil {
			c.File = abs
		}
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c
}

// storageKey keys a backend's keychain entry and session preferences: the
// profile's name and the API's normalised address (lowercased host, explicit
// port, cleaned path), so one profile used against two servers, or two
// tenants under two paths of one server, keeps two sessions. The scheme is
// left out, as it always was: a port speaks one of http and https, and
// adding it would orphan every saved session. So an address without a path
// keeps the key it had. The embedded demo's port changes every launch, but
// it is always the same backend: "demo".
func storageKey(p api.Profile, embedded bool) string {
	if embedded {
		return p.Name
	}
	u, err := url.Parse(p.BaseURL)
	if err != nil {
		return p.Name // validated profiles always parse
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	key := p.Name + "@" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
	if clean := path.Clean("/" + u.EscapedPath()); clean != "/" {
		key += clean
	}
	return key
}

// awaitRestore gives a quick restore (a live token: one keychain read, no
// network) up to max to finish before the window is built, so that the first
// screen is already the list with its fetch under way, instead of a
// "Restoring" flash. A slow restore (a refresh, an unlock prompt) goes on
// behind the Restoring screen.
func awaitRestore(ctrl *session.Controller, max time.Duration) {
	done := make(chan struct{})
	var once sync.Once
	cancel := ctrl.Subscribe(func(s session.Snapshot) {
		if s.State != session.Restoring {
			once.Do(func() { close(done) })
		}
	})
	defer cancel()
	if ctrl.Snapshot().State != session.Restoring {
		return
	}
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}
