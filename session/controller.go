package session

import (
	"context"
	"log/slog"
	"net/http"
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
	// Service is the app ID; with the profile name it keys the keychain
	// entries and preferences, so two backends never share tokens.
	Service string
	Logger  *slog.Logger
	Now     func() time.Time
	// RefreshMargin: refresh proactively when the token expires within
	// this (default 30 s, capped at half the token's lifetime).
	RefreshMargin time.Duration
	// Backoff for background refresh retries while Offline (defaults:
	// 1 s initial, 60 s cap, full jitter).
	BackoffInitial, BackoffMax time.Duration
}

// Controller is the session: token state, persistence, the authenticated
// transport, and start-up restore.
type Controller struct {
	// TODO(session helper)
}

// New returns a Controller in state Restoring; call Restore next.
func New(cfg Config) (*Controller, error) { panic("TODO") }

// Restore loads the saved session (rule R9). It never returns the keychain's
// or the network's failure as "signed out" when a session may still be
// valid: it ends in SignedIn, Offline, Expired or SignedOut.
func (c *Controller) Restore(ctx context.Context) { panic("TODO") }

// SignIn signs in; on failure the state goes back to SignedOut (or Expired,
// keeping the username) and the error is returned and kept in Snapshot.Err.
func (c *Controller) SignIn(ctx context.Context, username, password string) error { panic("TODO") }

// SignOut ends the session at once, online or not (rule R10).
func (c *Controller) SignOut(ctx context.Context) { panic("TODO") }

// Snapshot returns the current state.
func (c *Controller) Snapshot() Snapshot { panic("TODO") }

// Subscribe calls fn (from any goroutine) after every change; cancel stops it.
func (c *Controller) Subscribe(fn func(Snapshot)) (cancel func()) { panic("TODO") }

// HTTPClient is the authenticated client (bearer, proactive refresh,
// single-flight refresh on 401, retry once).
func (c *Controller) HTTPClient() *http.Client { panic("TODO") }

// Profile is the backend's profile.
func (c *Controller) Profile() api.Profile { panic("TODO") }

// FetchList fetches a page of a protected list through the authenticated
// client.
func (c *Controller) FetchList(ctx context.Context, list string, offset, limit int, search string) (api.Page, error) {
	panic("TODO")
}

// Close stops background work (retry timers, proactive refresh).
func (c *Controller) Close() { panic("TODO") }
