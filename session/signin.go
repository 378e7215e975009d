package session

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"signet/api"
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
	res.User = whoIsThis(ctx, c.client, c.httpClient, res, c.log)
	if err := c.startSession(gen, username, method, res); err != nil {
		return err
	}
	c.log.Info("signed in", "method", method, "memory_only", c.Snapshot().MemoryOnly)
	return nil
}

// startSession persists the new session (keychain first) and installs it,
// unless a sign-out (or Close) came while the server was answering.
func (c *Controller) startSession(gen uint64, username, method string, res api.LoginResult) error {
	now := c.now()
	sp := sessionPrefs{username: username, user: res.User, expiry: res.Tokens.Expiry, signedInAt: now,
		method: method, provider: signInProvider(c.profile, method)}
	c.storage.persistMu.Lock()
	c.mu.Lock()
	stale := c.gen != gen
	c.mu.Unlock()
	if stale {
		c.storage.persistMu.Unlock()
		return ErrSignedOut
	}
	c.storage.saveTokens(c.storage.signInStore(), res.Tokens, sp, true)
	c.mu.Lock()
	c.storage.persistMu.Unlock()
	defer c.mu.Unlock()
	if !c.moveLocked(gen, SignedIn) {
		return ErrSignedOut
	}
	c.startLocked(NewToken(res.Tokens, now), sp)
	c.scheduleRenewLocked()
	c.changedLocked()
	return nil
}

// passwordSecret owns the password in Secrets while a sign-in runs.
type passwordSecret struct{ c *Controller }

// whoIsThis is the user the sign-in answer names, completed by the
// current-user call when the answer didn't say (a failure of that second
// call doesn't undo the sign-in). The call goes out with the new tokens,
// before the session holds them, over the base transport of the session's
// client sc.
func whoIsThis(ctx context.Context, client *api.Client, sc *http.Client, res api.LoginResult, log *slog.Logger) api.User {
	if res.User.Name != "" || client.Profile().Me == nil {
		return res.User
	}
	me, err := client.Me(ctx, staticClient(client, sc, res.Tokens))
	if err != nil {
		log.Info("current-user call failed", "kind", api.KindOf(err).String())
		return res.User
	}
	return mergeUser(res.User, me)
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
// client sc, whose base transport it shares, it sends the token to the
// API's origin only (R12).
func staticClient(client *api.Client, sc *http.Client, t api.Tokens) *http.Client {
	base := sc.Transport.(*Transport).Base
	return &http.Client{Transport: &Transport{Source: StaticTokenSource(NewToken(t, time.Time{})), Base: base, Origins: client.BearerOrigins()}}
}
