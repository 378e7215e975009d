package ui

import "signet/session"

// signInMethodText says how the session began and, for the browser and
// device ways, at which provider host: "Your browser, at id.example.com".
// Empty when it is not known (a session saved before the method was).
func signInMethodText(method, provider string) string {
	at := ""
	if provider != "" {
		at = ", at " + provider
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
