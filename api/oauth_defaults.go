package api

import (
	"net/url"
	"strings"
)

// OAuthOrigin is the origin name a derived [refresh] or [logout] uses when
// the provider's endpoint is on another server than base_url.
const OAuthOrigin = "oauth"

// oauthTokens are where an RFC 6749 5.1 token answer keeps the tokens.
func oauthTokens() TokenPaths {
	return TokenPaths{
		AccessToken: "access_token", RefreshToken: "refresh_token", TokenType: "token_type",
		Expiry: []ExpirySpec{{Path: "expires_in", Unit: "seconds"}},
	}
}

// oauthDefaults fills in what a browser sign-in needs from the rest of the
// profile. Renewal and sign-out stay the session's ordinary calls, derived
// from the provider's token and revocation endpoints when the file names
// them (an issuer alone leaves them to discovery: backend hands the session
// an oauth client that renews and revokes instead), so single-flight
// renewal, rotation and the cross-process lock apply unchanged (design R7,
// R11): a refresh_token grant (RFC 6749 6) and a revocation (RFC 7009),
// both form-encoded, naming the client.
func oauthDefaults(p *Profile) {
	o := p.OAuth
	if o == nil {
		return
	}
	for _, s := range []*string{&o.Issuer, &o.ClientID, &o.AuthorizationEndpoint, &o.TokenEndpoint,
		&o.DeviceAuthorizationEndpoint, &o.UserinfoEndpoint, &o.RevocationEndpoint, &o.EndSessionEndpoint, &o.PostLogoutRedirectURI} {
		*s = strings.TrimSpace(*s)
	}
	if p.Login.Tokens.AccessToken == "" {
		p.Login.Tokens = oauthTokens()
	}
	client := func(body map[string]any) map[string]any {
		body["client_id"] = o.ClientID
		if o.ClientSecret != "" {
			body["client_secret"] = o.ClientSecret
		}
		return body
	}
	if p.Refresh == nil && o.TokenEndpoint != "" {
		if origin, path, ok := declareEndpoint(p, o.TokenEndpoint); ok {
			p.Refresh = &RefreshSpec{RequestSpec: RequestSpec{
				Method: "POST", Origin: origin, Path: path, Encoding: "form",
				Body: client(map[string]any{"grant_type": "refresh_token", "refresh_token": "{refresh_token}"}),
			}}
		}
	}
	if p.Logout == nil && o.RevocationEndpoint != "" {
		if origin, path, ok := declareEndpoint(p, o.RevocationEndpoint); ok {
			p.Logout = &RequestSpec{
				Method: "POST", Origin: origin, Path: path, Encoding: "form",
				Body: client(map[string]any{"token": "{refresh_token}", "token_type_hint": "refresh_token"}),
			}
		}
	}
}

// endpointOn names the origin of endpoint raw for a call: base_url's when
// it is there, otherwise OAuthOrigin. It is false when raw
// is unusable or OAuthOrigin already names another server (the validator
// reports both).
func endpointOn(p Profile, raw string) (origin, path string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", "", false
	}
	here := Origin(u)
	path = u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if base, err := url.Parse(strings.TrimRight(p.BaseURL, "/")); err == nil && Origin(base) == here {
		return "", path, true
	}
	if have, taken := p.Origins[OAuthOrigin]; taken && strings.TrimRight(have, "/") != here {
		return "", "", false
	}
	return OAuthOrigin, path, true
}

// declareEndpoint is endpointOn that also declares the origin it names.
func declareEndpoint(p *Profile, raw string) (origin, path string, ok bool) {
	origin, path, ok = endpointOn(*p, raw)
	if ok && origin == OAuthOrigin {
		u, _ := url.Parse(raw)
		if p.Origins == nil {
			p.Origins = map[string]string{}
		}
		p.Origins[OAuthOrigin] = Origin(u)
	}
	return origin, path, ok
}
