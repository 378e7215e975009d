package oauth

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"signet/api"
)

// Client signs in to one provider. It is safe for concurrent use; at most
// one browser attempt is live at a time (a new Start abandons the old one).
type Client struct {
	cfg Config

	mu        sync.Mutex
	disc      *discovered // nil until the first discovery
	fetchedAt time.Time
	current   *Attempt // the live browser attempt, if any
}

// discovered is what an issuer's metadata and keys resolve to.
type discovered struct {
	endpoints Endpoints
	verifier  *oidc.IDTokenVerifier
}

// New checks cfg and returns a Client. It makes no network call: OIDC
// discovery happens on first use and is cached for cfg.DiscoveryTTL.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg}, nil
}

// IsOIDC reports whether the Client verifies ID tokens (it has an issuer).
func (c *Client) IsOIDC() bool { return c.cfg.Issuer != "" }

// ctx carries the HTTP client to x/oauth2 and go-oidc.
func (c *Client) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, c.cfg.HTTPClient)
}

// resolve returns the endpoints (and, for OIDC, the ID token verifier),
// fetching the issuer's metadata when there is none or it is stale. A failed
// refresh of stale metadata falls back to the old copy: the keys and
// endpoints of a provider rarely change, and sign-in should not depend on
// the discovery document being up at that second.
func (c *Client) resolve(ctx context.Context) (*discovered, error) {
	if c.cfg.Issuer == "" {
		return &discovered{endpoints: c.cfg.Endpoints}, nil
	}
	c.mu.Lock()
	disc, at := c.disc, c.fetchedAt
	c.mu.Unlock()
	if disc != nil && time.Since(at) < c.cfg.DiscoveryTTL {
		return disc, nil
	}
	fresh, err := c.discover(ctx)
	if err != nil {
		if disc != nil {
			return disc, nil
		}
		return nil, err
	}
	c.mu.Lock()
	c.disc, c.fetchedAt = fresh, time.Now()
	c.mu.Unlock()
	return fresh, nil
}

func (c *Client) discover(ctx context.Context) (*discovered, error) {
	p, err := oidc.NewProvider(c.ctx(ctx), c.cfg.Issuer)
	if err != nil {
		return nil, networkOr(err, "discover the sign-in provider", api.KindMalformed)
	}
	var extra struct {
		Revocation string `json:"revocation_endpoint"`
		EndSession string `json:"end_session_endpoint"`
	}
	_ = p.Claims(&extra) // absent fields stay empty
	ep := p.Endpoint()
	e := Endpoints{
		Authorization:       ep.AuthURL,
		Token:               ep.TokenURL,
		DeviceAuthorization: ep.DeviceAuthURL,
		Userinfo:            p.UserInfoEndpoint(),
		Revocation:          extra.Revocation,
		EndSession:          extra.EndSession,
	}
	// The profile's own endpoints win; discovered ones must obey R12 too.
	for _, f := range []struct {
		dst *string
		own string
	}{
		{&e.Authorization, c.cfg.Endpoints.Authorization}, {&e.Token, c.cfg.Endpoints.Token},
		{&e.DeviceAuthorization, c.cfg.Endpoints.DeviceAuthorization}, {&e.Userinfo, c.cfg.Endpoints.Userinfo},
		{&e.Revocation, c.cfg.Endpoints.Revocation}, {&e.EndSession, c.cfg.Endpoints.EndSession},
	} {
		if f.own != "" {
			*f.dst = f.own
		}
		if checkEndpoint(*f.dst) != nil {
			return nil, &api.Error{Kind: api.KindMalformed, Op: "discover the sign-in provider",
				Err: errors.New("oauth: a discovered endpoint is not https")}
		}
	}
	v := p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID, Now: c.cfg.Now})
	return &discovered{endpoints: e, verifier: v}, nil
}

// oauth2Config is the x/oauth2 view of the client for endpoints e.
func (c *Client) oauth2Config(e Endpoints, redirectURI string) *oauth2.Config {
	// A public client names itself in the body; a secret goes in Basic
	// auth, which every provider must accept (RFC 6749 2.3.1). Fixing the
	// style avoids x/oauth2's probing, which sends a failing request twice
	// and misreads a device poll's slow_down as a wrong style.
	style := oauth2.AuthStyleInParams
	if c.cfg.ClientSecret != "" {
		style = oauth2.AuthStyleInHeader
	}
	return &oauth2.Config{
		ClientID:     c.cfg.ClientID,
		ClientSecret: c.cfg.ClientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:       e.Authorization,
			TokenURL:      e.Token,
			DeviceAuthURL: e.DeviceAuthorization,
			AuthStyle:     style,
		},
		RedirectURL: redirectURI,
		Scopes:      c.cfg.Scopes,
	}
}

// tokenError turns what x/oauth2 returns from the token endpoint into this
// package's errors: the provider's refusal as a *ProviderError, trouble
// reaching it as an *api.Error.
func tokenError(err error, op string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode != "" {
			return &ProviderError{Code: re.ErrorCode, Description: cleanText(re.ErrorDescription), URI: re.ErrorURI}
		}
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		kind := api.KindMalformed
		if status >= 500 {
			kind = api.KindServer
		}
		return &api.Error{Kind: kind, Op: op, Status: status, Err: errors.New("oauth: token endpoint error")}
	}
	return networkOr(err, op, api.KindMalformed)
}

// networkOr classifies err as a network failure when it is one (a dial or
// timeout error), otherwise as kind.
func networkOr(err error, op string, kind api.Kind) error {
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &ne) || errors.As(err, &oe) {
		kind = api.KindNetwork
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &api.Error{Kind: kind, Op: op, Err: err}
}

// toTokens converts an x/oauth2 token; the ID token rides in its extras.
func toTokens(t *oauth2.Token) api.Tokens {
	tt := t.TokenType
	if tt == "" || strings.EqualFold(tt, "bearer") {
		tt = "Bearer"
	}
	out := api.Tokens{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, TokenType: tt, Expiry: t.Expiry}
	if id, ok := t.Extra("id_token").(string); ok {
		out.IDToken = id
	}
	return out
}
