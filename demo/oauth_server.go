package demo

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DemoClientID is the public client the demo knows: Signet, as a native
// app with no secret (RFC 8252), redirecting to a loopback port.
const DemoClientID = "signet-desktop"

// Paths of the OAuth 2.0 / OpenID Connect endpoints.
const (
	pathDiscovery           = "/.well-known/openid-configuration"
	pathAuthorize           = "/oauth/authorize"
	pathToken               = "/oauth/token"
	pathDeviceAuthorization = "/oauth/device_authorization"
	pathDevice              = "/oauth/device"
	pathUserinfo            = "/oauth/userinfo"
	pathJWKS                = "/oauth/jwks"
	pathRevoke              = "/oauth/revoke"
	pathEndSession          = "/oauth/logout"
)

const (
	supportedScopes = "openid profile email offline_access"
	// codeTTL: an authorization code is single-use and lives 60 s.
	codeTTL = 60 * time.Second
	// pageTTL bounds how long a sign-in page may stay open.
	pageTTL = 10 * time.Minute
	// deviceTTL is how long a device code and its user code stay valid.
	deviceTTL = 10 * time.Minute

	grantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"
)

// oauthServer holds the short-lived state of browser and device sign-ins
// in memory: a restart forgets pages and codes in flight, never sessions
// (those are in the data file).
type oauthServer struct {
	s   *Server
	ids idSigner

	mu       sync.Mutex
	pending  map[string]*authRequest // sign-in page id → request
	codes    map[string]*authCode    // SHA-256(code) → grant
	devices  map[string]*deviceGrant // SHA-256(device code) → grant
	userCode map[string]string       // normalised user code → key in devices
}

func newOAuthServer(s *Server) (*oauthServer, error) {
	ids, err := s.st.loadIDSigner(s.cfg.Now)
	if err != nil {
		return nil, err
	}
	return &oauthServer{
		s: s, ids: ids,
		pending: map[string]*authRequest{}, codes: map[string]*authCode{},
		devices: map[string]*deviceGrant{}, userCode: map[string]string{},
	}, nil
}

func (o *oauthServer) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+pathDiscovery, o.handleDiscovery)
	mux.HandleFunc("GET "+pathJWKS, o.handleJWKS)
	mux.HandleFunc("GET "+pathAuthorize, o.handleAuthorize)
	mux.HandleFunc("POST "+pathAuthorize, o.handleAuthorizeForm)
	mux.HandleFunc("POST "+pathToken, o.handleToken)
	mux.HandleFunc("POST "+pathDeviceAuthorization, o.handleDeviceAuthorization)
	mux.HandleFunc("GET "+pathDevice, o.handleDevicePage)
	mux.HandleFunc("POST "+pathDevice, o.handleDeviceForm)
	mux.HandleFunc("GET "+pathUserinfo, o.s.requireToken(o.handleUserinfo))
	mux.HandleFunc("POST "+pathRevoke, o.handleRevoke)
	mux.HandleFunc("GET "+pathEndSession, o.handleEndSession)
}

// sweep drops everything expired; called with o.mu held on every write,
// so the maps stay as small as the sign-ins in flight.
func (o *oauthServer) sweep(now time.Time) {
	for k, p := range o.pending {
		if !now.Before(p.expires) {
			delete(o.pending, k)
		}
	}
	for k, c := range o.codes {
		if !now.Before(c.expires) {
			delete(o.codes, k)
		}
	}
	for k, d := range o.devices {
		// Kept a while past expiry so a late poll hears expired_token.
		if !now.Before(d.expires.Add(deviceTTL)) {
			delete(o.devices, k)
			delete(o.userCode, d.userCode)
		}
	}
}

// loopbackRedirect accepts only http redirect URIs on this computer, on
// any port (RFC 8252 7.3): a native app picks a free port each time.
func loopbackRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Fragment != "" || u.User != nil || u.Port() == "" {
		return false
	}
	switch strings.ToLower(u.Hostname()) {
	case "127.0.0.1", "::1", "localhost":
		return true
	}
	return false
}

// scopeSet keeps the scopes the demo knows.
func scopeSet(raw string) map[string]bool {
	set := map[string]bool{}
	for _, s := range strings.Fields(raw) {
		if strings.Contains(" "+supportedScopes+" ", " "+s+" ") {
			set[s] = true
		}
	}
	return set
}

// formValue reads a form field that may appear at most once (RFC 6749 3.1).
func formValue(v url.Values, name string) (string, bool) {
	vals := v[name]
	if len(vals) > 1 {
		return "", false
	}
	if len(vals) == 0 {
		return "", true
	}
	return vals[0], true
}

// pageHeaders keep sign-in pages out of frames (clickjacking), caches and
// Referer headers.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
}
