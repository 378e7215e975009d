package oauth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"signet/api"
)

// CanRevoke reports whether the provider has a revocation endpoint.
func (c *Client) CanRevoke(ctx context.Context) bool {
	d, err := c.resolve(ctx)
	return err == nil && d.endpoints.Revocation != ""
}

// Revoke tells the provider to forget a token (RFC 7009): the refresh
// token when there is one (revoking it ends its access tokens too at most
// providers), else the access token. No endpoint means nothing to do. An
// unknown or already revoked token is success (7009 2.2).
func (c *Client) Revoke(ctx context.Context, t api.Tokens) error {
	d, err := c.resolve(ctx)
	if err != nil {
		return err
	}
	if d.endpoints.Revocation == "" {
		return nil
	}
	tok, hint := t.RefreshToken, "refresh_token"
	if tok == "" {
		tok, hint = t.AccessToken, "access_token"
	}
	if tok == "" {
		return nil
	}
	form := url.Values{"token": {tok}, "token_type_hint": {hint}}
	if c.cfg.ClientSecret == "" {
		form.Set("client_id", c.cfg.ClientID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.endpoints.Revocation, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c.cfg.ClientSecret != "" {
		req.SetBasicAuth(url.QueryEscape(c.cfg.ClientID), url.QueryEscape(c.cfg.ClientSecret))
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return networkOr(err, "sign out", api.KindNetwork)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusOK:
		return nil
	case resp.StatusCode >= 500:
		return &api.Error{Kind: api.KindServer, Op: "sign out", Status: resp.StatusCode}
	}
	return &api.Error{Kind: api.KindUnauthorized, Op: "sign out", Status: resp.StatusCode,
		Err: errors.New("oauth: revocation refused")}
}

// LogoutURL is the provider's RP-initiated logout URL (OpenID Connect
// RP-Initiated Logout 1.0), to open in the browser so the provider's own
// session ends too. idToken is sent as id_token_hint; postLogoutRedirect
// and state are optional. It is "" when the provider has no end session
// endpoint.
func (c *Client) LogoutURL(ctx context.Context, idToken, postLogoutRedirect, state string) (string, error) {
	d, err := c.resolve(ctx)
	if err != nil || d.endpoints.EndSession == "" {
		return "", err
	}
	u, err := url.Parse(d.endpoints.EndSession)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("client_id", c.cfg.ClientID)
	for k, v := range map[string]string{"id_token_hint": idToken, "post_logout_redirect_uri": postLogoutRedirect, "state": state} {
		if v != "" {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
