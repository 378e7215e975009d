package profile

import (
	"signet/api"
	"signet/api/oauth"
)

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
