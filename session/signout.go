package session

import (
	"context"

	"signet/api"
)

// SignOut ends the session at once, online or not (rule R10): in-flight
// requests and timers are cancelled, the keychain entry and the token
// preferences are wiped (the username stays for the form), the state is
// SignedOut; then the server is told in the background, with a short
// timeout, never blocking the caller.
func (c *Controller) SignOut(ctx context.Context) { c.SignOutIDToken(ctx) }

// SignOutIDToken is SignOut that hands back the ID token the session held
// ("" when none), taken before the session forgot it: the id_token_hint of
// the provider's logout URL (OpenID Connect RP-initiated logout). The
// caller opens that URL and neither keeps nor logs it.
func (c *Controller) SignOutIDToken(ctx context.Context) (idToken string) {
	c.mu.Lock()
	tokens := c.held.tok.Tokens
	ended := c.endLocked()
	c.held.tok = Token{}
	if c.sessCancel != nil {
		c.sessCancel(ErrSignedOut)
	}
	// Registered under mu so that Close (which sets closed under mu, then
	// waits) either sees this goroutine or makes us skip it.
	tellServer := tokens.AccessToken != "" && !c.closed
	if tellServer {
		c.bg.Add(1)
	}
	c.mu.Unlock()

	c.wipeThenSettle(ended, SignedOut, nil)
	c.log.Info("signed out")

	if !tellServer {
		return tokens.IDToken
	}
	go func() {
		defer c.bg.Done()
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.logoutTO)
		defer cancel()
		if err := c.client.Logout(lctx, tokens); err != nil {
			c.log.Info("server logout failed (the session is over here anyway)", "kind", api.KindOf(err).String())
		}
	}()
	return tokens.IDToken
}
