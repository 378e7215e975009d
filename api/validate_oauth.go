package api

import (
	"net/url"
	"strings"
)

// oauth checks the [oauth] table.
func (c *checker) oauth(p Profile) {
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
		if err := CheckBaseURL(u.Scheme + "://" + u.Host); err != nil {
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
