package api

import (
	"context"
	"errors"
)

// TokenProvider renews and revokes tokens at an OAuth 2.0 provider
// (*oauth.Client has both): for an OpenID Connect profile that names only
// its issuer, whose token and revocation endpoints come from discovery
// when first needed, so they are never written into [refresh] or [logout].
type TokenProvider interface {
	// Refresh redeems a refresh token (RFC 6749 6); the provider's
	// refusal is KindRefreshRefused, and a refresh token the answer does
	// not replace is kept.
	Refresh(ctx context.Context, refreshToken string) (Tokens, error)
	// Revoke revokes the session's tokens (RFC 7009); no revocation
	// endpoint means nothing to do.
	Revoke(ctx context.Context, t Tokens) error
}

// providerRefresh renews through the Provider, bounded like the
// profile's own calls.
func (c *Client) providerRefresh(ctx context.Context, refreshToken string) (Tokens, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return c.provider.Refresh(ctx, refreshToken)
}

// providerRevoke is Logout through the Provider, with Logout's outcomes:
// a refusal (the token was already dead) is not worth showing.
func (c *Client) providerRevoke(ctx context.Context, t Tokens) error {
	if c.provider == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	err := c.provider.Revoke(ctx, t)
	var e *Error
	if errors.As(err, &e) && (e.Kind == KindUnauthorized || e.Kind == KindMalformed) {
		return nil
	}
	return err
}
