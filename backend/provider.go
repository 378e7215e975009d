package backend

import (
	"signet/api"
	"signet/api/oauth"
	"signet/profile"
)

// discoveredProvider is the renewal and revocation of an OpenID Connect
// profile that names its issuer but not the token or revocation endpoint
// (so the profile package could derive no [refresh] or [logout]): they
// come from the issuer's discovery document, which the oauth client fetches
// at the first renewal or sign-out, caches and refreshes when stale. A
// restored live session so makes no network call at start-up. Nil when the
// profile's own calls cover both.
func discoveredProvider(p api.Profile) (*oauth.Client, error) {
	if p.OAuth == nil || p.OAuth.Issuer == "" || (p.Refresh != nil && p.Logout != nil) {
		return nil, nil
	}
	return oauth.New(profile.OAuthConfig(p))
}
