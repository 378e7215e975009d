package profile

import (
	"net/url"
	"strings"

	"signet/api"
	"signet/api/oauth"
)

// OAuthOrigin is the origin name a derived [refresh] or [logout] uses when
// the provider's endpoint is on another server than base_url.
const OAuthOrigin = "oauth"

// oauthTokens are where an RFC 6749 5.1 token answer keeps the tokens.
func oauthTokens() api.TokenPaths {
	return api.TokenPaths{
		AccessToken: "access_token", RefreshToken: "refresh_token", TokenType: "token_type",
		Expiry: []api.ExpirySpec{{Path: "expires_in", Unit: "seconds"}},
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
func oauthDefaults(p *api.Profile) {
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
			p.Refresh = &api.RefreshSpec{RequestSpec: api.RequestSpec{
				Method: "POST", Origin: origin, Path: path, Encoding: "form",
				Body: client(map[string]any{"grant_type": "refresh_token", "refresh_token": "{refresh_token}"}),
			}}
		}
	}
	if p.Logout == nil && o.RevocationEndpoint != "" {
		if origin, path, ok := declareEndpoint(p, o.RevocationEndpoint); ok {
			p.Logout = &api.RequestSpec{
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
func endpointOn(p api.Profile, raw string) (origin, path string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", "", false
	}
	here := api.Origin(u)
	path = u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if base, err := url.Parse(strings.TrimRight(p.BaseURL, "/")); err == nil && api.Origin(base) == here {
		return "", path, true
	}
	if have, taken := p.Origins[OAuthOrigin]; taken && strings.TrimRight(have, "/") != here {
		return "", "", false
	}
	return OAuthOrigin, path, true
}

// declareEndpoint is endpointOn that also declares the origin it names.
func declareEndpoint(p *api.Profile, raw string) (origin, path string, ok bool) {
	origin, path, ok = endpointOn(*p, raw)
	if ok && origin == OAuthOrigin {
		u, _ := url.Parse(raw)
		if p.Origins == nil {
			p.Origins = map[string]string{}
		}
		p.Origins[OAuthOrigin] = api.Origin(u)
	}
	return origin, path, ok
}

// oauth checks the [oauth] table.
func (c *checker) oauth(p api.Profile) {
	o := p.OAuth
	if o.ClientID == "" {
		c.add("oauth.client_id", "required: the client ID you registered at the provider for Signet (a public or native app)")
	}
	if o.Issuer == "" && (o.TokenEndpoint == "" || o.AuthorizationEndpoint == "" && o.DeviceAuthorizationEndpoint == "") {
		c.add("oauth", "needs issuer (an OpenID Connect provider: the endpoints are discovered) or, for plain OAuth 2.0, "+
			"token_endpoint with authorization_endpoint or device_authorization_endpoint")
	}
	if o.Device && o.Issuer == "" && o.DeviceAuthorizationEndpoint == "" {
		c.add("oauth.device", "device = true needs issuer or device_authorization_endpoint")
	}
	if o.EndSession && o.Issuer == "" && o.EndSessionEndpoint == "" {
		c.add("oauth.end_session", "end_session = true needs issuer or end_session_endpoint")
	}
	for _, e := range []struct{ field, raw string }{
		{"issuer", o.Issuer}, {"authorization_endpoint", o.AuthorizationEndpoint}, {"token_endpoint", o.TokenEndpoint},
		{"device_authorization_endpoint", o.DeviceAuthorizationEndpoint}, {"userinfo_endpoint", o.UserinfoEndpoint},
		{"revocation_endpoint", o.RevocationEndpoint}, {"end_session_endpoint", o.EndSessionEndpoint},
		{"post_logout_redirect_uri", o.PostLogoutRedirectURI},
	} {
		if e.raw != "" {
			c.endpoint("oauth."+e.field, e.raw)
		}
	}
	for _, f := range []struct{ field, raw string }{{"token_endpoint", o.TokenEndpoint}, {"revocation_endpoint", o.RevocationEndpoint}} {
		if f.raw == "" {
			continue
		}
		if _, _, ok := endpointOn(p, f.raw); !ok {
			c.add("oauth."+f.field, "is on another server than base_url and origins.%s names a third one; rename that origin", OAuthOrigin)
		}
	}
	switch o.RedirectHost {
	case "", "127.0.0.1", "localhost":
	default:
		c.add("oauth.redirect_host", "must be \"127.0.0.1\" (the default) or \"localhost\": the browser comes back to this computer only")
	}
	if o.RedirectPath != "" && (!strings.HasPrefix(o.RedirectPath, "/") || strings.ContainsAny(o.RedirectPath, "?#")) {
		c.add("oauth.redirect_path", "must start with / and hold no query or fragment, such as \"/callback\"")
	}
	for i, port := range o.RedirectPorts {
		if port < 1024 || port > 65535 {
			c.add("oauth.redirect_ports", "redirect_ports[%d] = %d: use the ports registered at the provider, 1024–65535", i, port)
		}
	}
	for _, k := range sortedKeys(o.AuthParams) {
		if reservedAuthParam(k) {
			c.add("oauth.auth_params."+k, "Signet sets %s itself; remove it", k)
		}
	}
	if len(c.probs) == 0 {
		if _, err := oauth.New(OAuthConfig(p)); err != nil {
			c.add("oauth", "%v", err)
		}
	}
}

// endpoint accepts an absolute URL that is https, or http on this computer.
func (c *checker) endpoint(f, raw string) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		c.add(f, "must be an absolute URL such as https://id.example.com; got %q", raw)
	case u.Fragment != "":
		c.add(f, "must not have a fragment")
	default:
		if err := api.CheckBaseURL(u.Scheme + "://" + u.Host); err != nil {
			c.add(f, "%v", err)
		}
	}
}

func reservedAuthParam(k string) bool {
	switch k {
	case "state", "nonce", "code_challenge", "code_challenge_method", "redirect_uri", "client_id", "response_type", "scope":
		return true
	}
	return false
}

// OAuthConfig is p's [oauth] as the oauth package takes it (the zero Config
// when p has none).
func OAuthConfig(p api.Profile) oauth.Config {
	o := p.OAuth
	if o == nil {
		return oauth.Config{}
	}
	cfg := oauth.Config{
		Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: o.ClientSecret,
		Scopes: o.Scopes, AuthParams: o.AuthParams,
		Endpoints: oauth.Endpoints{
			Authorization: o.AuthorizationEndpoint, Token: o.TokenEndpoint,
			DeviceAuthorization: o.DeviceAuthorizationEndpoint, Userinfo: o.UserinfoEndpoint,
			Revocation: o.RevocationEndpoint, EndSession: o.EndSessionEndpoint,
		},
		Redirect: oauth.Redirect{Host: o.RedirectHost, Ports: o.RedirectPorts, Path: o.RedirectPath,
			IPv6: o.RedirectHost == "localhost"},
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = nil
	}
	return cfg
}

// Warnings are what is allowed in p but unwise, one sentence each.
func Warnings(p api.Profile) []string {
	o := p.OAuth
	if o == nil {
		return nil
	}
	var w []string
	if o.ClientSecret != "" {
		w = append(w, "oauth.client_secret: a desktop app cannot keep a secret (anyone with the app or the profile can read it); "+
			"register Signet as a public (native) client, which PKCE protects, if the provider allows it")
	}
	return w
}
