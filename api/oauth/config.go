package oauth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"signet/api"
)

// DefaultOIDCScopes are asked for when an OIDC Config names no scopes:
// identity, name and e-mail, and a refresh token so the session outlives
// the access token without the browser.
var DefaultOIDCScopes = []string{"openid", "profile", "email", "offline_access"}

// Defaults for the zero values of Config.
const (
	DefaultTimeout      = 5 * time.Minute
	DefaultDiscoveryTTL = time.Hour
	DefaultRedirectPath = "/callback"
)

// Config describes one provider and this app's registration there.
type Config struct {
	// Issuer is the OpenID Connect issuer URL. When set, the endpoints and
	// signing keys come from its /.well-known/openid-configuration and ID
	// tokens are verified. Empty means plain OAuth 2.0 (Endpoints).
	Issuer string
	// Endpoints are required for plain OAuth 2.0; with an Issuer, a
	// non-empty field overrides the discovered one.
	Endpoints Endpoints

	ClientID string
	// ClientSecret is optional. A desktop app cannot keep a secret (anyone
	// can read it from the binary); some providers want one anyway.
	ClientSecret string
	// Scopes asked for; nil means DefaultOIDCScopes with an Issuer and none
	// without.
	Scopes []string
	// AuthParams are extra authorization request parameters (audience,
	// prompt, resource, ...). They cannot replace the ones this package
	// sets itself (state, PKCE, nonce, redirect_uri, ...).
	AuthParams map[string]string

	Redirect Redirect

	// HTTPClient is used for discovery, token, userinfo and revocation
	// calls (nil: a client with a 30 s timeout).
	HTTPClient *http.Client
	// Timeout bounds a browser or device attempt (default 5 minutes).
	Timeout time.Duration
	// DiscoveryTTL is how long discovered metadata is reused before it is
	// fetched again (default 1 hour).
	DiscoveryTTL time.Duration
	// Now is the clock for ID token expiry (default time.Now).
	Now func() time.Time
}

// Endpoints of a provider. Only Authorization and Token are needed for the
// browser flow, DeviceAuthorization and Token for the device flow.
type Endpoints struct {
	Authorization       string
	Token               string
	DeviceAuthorization string
	Userinfo            string
	Revocation          string
	EndSession          string
}

// Redirect says where the browser comes back to (RFC 8252 7.3). The zero
// value is http://127.0.0.1:{random port}/callback.
type Redirect struct {
	// Host in the redirect URI: "127.0.0.1" (default), "localhost" (some
	// providers accept only that name) or "[::1]". The listener binds
	// loopback addresses only, whatever the name.
	Host string
	// Ports the provider has registered, tried in order; the first free
	// one wins. Empty means a random free port.
	Ports []int
	// Path of the redirect URI (default /callback).
	Path string
	// IPv6 also listens on [::1] (the browser may resolve localhost there).
	IPv6 bool
}

func (c Config) withDefaults() (Config, error) {
	if c.ClientID == "" {
		return c, errors.New("oauth: the client ID is empty")
	}
	if c.Issuer == "" && (c.Endpoints.Authorization == "" && c.Endpoints.DeviceAuthorization == "" || c.Endpoints.Token == "") {
		return c, errors.New("oauth: without an issuer, the token endpoint and the authorization or device endpoint are required")
	}
	for name, raw := range map[string]string{
		"issuer": c.Issuer, "authorization endpoint": c.Endpoints.Authorization, "token endpoint": c.Endpoints.Token,
		"device authorization endpoint": c.Endpoints.DeviceAuthorization, "userinfo endpoint": c.Endpoints.Userinfo,
		"revocation endpoint": c.Endpoints.Revocation, "end session endpoint": c.Endpoints.EndSession,
	} {
		if err := checkEndpoint(raw); err != nil {
			return c, fmt.Errorf("oauth: the %s: %w", name, err)
		}
	}
	if c.Scopes == nil && c.Issuer != "" {
		c.Scopes = DefaultOIDCScopes
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.DiscoveryTTL <= 0 {
		c.DiscoveryTTL = DefaultDiscoveryTTL
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	r := &c.Redirect
	switch r.Host {
	case "":
		r.Host = "127.0.0.1"
	case "127.0.0.1", "localhost", "[::1]":
	default:
		return c, fmt.Errorf("oauth: the redirect host %q is not loopback (127.0.0.1, localhost or [::1])", r.Host)
	}
	if r.Path == "" {
		r.Path = DefaultRedirectPath
	}
	if !strings.HasPrefix(r.Path, "/") || strings.ContainsAny(r.Path, "?#") {
		return c, fmt.Errorf("oauth: the redirect path %q must start with / and hold no query or fragment", r.Path)
	}
	for _, p := range r.Ports {
		if p < 1 || p > 65535 {
			return c, fmt.Errorf("oauth: the redirect port %d is out of range", p)
		}
	}
	return c, nil
}

// checkEndpoint accepts an absolute URL that is https, or http on this
// computer only (design R12); empty is fine.
func checkEndpoint(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("not an absolute URL")
	}
	return api.CheckBaseURL(u.Scheme + "://" + u.Host)
}
