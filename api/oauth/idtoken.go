package oauth

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"signet/api"
)

// claims are the identity claims Signet shows, from an ID token or the
// userinfo endpoint.
type claims struct {
	Subject           string `json:"sub"`
	Name              string `json:"name"`
	PreferredUsername string `json:"preferred_username"`
	GivenName         string `json:"given_name"`
	FamilyName        string `json:"family_name"`
	Email             string `json:"email"`
	// Plain OAuth 2.0 userinfo-like endpoints (GitHub's /user) say id and
	// login instead.
	ID    any    `json:"id"`
	Login string `json:"login"`
}

func (c claims) user() api.User {
	u := api.User{ID: c.Subject, Name: c.Name, Email: c.Email}
	if u.ID == "" {
		switch id := c.ID.(type) {
		case string:
			u.ID = id
		case json.Number:
			u.ID = id.String()
		case float64:
			u.ID = strconv.FormatFloat(id, 'f', -1, 64)
		}
	}
	if u.Name == "" {
		u.Name = strings.TrimSpace(c.GivenName + " " + c.FamilyName)
	}
	for _, alt := range []string{c.PreferredUsername, c.Login, c.Email} {
		if u.Name == "" {
			u.Name = alt
		}
	}
	return u
}

// verifyIDToken checks the ID token's signature against the provider's
// keys, its iss, aud and exp (go-oidc), and that it carries the nonce this
// attempt sent ("" for the device flow, which has none), and returns its
// identity claims.
func verifyIDToken(ctx context.Context, v *oidc.IDTokenVerifier, raw, nonce string) (claims, error) {
	if raw == "" {
		return claims{}, &IDTokenError{Reason: "the provider sent no ID token"}
	}
	tok, err := v.Verify(ctx, raw)
	if err != nil {
		return claims{}, &IDTokenError{Reason: idTokenReason(err), Err: err}
	}
	if nonce != "" && subtle.ConstantTimeCompare([]byte(tok.Nonce), []byte(nonce)) != 1 {
		return claims{}, &IDTokenError{Reason: "wrong nonce"}
	}
	var c claims
	if err := tok.Claims(&c); err != nil {
		return claims{}, &IDTokenError{Reason: "unreadable claims", Err: err}
	}
	return c, nil
}

// idTokenReason names the check that failed, in a few words. go-oidc
// has no typed errors for these but its messages have been stable.
func idTokenReason(err error) string {
	var expired *oidc.TokenExpiredError
	msg := err.Error()
	switch {
	case errors.As(err, &expired):
		return "expired"
	case strings.Contains(msg, "different provider"), strings.Contains(msg, "issuer"):
		return "wrong issuer"
	case strings.Contains(msg, "audience"):
		return "wrong audience"
	case strings.Contains(msg, "signature"), strings.Contains(msg, "signed"), strings.Contains(msg, "signing"):
		return "bad signature"
	}
	return "invalid ID token"
}

// userinfo asks the provider who the access token belongs to. Only what
// the caller lacks is used; a failure leaves the user as it was.
func (c *Client) userinfo(ctx context.Context, endpoint, accessToken string) (claims, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return claims{}, err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return claims{}, networkOr(err, "read your profile", api.KindNetwork)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return claims{}, &api.Error{Kind: api.KindServer, Op: "read your profile", Status: resp.StatusCode}
	}
	var out claims
	dec := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return claims{}, &api.Error{Kind: api.KindMalformed, Op: "read your profile", Err: err}
	}
	return out, nil
}

// identify works out who signed in: from the verified ID token when the
// provider is OIDC, completed (or, for plain OAuth 2.0, found) through the
// userinfo endpoint. A userinfo answer about another subject is ignored.
func (c *Client) identify(ctx context.Context, d *discovered, t api.Tokens, nonce string) (api.User, error) {
	var id claims
	if d.verifier != nil {
		var err error
		if id, err = verifyIDToken(c.ctx(ctx), d.verifier, t.IDToken, nonce); err != nil {
			return api.User{}, err
		}
	}
	u := id.user()
	if (u.Name == "" || u.Email == "" || u.ID == "") && d.endpoints.Userinfo != "" {
		info, err := c.userinfo(ctx, d.endpoints.Userinfo, t.AccessToken)
		switch {
		case err != nil && d.verifier == nil:
			return api.User{}, err
		case err != nil, id.Subject != "" && info.Subject != id.Subject:
		default:
			more := info.user()
			u = api.User{ID: first(u.ID, more.ID), Name: first(u.Name, more.Name), Email: first(u.Email, more.Email)}
		}
	}
	return u, nil
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
