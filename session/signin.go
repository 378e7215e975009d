package session

import (
	"context"
	"net/http"
	"strings"
	"time"

	"signet/api"
	"signet/session/keychain"
)

// SignIn signs in; on failure the state goes back to SignedOut (or Expired,
// keeping the username) and the error is returned and kept in Snapshot.Err.
func (c *Controller) SignIn(ctx context.Context, username, password string) error {
	username = strings.TrimSpace(username)
	return c.signIn(ctx, username, MethodPassword, func(ctx context.Context) (api.LoginResult, error) {
		// The server's answer may quote the password: it is scrubbed out
		// of the error shown and logged while it is a known secret.
		c.secrets.put(passwordSecret{c}, password)
		defer c.secrets.put(passwordSecret{c})
		res, err := c.client.Login(ctx, username, password)
		return res, c.secrets.ScrubError(err)
	})
}

// signIn obtains a first token set with obtain (the profile's sign-in call,
// or a browser or device sign-in: SignInWith) and installs and persists it
// as the session; method is how (Snapshot.SignInMethod).
func (c *Controller) signIn(ctx context.Context, username, method string, obtain func(context.Context) (api.LoginResult, error)) error {
	c.mu.Lock()
	if c.snap.State == SigningIn || c.snap.State == Restoring || c.snap.State.HasSession() {
		c.mu.Unlock()
		return ErrBusy
	}
	prev := c.snap.State
	c.gen++ // anything still running for an older session is now stale
	gen := c.gen
	c.transitionLocked(SigningIn)
	c.snap.Username = username
	c.snap.Err = nil
	c.changedLocked()
	c.mu.Unlock()

	res, err := obtain(ctx)
	// A server's answer may also quote a token of an older session.
	err = c.secrets.ScrubError(err)
	if err != nil {
		c.log.Info("sign-in refused or failed", "kind", api.KindOf(err).String())
		c.mu.Lock()
		if c.moveLocked(gen, prev) {
			c.snap.Err = err
			c.changedLocked()
		}
		c.mu.Unlock()
		return err
	}
	res.User = c.whoIsThis(ctx, res)
	if err := c.startSession(gen, username, method, res); err != nil {
		return err
	}
	c.log.Info("signed in", "method", method, "memory_only", c.Snapshot().MemoryOnly)
	return nil
}

// whoIsThis is the user the sign-in answer names, completed by the
// current-user call when the answer didn't say (a failure of that second
// call doesn't undo the sign-in).
func (c *Controller) whoIsThis(ctx context.Context, res api.LoginResult) api.User {
	if res.User.Name != "" || c.profile.Me == nil {
		return res.User
	}
	me, err := c.client.Me(ctx, c.staticClient(res.Tokens))
	if err != nil {
		c.log.Info("current-user call failed", "kind", api.KindOf(err).String())
		return res.User
	}
	return mergeUser(res.User, me)
}

// startSession persists the new session (keychain first) and installs it,
// unless a sign-out (or Close) came while the server was answering.
func (c *Controller) startSession(gen uint64, username, method string, res api.LoginResult) error {
	now := c.now()
	provider := signInProvider(c.profile, method)
	sp := sessionPrefs{username: username, user: res.User, expiry: res.Tokens.Expiry, signedInAt: now,
		method: method, provider: provider}
	c.persistMu.Lock()
	c.mu.Lock()
	stale := c.gen != gen
	c.mu.Unlock()
	if stale {
		c.persistMu.Unlock()
		return ErrSignedOut
	}
	c.saveTokens(c.signInStore(), res.Tokens, sp, true)
	c.mu.Lock()
	c.persistMu.Unlock()
	defer c.mu.Unlock()
	if !c.moveLocked(gen, SignedIn) {
		return ErrSignedOut
	}
	c.tok = NewToken(res.Tokens, now)
	c.newSessionContextLocked()
	c.snap.User = res.User
	c.snap.Expiry = res.Tokens.Expiry
	c.snap.SignedInAt = now
	c.snap.LastRenewal = time.Time{}
	c.snap.Renewals = 0
	c.snap.SignInMethod = method
	c.snap.SignInProvider = provider
	c.snap.Err = nil
	c.retryN = 0
	c.scheduleRenewLocked()
	c.changedLocked()
	return nil
}

// passwordSecret owns the password in Secrets while a sign-in runs.
type passwordSecret struct{ c *Controller }

// signInStore is the keychain with the longer sign-in timeout when the
// store supports one (an unlock prompt may be on screen), nil when there is
// no keychain at all.
func (c *Controller) signInStore() keychain.Store {
	if c.store == nil {
		return nil
	}
	return keychain.WithTimeout(c.store, c.signInKCTO)
}

func mergeUser(a, b api.User) api.User {
	if a.ID == "" {
		a.ID = b.ID
	}
	if a.Name == "" {
		a.Name = b.Name
	}
	if a.Email == "" {
		a.Email = b.Email
	}
	return a
}

// staticClient is an authenticated client for one token pair, used for the
// current-user call before the session is installed. Like the session's
// transport it sends the token to the API's origin only (R12).
func (c *Controller) staticClient(t api.Tokens) *http.Client {
	base := c.httpClient.Transport.(*Transport).Base
	return &http.Client{Transport: &Transport{Source: StaticTokenSource(NewToken(t, time.Time{})), Base: base, Origins: c.client.BearerOrigins()}}
}
