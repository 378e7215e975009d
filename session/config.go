package session

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"signet/api"
	"signet/session/keychain"
)

// Config wires a Controller. Everything it talks to is injected so tests are
// real (a real HTTP server, a real keychain) but fast.
type Config struct {
	Client   *api.Client
	Keychain keychain.Store // nil: memory only
	Prefs    Preferences
	// Service is the app ID. The Keychain store carries it (it is opened
	// with keychain.NewOS(Service, ...)); inside it, entries are keyed by
	// StorageKey, as are the preferences. The controller only logs it.
	Service string
	// StorageKey names this backend's keychain entry and preferences
	// ("<key>/tokens", "session.<key>.*"), so two backends never see each
	// other's tokens. Give each backend its own, e.g. the profile name and
	// the API's host:port: two servers speaking one profile are still two
	// accounts. Empty means the profile name.
	StorageKey string
	Logger     *slog.Logger
	Now        func() time.Time
	// RefreshMargin: refresh proactively when the token expires within
	// this (default 30 s, capped at a tenth of the token's lifetime).
	RefreshMargin time.Duration
	// Backoff for background refresh retries while Offline (defaults:
	// 1 s initial, 15 s cap, full jitter: recovery after a short outage
	// takes seconds, design R7).
	BackoffInitial, BackoffMax time.Duration
	// Secrets, if set, is where the controller keeps the secrets it holds,
	// so a log handler made with NewRedactingHandler(next, secrets) can cut
	// them out of every record of the app. Nil: a set of its own. Either
	// way the controller's own log records and errors are scrubbed.
	Secrets *Secrets

	// AfterFunc schedules f after d and returns a function that cancels it
	// (reporting whether it did), like time.AfterFunc. The proactive
	// refresh and the Offline retries use it, so tests can drive them.
	// Nil means time.AfterFunc.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// Jitter returns a random duration in [0, max] (full jitter for the
	// retry backoff). Nil means a uniform pseudo-random draw.
	Jitter func(max time.Duration) time.Duration
	// LockPath is a file used as a cross-process advisory lock around
	// "re-read keychain → refresh → persist" (rule R11), so two running
	// copies of the app never both spend one rotating refresh token.
	// Empty: no cross-process lock.
	LockPath string
	// RefreshTimeout bounds one refresh call, detached from any caller
	// (default 20 s).
	RefreshTimeout time.Duration
	// LogoutTimeout bounds the server logout after sign-out (default 3 s).
	LogoutTimeout time.Duration
	// SignInKeychainTimeout is the keychain timeout while signing in, when
	// an unlock prompt may show (default keychain.PromptTimeout). It
	// applies only to stores that support it (keychain.TimeoutStore).
	SignInKeychainTimeout time.Duration
	// Transport is the base RoundTripper under the authenticated client
	// (default http.DefaultTransport).
	Transport http.RoundTripper
}

// check reports what New can't work without.
func (cfg Config) check() error {
	if cfg.Client == nil {
		return errors.New("session: Config.Client is required")
	}
	if cfg.Prefs == nil {
		return errors.New("session: Config.Prefs is required")
	}
	profile := cfg.Client.Profile()
	if base, err := url.Parse(profile.BaseURL); err != nil || base.Host == "" {
		return fmt.Errorf("session: profile %q has an unusable base URL", profile.Name)
	}
	return nil
}

// withDefaults fills in what cfg leaves unset.
func (cfg Config) withDefaults() Config {
	cfg.RefreshMargin = orDefault(cfg.RefreshMargin, 30*time.Second)
	cfg.BackoffInitial = orDefault(cfg.BackoffInitial, time.Second)
	cfg.BackoffMax = orDefault(cfg.BackoffMax, 15*time.Second)
	cfg.RefreshTimeout = orDefault(cfg.RefreshTimeout, 20*time.Second)
	cfg.LogoutTimeout = orDefault(cfg.LogoutTimeout, 3*time.Second)
	cfg.SignInKeychainTimeout = orDefault(cfg.SignInKeychainTimeout, keychain.PromptTimeout)
	if cfg.Secrets == nil {
		cfg.Secrets = NewSecrets()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AfterFunc == nil {
		cfg.AfterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	if cfg.Jitter == nil {
		cfg.Jitter = func(max time.Duration) time.Duration { return time.Duration(rand.Int64N(int64(max) + 1)) }
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	return cfg
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
