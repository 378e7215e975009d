package api

import (
	"context"
	"net/http"
	"time"
)

// Config configures a Client.
type Config struct {
	Profile Profile
	// HTTP is the plain client for sign-in, refresh and logout (never an
	// authenticated transport: rule R6). Nil means a default client.
	HTTP *http.Client
	// Timeout bounds every call (default 15 s).
	Timeout time.Duration
	// MaxBody caps how much of a response is read (default 8 MiB for
	// lists, 1 MiB for token responses).
	MaxBody int64
	// Now is the clock used for expires_in (default time.Now).
	Now func() time.Time
}

// Client speaks one backend's contract, as its Profile describes.
type Client struct {
	// TODO(api helper): fields
}

// New returns a ready Client. It validates nothing at the network; a profile
// with an unusable BaseURL (not https on a non-loopback host, rule R12) is an
// error here.
func New(cfg Config) (*Client, error) { panic("TODO") }

// Profile returns the profile the client was made with.
func (c *Client) Profile() Profile { panic("TODO") }

// Login signs in. A refused sign-in is KindBadCredentials with the server's
// message.
func (c *Client) Login(ctx context.Context, username, password string) (LoginResult, error) {
	panic("TODO")
}

// HasRefresh reports whether the profile has a refresh call.
func (c *Client) HasRefresh() bool { panic("TODO") }

// Refresh trades a refresh token for new tokens. If the answer carries no
// refresh token, the returned Tokens.RefreshToken is the one passed in. A
// refused refresh (400/401, invalid_grant, ...) is KindRefreshRefused.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (Tokens, error) { panic("TODO") }

// Logout tells the server the session is over (no-op without a logout call).
func (c *Client) Logout(ctx context.Context, t Tokens) error { panic("TODO") }

// Me fetches the current user with hc (an authenticated client); it returns
// a zero User and no error when the profile has no Me call.
func (c *Client) Me(ctx context.Context, hc *http.Client) (User, error) { panic("TODO") }

// IsExpiredStatus reports whether a protected call's status means "the auth
// token is dead" for this backend (default: 401).
func (c *Client) IsExpiredStatus(status int) bool { panic("TODO") }

// FetchList fetches one page of the named list with hc (an authenticated
// client). offset is an item index whatever the paging style; limit <= 0
// means the profile's page size. search is sent as the list's SearchParam
// when both are set. A 401/403 that reaches here is KindUnauthorized.
func (c *Client) FetchList(ctx context.Context, hc *http.Client, list string, offset, limit int, search string) (Page, error) {
	panic("TODO")
}
