package session

import (
	"context"
	"errors"

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

	sp := c.readPrefs()
	c.mu.Lock()
	c.snap.Username = sp.username
	c.mu.Unlock()
	store := c.keychainStore()
	if !sp.saved && store != nil && c.stateDamaged() {
		// What the damaged file said is unknown: the keychain entry itself
		// decides (R14). The marker goes first, as before any write, so a
		// keychain that can't answer now is asked again next time.
		c.persistMu.Lock()
		sp.saved = true
		c.writePrefs(sp)
		c.persistMu.Unlock()
	}
	if !sp.saved {
		if sp.deleteEntry && store != nil {
			// An earlier run may have left an entry it could not delete
			// (R14): delete it now that there may be a keychain.
			c.persistMu.Lock()
			if c.readPrefs().deleteEntry && c.deleteEntry(store) {
				updatePrefs(c.prefs, func(p Preferences) { p.RemoveValue(c.keys.deleteEntry) })
			}
			c.persistMu.Unlock()
		}
		c.finishRestore(gen, SignedOut, "no saved session")
		return
	}
	if store == nil {
		// Saved by a run that had a keychain; this one has none.
		c.goMemoryOnly(noticeCantRestore)
		c.finishRestore(gen, Expired, "keychain absent")
		return
	}
	tokens, raw, err := c.loadTokens(store)
	switch {
	case errors.Is(err, keychain.ErrNotFound), errors.Is(err, errBadEntry):
		// Removed behind our back (or unreadable): nothing to restore.
		c.persistMu.Lock()
		gone := !errors.Is(err, errBadEntry) || c.deleteEntry(store)
		c.clearSessionPrefs(!gone)
		c.persistMu.Unlock()
		c.finishRestore(gen, SignedOut, "saved entry missing")
		return
	case err != nil:
		// Keep the preferences: the entry may well be there next time.
		c.goMemoryOnly(noticeCantRestore)
		c.finishRestore(gen, Expired, "keychain unavailable")
		return
	}

	c.mu.Lock()
	if c.gen != gen {
		c.mu.Unlock()
		return
	}
	c.tokens = tokens
	c.stored = raw
	c.obtainedAt = sp.signedInAt
	if sp.lastRenewal.After(c.obtainedAt) {
		c.obtainedAt = sp.lastRenewal
	}
	c.newSessionContextLocked()
	c.snap.User = sp.user
	c.snap.Expiry = tokens.Expiry
	c.snap.SignedInAt = sp.signedInAt
	c.snap.LastRenewal = sp.lastRenewal
	c.snap.Renewals = sp.renewals
	now := c.now()
	switch {
	case !c.deadLocked(now):
		// Live (or of unknown expiry: the first 401 will tell): no network.
		c.setStateLocked(SignedIn)
		c.scheduleRenewLocked()
		c.changedLocked()
		c.mu.Unlock()
		c.log.Info("session restored")
		return
	case !c.canRefreshLocked():
		c.mu.Unlock()
		c.expire(gen, ErrSessionExpired)
		return
	}
	stale := tokens.AccessToken
	c.mu.Unlock()
	// The outcome (SignedIn, Offline with retries, Expired) is set by the
	// refresh itself; a caller that stops waiting doesn't stop it.
	if _, err := c.refresh(ctx, stale, whyRestore); err != nil {
		c.log.Info("restore: refresh failed", "err", err)
	}
}

// finishRestore ends a restore that found no usable session.
func (c *Controller) finishRestore(gen uint64, st State, why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	c.setStateLocked(st)
	c.changedLocked()
	c.log.Info("restore: no session", "why", why)
}

// stateDamaged reports whether the preferences were found damaged at start
// (a StateFile set them aside), so no marker can be trusted to be missing.
func (c *Controller) stateDamaged() bool {
	d, ok := c.prefs.(interface{ Damaged() bool })
	return ok && d.Damaged()
}
