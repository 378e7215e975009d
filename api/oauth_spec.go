package api

import "slices"

// OAuthSpec is a profile's OAuth 2.0 / OpenID Connect provider, for signing
// in through the browser (authorization code with PKCE on a loopback
// redirect) or on another device. With an Issuer the endpoints come from
// its discovery document; an endpoint named here overrides the discovered
// one. Renewal and sign-out go through the ordinary [refresh] and [logout]
// calls, which the profile package derives from TokenEndpoint and
// RevocationEndpoint when the file does not write them; with an Issuer
// alone they go to the discovered endpoints (Config.Provider).
type OAuthSpec struct {
	Issuer   string `toml:"issuer"`
	ClientID string `toml:"client_id"`
	// ClientSecret is optional: a desktop app cannot keep a secret.
	ClientSecret string `toml:"client_secret"`
	// Scopes asked for; empty means "openid profile email offline_access"
	// with an Issuer and none without.
	Scopes []string `toml:"scopes"`
	// AuthParams are extra authorization request parameters (audience,
	// prompt, resource, ...).
	AuthParams map[string]string `toml:"auth_params"`

	AuthorizationEndpoint       string `toml:"authorization_endpoint"`
	TokenEndpoint               string `toml:"token_endpoint"`
	DeviceAuthorizationEndpoint string `toml:"device_authorization_endpoint"`
	UserinfoEndpoint            string `toml:"userinfo_endpoint"`
	RevocationEndpoint          string `toml:"revocation_endpoint"`
	EndSessionEndpoint          string `toml:"end_session_endpoint"`

	// RedirectPorts are fixed loopback ports the provider has registered,
	// tried in order (empty: any free port). RedirectHost is "127.0.0.1"
	// (default) or "localhost"; RedirectPath defaults to "/callback".
	RedirectPorts []int  `toml:"redirect_ports"`
	RedirectHost  string `toml:"redirect_host"`
	RedirectPath  string `toml:"redirect_path"`

	// Device: the provider has device authorization (RFC 8628), offered
	// as "Sign in on another device".
	Device bool `toml:"device"`
	// EndSession: sign-out should also end the provider's browser session
	// (OpenID Connect RP-initiated logout, oauth.Client.LogoutURL): the
	// window opens the provider's logout page after the local sign-out.
	EndSession bool `toml:"end_session"`
	// PostLogoutRedirectURI is where the provider sends the browser after
	// its logout page, when it is registered there; empty sends none.
	PostLogoutRedirectURI string `toml:"post_logout_redirect_uri"`
}

// Clone returns a deep copy.
func (o *OAuthSpec) Clone() *OAuthSpec {
	if o == nil {
		return nil
	}
	c := *o
	c.Scopes = slices.Clone(o.Scopes)
	c.RedirectPorts = slices.Clone(o.RedirectPorts)
	if o.AuthParams != nil {
		c.AuthParams = make(map[string]string, len(o.AuthParams))
		for k, v := range o.AuthParams {
			c.AuthParams[k] = v
		}
	}
	return &c
}

// BrowserSignIn reports whether the profile signs in through the browser.
func (p Profile) BrowserSignIn() bool { return p.OAuth != nil }

// PasswordSignIn reports whether the profile has a password form: every
// profile without [oauth], and one with [oauth] that also declares a
// sign-in call.
func (p Profile) PasswordSignIn() bool { return p.OAuth == nil || p.Login.Path != "" }
