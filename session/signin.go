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
		// The server's answer may quote the password (or a token of an
		// older session): scrub it out of the error shown and logged.
		c.secrets.put(passwordSecret{c}, password)
		defer c.secrets.put(passwordSecret{c})
		res, err := c.client.Login(ctx, username, password)
		return res, c.secrets.ScrubError(err)
	})
}

// signIn obtains a first token set with obtain and installs and persists
// it as the session; method is how (Snapshot.SignInMethod).
func (c *Controller) signIn(ctx context.Context, username, method string, obtain func(context.Context) (api.LoginResult, error)) error {
	c.mu.Lock()
	if c.snap.State == SigningIn || c.snap.State == Restoring || c.snap.State.HasSession() {
		c.mu.Unlock()
		return ErrBusy
	}
	prev := c.snap.State
	c.gen++ // anything still running for an older session is now stale
	gen := c.gen
	c.setStateLocked(SigningIn)
	c.snap.Username = username
	c.snap.Err = nil
	c.changedLocked()
	c.mu.Unlock()

	res, err := obtain(ctx)
	err = c.secrets.ScrubError(err)
	if err != nil {
		c.log.Info("sign-in refused or failed", "kind", api.KindOf(err).String())
		c.mu.Lock()
		if c.gen == gen {
			c.setStateLocked(prev)
			c.snap.Err = err
			c.changedLocked()
		}
		c.mu.Unlock()
		return err
	}
	user := res.User
	if user.Name == "" && c.profile.Me != nil {
		// The sign-in answer didn't say who this is; ask once, with the
		// fresh token. A failure here doesn't undo the sign-in.
		me, err := c.client.Me(ctx, c.staticClient(res.Tokens))
		if err != nil {
			c.log.Info("current-user call failed", "kind", api.KindOf(err).String())
		} else {
			user = mergeUser(user, me)
		}
	}

	now := c.now()
	sp := sessionPrefs{username: username, user: user, expiry: res.Tokens.Expiry, signedInAt: now}
	c.persistMu.Lock()
	c.mu.Lock()
	stale := c.gen != gen
	c.mu.Unlock()
	if stale { // signed out (or closed) while the server was answering
		c.persistMu.Unlock()
		return ErrSignedOut
	}
	c.saveTokens(c.signInStore(), res.Tokens, sp, true)
	c.mu.Lock()
	c.persistMu.Unlock()
	if c.gen != gen {
		c.mu.Unlock()
		return ErrSignedOut
	}
	c.tokens = res.Tokens
	c.obtainedAt = now
	c.newSessionContextLocked()
	c.snap.User = user
	c.snap.Expiry = res.Tokens.Expiry
	c.snap.SignedInAt = now
	c.snap.LastRenewal = time.Time{}
	c.snap.Renewals = 0
	c.snap.SignInMethod = method
	c.snap.Err = nil
	c.retryN = 0
	c.setStateLocked(SignedIn)
	c.scheduleRenewLocked()
	c.changedLocked()
	c.mu.Unlock()
	c.log.Info("signed in", "memory_only", c.Snapshot().MemoryOnly)
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
	return &http.Client{Transport: roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if api.Origin(req.URL) == c.apiOrigin {
			req = req.Clone(req.Context())
			req.Header.Set("Authorization", authValue(t))
		}
		return c.baseTransport().RoundTrip(req)
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// authValue is the Authorization header for t ("Bearer" unless the server
// named another type).
func authValue(t api.Tokens) string {
	typ := t.TokenType
	if typ == "" || strings.EqualFold(typ, "bearer") {
		typ = "Bearer"
	}
	return typ + " " + t.AccessToken
}
