package demo

import (
	"net/http"
	"strings"
)

// issuer is the demo's OpenID issuer: its own base URL as the client
// reached it. The demo listens on loopback only, where the Host header is
// what the client typed; a public server would configure its issuer.
func issuer(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// handleDiscovery serves /.well-known/openid-configuration.
func (o *oauthServer) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	iss := issuer(r)
	grants := []string{"authorization_code", grantDeviceCode}
	if !o.s.cfg.DisableRefresh {
		grants = append(grants, "refresh_token")
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                         iss,
		"authorization_endpoint":                         iss + pathAuthorize,
		"token_endpoint":                                 iss + pathToken,
		"device_authorization_endpoint":                  iss + pathDeviceAuthorization,
		"userinfo_endpoint":                              iss + pathUserinfo,
		"jwks_uri":                                       iss + pathJWKS,
		"revocation_endpoint":                            iss + pathRevoke,
		"end_session_endpoint":                           iss + pathEndSession,
		"response_types_supported":                       []string{"code"},
		"response_modes_supported":                       []string{"query"},
		"grant_types_supported":                          grants,
		"subject_types_supported":                        []string{"public"},
		"id_token_signing_alg_values_supported":          []string{"ES256"},
		"code_challenge_methods_supported":               []string{"S256"},
		"token_endpoint_auth_methods_supported":          []string{"none"},
		"scopes_supported":                               strings.Fields(supportedScopes),
		"claims_supported":                               []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid", "name", "preferred_username", "email", "email_verified"},
		"authorization_response_iss_parameter_supported": true,
	})
}

func (o *oauthServer) handleJWKS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	writeJSON(w, http.StatusOK, map[string]any{"keys": []any{o.ids.jwk()}})
}

// handleUserinfo serves the signed-in person's claims (OpenID Connect
// Core 5.3) to a valid access token.
func (o *oauthServer) handleUserinfo(w http.ResponseWriter, _ *http.Request, claims *accessClaims) {
	u, found, err := o.s.st.userByID(claims.Subject)
	if err != nil {
		o.s.internalError(w, "reading user", err)
		return
	}
	if !found {
		o.s.unauthorized(w, descTokenInvalid)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"sub": u.ID, "name": u.Name, "preferred_username": u.Username, "email": u.Email, "email_verified": true,
	})
}
