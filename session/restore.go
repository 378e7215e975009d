package session

import (
	"context"
	"errors"

	"signet/api"
	"signet/session/keychain"
)

// Restore loads the saved session (rule R9). It never returns the keychain's
// or the network's failure as "signed out" when a session may still be
// valid: it ends in SignedIn, Offline, Expired or SignedOut.
//
// A start without a saved session makes no keychain call (unless an earlier
// run noted an entry it could not delete: design R14); one with a saved
// session makes exactly one, and a network call only when the saved token is
// dead and must be renewed.
func (c *Controller) Restore(ctx context.Context) {
	c.mu.Lock()
	if c.snap.State != Restoring {
		c.mu.Unlock()
		return
	}
	gen := c.gen
	c.mu.Unlock()

	sp := c.storage.readPrefs()
	c.mu.Lock()
	c.snap.Username = sp.username
	c.mu.Unlock()
	tokens, raw, ok := c.loadSaved(gen, sp)
	if !ok {
		return
	}
	c.mu.Lock()
	if c.gen != gen {
		c.mu.Unlock()
		return
	}
	stale, renew := c.resumeLocked(tokens, raw, sp)
	c.mu.Unlock()
	switch {
	case !renew:
		c.log.Info("session restored")
	case stale == "":
		c.expire(gen, ErrSessionExpired)
	default:
		// The outcome (SignedIn, Offline with retries, Expired) is set by
		// the refresh itself; a caller that stops waiting doesn't stop it.
		if _, err := c.refresh(ctx, stale, whyRestore); err != nil {
			c.log.Info("restore: refresh failed", "err", err)
		}
	}
}

// loadSaved reads the saved session, if there is one; ok false means the
// restore is over (SignedOut, or Expired when the keychain can't answer).
func (c *Controller) loadSaved(gen uint64, sp sessionPrefs) (tokens api.Tokens, raw string, ok bool) {
	store := c.keychainStore()
	if !sp.saved && store != nil && c.storage.damaged() {
		// What the damaged file said is unknown: the keychain entry itself
		// decides (R14). The marker goes first, as before any write, so a
		// keychain that can't answer now is asked again next time.
		c.persistMu.Lock()
		sp.saved = true
		c.storage.writePrefs(sp)
		c.persistMu.Unlock()
	}
	switch {
	case !sp.saved:
		if sp.deleteEntry && store != nil {
			c.deleteLeftover(store)
		}
		c.finishRestore(gen, SignedOut, "no saved session")
		return api.Tokens{}, "", false
	case store == nil:
		// Saved by a run that had a keychain; this one has none.
		c.goMemoryOnly(noticeCantRestore)
		c.finishRestore(gen, Expired, "keychain absent")
		return api.Tokens{}, "", false
	}
	tokens, raw, err := c.storage.loadTokens(store)
	switch {
	case errors.Is(err, keychain.ErrNotFound), errors.Is(err, errBadEntry):
		// Removed behind our back (or unreadable): nothing to restore.
		c.persistMu.Lock()
		gone := !errors.Is(err, errBadEntry) || c.storage.deleteEntry(store)
		c.storage.clearSessionPrefs(!gone)
		c.persistMu.Unlock()
		c.finishRestore(gen, SignedOut, "saved entry missing")
		return api.Tokens{}, "", false
	case err != nil:
		// Keep the preferences: the entry may well be there next time.
		c.goMemoryOnly(noticeCantRestore)
		c.finishRestore(gen, Expired, "keychain unavailable")
		return api.Tokens{}, "", false
	}
	return tokens, raw, true
}

// deleteLeftover deletes an entry an earlier run may have left because it
// could not delete it (R14), now that there may be a keychain.
func (c *Controller) deleteLeftover(store keychain.Store) {
	c.persistMu.Lock()
	defer c.persistMu.Unlock()
	if c.storage.readPrefs().deleteEntry && c.storage.deleteEntry(store) {
		updatePrefs(c.storage.prefs, func(p Preferences) { p.RemoveValue(c.storage.keys.deleteEntry) })
	}
}

// resumeLocked installs the restored session. A live token (or one of
// unknown expiry: the first 401 will tell) makes it SignedIn with no
// network call; a dead one must be renewed first (renew true; stale empty
// when nothing can renew it).
func (c *Controller) resumeLocked(tokens api.Tokens, raw string, sp sessionPrefs) (stale string, renew bool) {
	obtained := sp.signedInAt
	if sp.lastRenewal.After(obtained) {
		obtained = sp.lastRenewal
	}
	c.tok = NewToken(tokens, obtained)
	c.stored = raw
	c.newSessionContextLocked()
	c.snap.User = sp.user
	c.snap.Expiry = tokens.Expiry
	c.snap.SignedInAt = sp.signedInAt
	c.snap.LastRenewal = sp.lastRenewal
	c.snap.Renewals = sp.renewals
	c.snap.SignInMethod = sp.method
	c.snap.SignInProvider = sp.provider
	switch {
	case !c.tok.Dead(c.now()):
		c.transitionLocked(SignedIn)
		c.scheduleRenewLocked()
		c.changedLocked()
		return "", false
	case !c.canRefreshLocked():
		return "", true
	}
	return tokens.AccessToken, true
}

// finishRestore ends a restore that found no usable session.
func (c *Controller) finishRestore(gen uint64, st State, why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.moveLocked(gen, st) {
		return
	}
	c.changedLocked()
	c.log.Info("restore: no session", "why", why)
}
