package session

import (
	"context"
	"net/url"

	"signet/api"
)

// How a session began, as Snapshot.SignInMethod says it.
const (
	MethodPassword = "password"
	MethodBrowser  = "browser"
	MethodDevice   = "device"
)

// SignInWith signs in with tokens obtained some other way than the
// profile's sign-in call: obtain runs a browser or device sign-in (package
// api/oauth) and returns the first token set and who signed in. From then
// on the session is the same as after SignIn: the tokens (ID token too) go
// to the keychain, renewal, the 401 rule and sign-out work as usual.
// method names the way for Snapshot.SignInMethod. The username the form
// remembers is kept.
func (c *Controller) SignInWith(ctx context.Context, method string, obtain func(context.Context) (api.Tokens, api.User, error)) error {
	return c.signIn(ctx, c.Snapshot().Username, method, func(ctx context.Context) (api.LoginResult, error) {
		t, u, err := obtain(ctx)
		return api.LoginResult{Tokens: t, User: u}, err
	})
}

// signInProvider is the host of the provider a browser or device sign-in
// goes through (Snapshot.SignInProvider): the issuer's, else the token
// endpoint's. A password sign-in has none.
func signInProvider(p api.Profile, method string) string {
	if method == MethodPassword || p.OAuth == nil {
		return ""
	}
	raw := p.OAuth.Issuer
	if raw == "" {
		raw = p.OAuth.TokenEndpoint
	}
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return ""
}
