package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Config configures a Client.
type Config struct {
	Profile Profile
	// HTTP is the plain client for sign-in, refresh and logout (never an
	// authenticated transport: rule R6). Nil means a default client. Every
	// call, with this client or one passed in, follows redirects only on the
	// API's own origin (design R12).
	HTTP *http.Client
	// Timeout bounds every call (default 15 s).
	Timeout time.Duration
	// MaxBody caps how much of a list response is read (default 64 MiB).
	// Sign-in, refresh, logout and user answers are capped at 1 MiB, or
	// MaxBody when that is smaller.
	MaxBody int64
	// Now is the clock used for expires_in (default time.Now).
	Now func() time.Time
	// Provider renews and revokes in place of a [refresh] or [logout]
	// call the profile lacks: an OpenID provider whose token and
	// revocation endpoints are known only from its discovery document
	// (an *oauth.Client). Nil: the profile's calls only.
	Provider TokenProvider
}

const defaultTimeout = 15 * time.Second

// Client speaks one backend's contract, as its Profile describes. It is
// immutable after New and safe for concurrent use.
type Client struct {
	profile Profile             // a deep copy; never handed out without copying
	origins map[string]*url.URL // by name; "" is BaseURL
	// bearerOrigins is BearerOrigins, computed once.
	bearerOrigins []string
	http          *http.Client
	timeout       time.Duration
	listCap       int64
	tokenCap      int64
	now           func() time.Time
	userAgent     string
	provider      TokenProvider
}

// New returns a ready Client. It validates nothing at the network; a profile
// with problems (Profile.Validate: an unusable BaseURL such as plain http to
// a non-loopback host, rule R12, an unknown encoding, expiry unit or paging
// style, ...) is a *ProfileError holding every one.
func New(cfg Config) (*Client, error) {
	p := cfg.Profile.Clone()
	if probs := p.Validate(); len(probs) > 0 {
		return nil, &ProfileError{Problems: probs}
	}
	origins, err := parseOrigins(&p)
	if err != nil {
		return nil, err // unreachable: Validate checked them
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	c := &Client{
		profile:   p,
		origins:   origins,
		http:      hc,
		timeout:   cfg.Timeout,
		listCap:   cfg.MaxBody,
		tokenCap:  tokenBodyCap,
		now:       cfg.Now,
		userAgent: "Signet/" + Version,
		provider:  cfg.Provider,
	}
	if c.timeout <= 0 {
		c.timeout = defaultTimeout
	}
	if c.listCap <= 0 {
		c.listCap = defaultListBodyCap
	}
	c.tokenCap = min(c.tokenCap, c.listCap)
	if c.now == nil {
		c.now = time.Now
	}
	c.bearerOrigins = c.BearerOrigins()
	return c, nil
}

// Profile returns the profile the client was made with.
func (c *Client) Profile() Profile { return c.profile.Clone() }

// Login signs in. A refused sign-in is KindBadCredentials with the server's
// message.
func (c *Client) Login(ctx context.Context, username, password string) (LoginResult, error) {
	const op = "sign in"
	v := vars{username: username, password: password}
	spec := &c.profile.Login
	r, err := c.exchange(ctx, op, c.http, c.tokenCap, func(ctx context.Context) (*http.Request, error) {
		return c.buildRequest(ctx, &spec.RequestSpec, http.MethodPost, v)
	})
	if err != nil {
		return LoginResult{}, err
	}
	if !r.ok() {
		return LoginResult{}, c.statusError(op, r, loginFailureKind(r), v.secrets())
	}
	root, err := parseJSON(r.body)
	if err != nil {
		return LoginResult{}, &Error{Kind: KindMalformed, Op: op, Status: r.status, Err: err}
	}
	t, err := mapTokens(root, &spec.Tokens, r.at, r.header.Get("Date"))
	if err != nil {
		return LoginResult{}, &Error{Kind: KindMalformed, Op: op, Status: r.status, Err: err}
	}
	return LoginResult{Tokens: t, User: mapUser(root, spec.User)}, nil
}

// HasRefresh reports whether the profile has a refresh call (or the
// Provider renews).
func (c *Client) HasRefresh() bool { return c.profile.Refresh != nil || c.provider != nil }

// RefreshNeedsLiveToken reports whether renewal sends the current access
// token (RefreshWithAccessToken): it must happen before the token dies, as
// a dead one cannot be renewed, and there is no refresh token to keep.
func (c *Client) RefreshNeedsLiveToken() bool {
	return c.profile.Refresh != nil && c.profile.Refresh.Style == RefreshWithAccessToken
}

// Refresh trades a refresh token for new tokens. If the answer carries no
// refresh token, the returned Tokens.RefreshToken is the one passed in. A
// refused refresh (400/401, invalid_grant, ...) is KindRefreshRefused, as is
// a call without a refresh token or without a refresh call in the profile
// (there is nothing that could succeed later). For a profile whose refresh
// sends the access token, use RenewTokens.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	return c.RenewTokens(ctx, Tokens{RefreshToken: refreshToken})
}

// RenewTokens renews the session t holds in the profile's refresh style:
// with t.RefreshToken, or (RefreshWithAccessToken) with t.AccessToken, which
// must still be valid. Outcomes are as for Refresh; a refresh token the
// answer does not replace is kept.
func (c *Client) RenewTokens(ctx context.Context, cur Tokens) (Tokens, error) {
	const op = "refresh your session"
	spec := c.profile.Refresh
	byAccess := c.RefreshNeedsLiveToken()
	v := vars{refreshToken: cur.RefreshToken}
	if byAccess {
		v = vars{accessToken: cur.AccessToken, refreshToken: cur.RefreshToken, bearerAccess: true}
	}
	if (spec == nil && c.provider == nil) || (!byAccess && cur.RefreshToken == "") || (byAccess && cur.AccessToken == "") {
		return Tokens{}, &Error{Kind: KindRefreshRefused, Op: op, Err: ErrNoRefresh}
	}
	if spec == nil {
		return c.providerRefresh(ctx, cur.RefreshToken)
	}
	r, err := c.exchange(ctx, op, c.http, c.tokenCap, func(ctx context.Context) (*http.Request, error) {
		return c.buildRequest(ctx, &spec.RequestSpec, http.MethodPost, v)
	})
	if err != nil {
		return Tokens{}, err
	}
	if !r.ok() {
		return Tokens{}, c.statusError(op, r, refreshFailureKind(r), v.secrets())
	}
	paths := &c.profile.Login.Tokens
	if spec.Tokens != nil {
		paths = spec.Tokens
	}
	root, err := parseJSON(r.body)
	if err != nil {
		return Tokens{}, &Error{Kind: KindMalformed, Op: op, Status: r.status, Err: err}
	}
	t, err := mapTokens(root, paths, r.at, r.header.Get("Date"))
	if err != nil {
		return Tokens{}, &Error{Kind: KindMalformed, Op: op, Status: r.status, Err: err}
	}
	if t.RefreshToken == "" {
		t.RefreshToken = cur.RefreshToken // not rotated (R7)
	}
	return t, nil
}

// Logout tells the server the session is over (no-op without a logout call
// or without tokens). It is best effort: a 4xx answer (the token was already
// dead, the endpoint is gone) is not an error worth showing and returns nil;
// network trouble, 408/429 and 5xx are returned.
func (c *Client) Logout(ctx context.Context, t Tokens) error {
	const op = "sign out"
	spec := c.profile.Logout
	if t.AccessToken == "" && t.RefreshToken == "" {
		return nil
	}
	if spec == nil {
		return c.providerRevoke(ctx, t)
	}
	v := vars{refreshToken: t.RefreshToken, accessToken: t.AccessToken}
	r, err := c.exchange(ctx, op, c.http, c.tokenCap, func(ctx context.Context) (*http.Request, error) {
		return c.buildRequest(ctx, spec, http.MethodPost, v)
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Kind == KindMalformed {
			return nil // a 2xx with a huge body still ended the session
		}
		return err
	}
	switch {
	case r.ok():
		return nil
	case r.status == http.StatusRequestTimeout, r.status == http.StatusTooManyRequests:
		// worth telling the caller: trying again later may get through
	case is4xx(r.status):
		return nil
	}
	return c.statusError(op, r, KindServer, v.secrets())
}

// Me fetches the current user with hc (an authenticated client); it returns
// a zero User and no error when the profile has no Me call.
func (c *Client) Me(ctx context.Context, hc *http.Client) (User, error) {
	const op = "load your account"
	spec := c.profile.Me
	if spec == nil {
		return User{}, nil
	}
	if hc == nil {
		hc = c.http
	}
	r, err := c.exchange(ctx, op, hc, c.tokenCap, func(ctx context.Context) (*http.Request, error) {
		return c.buildRequest(ctx, &spec.RequestSpec, http.MethodGet, vars{})
	})
	if err != nil {
		return User{}, err
	}
	if !r.ok() {
		return User{}, c.statusError(op, r, c.protectedFailureKind(r), nil)
	}
	root, err := parseJSON(r.body)
	if err != nil {
		return User{}, &Error{Kind: KindMalformed, Op: op, Status: r.status, Err: err}
	}
	return mapUser(root, spec.User), nil
}

// listSpec finds the named list.
func (c *Client) listSpec(name string) (*ListSpec, error) {
	for i := range c.profile.Lists {
		if c.profile.Lists[i].Name == name {
			return &c.profile.Lists[i], nil
		}
	}
	return nil, &Error{Op: fmt.Sprintf("load %s", name), Err: ErrUnknownList}
}
