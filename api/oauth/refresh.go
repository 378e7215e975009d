package oauth

import (
	"context"
	"time"

	"golang.org/x/oauth2"

	"signet/api"
)

// Refresh redeems a refresh token at the token endpoint. A provider that
// rotates refresh tokens sends a new one; when it sends none, the old one
// is kept (design R7). A new ID token, if any, is verified like the first.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (api.Tokens, error) {
	d, err := c.resolve(ctx)
	if err != nil {
		return api.Tokens{}, err
	}
	// An expired token makes the source refresh at once.
	old := &oauth2.Token{RefreshToken: refreshToken, Expiry: time.Unix(1, 0)}
	t, err := c.oauth2Config(d.endpoints, "").TokenSource(c.ctx(ctx), old).Token()
	if err != nil {
		err = tokenError(err, "refresh")
		if pe, ok := err.(*ProviderError); ok && !pe.transient() {
			// The provider refused this refresh token or this client
			// (invalid_grant, invalid_client, unauthorized_client...):
			// trying again cannot help, the session is over (design R7),
			// as for a 400 or 401 to a profile's own [refresh] call. The
			// session package keys on this kind.
			err = &api.Error{Kind: api.KindRefreshRefused, Op: "refresh", ServerMessage: pe.Description, Err: pe}
		}
		return api.Tokens{}, err
	}
	toks := toTokens(t)
	if toks.RefreshToken == "" {
		toks.RefreshToken = refreshToken
	}
	if toks.IDToken != "" && d.verifier != nil {
		if _, err := verifyIDToken(c.ctx(ctx), d.verifier, toks.IDToken, ""); err != nil {
			return api.Tokens{}, err
		}
	}
	return toks, nil
}
