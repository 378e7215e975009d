package demo

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Defaults for the zero values of Config.
const (
	DefaultTokenTTL   = 60 * time.Second
	DefaultRefreshTTL = 30 * 24 * time.Hour
	// DefaultDeviceInterval is RFC 8628's default polling interval.
	DefaultDeviceInterval = 5 * time.Second
)

// Config tunes a Server. The zero value is a working server that keeps its
// data in a temporary file.
type Config struct {
	// DataPath is the bbolt file holding the signing key, users and
	// sessions. Empty means a temporary file removed by Close, so nothing
	// survives a restart.
	DataPath string
	// TokenTTL is the access token lifetime (default 60s). JWT times have
	// a precision of one second, so shorter lifetimes are refused.
	TokenTTL time.Duration
	// RefreshTTL is the refresh token lifetime (default 30 days); every
	// rotation starts it again.
	RefreshTTL time.Duration
	// RefreshDelay is latency added to every /auth/refresh answer, to make
	// concurrent refreshes overlap in tests and benchmarks.
	RefreshDelay time.Duration
	// DisableRefresh imitates APIs without refresh: /auth/refresh answers
	// 404 and sign-in hands out no refresh token.
	DisableRefresh bool
	// DeviceInterval is the polling interval the device sign-in asks for
	// (default 5s, whole seconds); polling faster earns slow_down.
	DeviceInterval time.Duration
	// Stats serves the counters at GET /stats; otherwise that path is 404.
	Stats bool
	// Now is the clock for token and session times (default time.Now).
	// The RefreshDelay and the HTTP timeouts use real time regardless.
	Now func() time.Time
	// Logger receives one line per request and per auth event; it never
	// sees tokens or passwords. Nil discards.
	Logger *slog.Logger

	// hashIterations is the PBKDF2 cost for new password hashes; tests in
	// this package lower it because the race detector makes it slow.
	hashIterations int
}

// withDefaults fills the zero values and rejects settings that cannot work.
func (c Config) withDefaults() (Config, error) {
	if c.TokenTTL == 0 {
		c.TokenTTL = DefaultTokenTTL
	}
	if c.RefreshTTL == 0 {
		c.RefreshTTL = DefaultRefreshTTL
	}
	if c.DeviceInterval == 0 {
		c.DeviceInterval = DefaultDeviceInterval
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.hashIterations == 0 {
		c.hashIterations = defaultHashIterations
	}
	switch {
	case c.TokenTTL < time.Second:
		return c, fmt.Errorf("token lifetime %v is too short: it must be at least 1s", c.TokenTTL)
	case c.RefreshTTL < time.Second:
		return c, fmt.Errorf("refresh token lifetime %v is too short: it must be at least 1s", c.RefreshTTL)
	case c.DeviceInterval < time.Second || c.DeviceInterval%time.Second != 0:
		return c, fmt.Errorf("device polling interval %v must be whole seconds, at least 1s", c.DeviceInterval)
	case c.RefreshDelay < 0:
		return c, errors.New("refresh delay must not be negative")
	}
	return c, nil
}
