package ui

import (
	"net/url"

	"signet/api"
	"signet/session"
)

// signInMethodText says how the session began and, for the browser and
// device ways, at which provider: "Browser, at id.example.com". Empty when
// it is not known (a session restored at start-up).
func signInMethodText(method string, p api.Profile) string {
	at := ""
	if p.OAuth != nil {
		raw := p.OAuth.Issuer
		if raw == "" {
			raw = p.OAuth.TokenEndpoint
		}
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			at = ", at " + u.Host
		}
	}
	switch method {
	case session.MethodPassword:
		return "Password"
	case session.MethodBrowser:
		return "Your browser" + at
	case session.MethodDevice:
		return "Another device" + at
	}
	return ""
}
