package session

import (
	"errors"
	"time"

	"signet/api"
	"signet/session/keychain"
)

// sessionPrefsLocked is the held session's non-secret half, for a pair
// expiring at expiry.
func (c *Controller) sessionPrefsLocked(expiry time.Time) sessionPrefs {
	return sessionPrefs{
		username: c.snap.Username, user: c.snap.User, expiry: expiry,
		signedInAt: c.snap.SignedInAt, lastRenewal: c.snap.LastRenewal, renewals: c.snap.Renewals,
		method: c.snap.SignInMethod, provider: c.snap.SignInProvider,
	}
}

// keychainStore returns the store to use now, or nil when the session is
// memory only.
func (c *Controller) keychainStore() keychain.Store {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.memoryOnly {
		return nil
	}
	return c.store
}

// saveTokens writes the keychain entry if it changed, then the prefs
// (keychain first: rule R7). A failing keychain turns the session memory
// only, with a notice, and the session goes on; the saved flag is then left
// out, so the next start ignores whatever older entry the keychain may
// still hold instead of spending it. A nil store means memory only. A
// sign-in passes retry, trying a keychain that failed before again: the
// usual reasons (locked, daemon still starting) go away while the app runs.
// Callers hold persistMu (not mu).
func (c *Controller) saveTokens(store keychain.Store, t api.Tokens, sp sessionPrefs, retry bool) {
	c.mu.Lock()
	memOnly, last := c.memoryOnly, c.stored
	c.mu.Unlock()
	value := encodeTokens(t)
	sp.saved = false
	sp.deleteEntry = c.storage.prefs.String(c.storage.keys.deleteEntry) == "1"
	switch {
	case store == nil || memOnly && !retry:
	case value == last && !memOnly:
		sp.saved, sp.deleteEntry = true, false
	default:
		c.storage.markSaved(sp)
		if err := store.Set(c.storage.keys.tokensEntry, value); err != nil {
			c.log.Warn("keychain write failed; the session is memory only", "err", keychainErrText(err))
			c.goMemoryOnly(noticeCantSave)
			// The entry still there holds an older pair (a rotated refresh
			// token is dead anyway): no secret should outlive its use. A
			// write that timed out may still land later. Whatever may be
			// left is noted, never forgotten (R14).
			var te *keychain.TimeoutError
			sp.deleteEntry = sp.deleteEntry || errors.As(err, &te)
			if last != "" {
				if c.storage.deleteEntry(store) {
					c.mu.Lock()
					c.stored = ""
					c.mu.Unlock()
				} else {
					sp.deleteEntry = true
				}
			}
		} else {
			// The entry is ours now, whatever an earlier write left there.
			sp.saved, sp.deleteEntry = true, false
			c.mu.Lock()
			c.stored = value
			if c.memoryOnly {
				c.memoryOnly = false
				c.snap.MemoryOnly = false
				c.snap.Notice = ""
				c.changedLocked()
			}
			c.mu.Unlock()
		}
	}
	c.storage.writePrefs(sp)
}

// wipe removes the keychain entry, then the token preferences (in that
// order: R14), keeping the username. Callers hold persistMu.
func (c *Controller) wipe() {
	c.mu.Lock()
	memOnly, held := c.memoryOnly, c.stored != ""
	c.stored = ""
	c.mu.Unlock()
	sp := c.storage.readPrefs()
	// Even a memory-only session deletes an entry it wrote or read before
	// the keychain failed (held), one a previous run saved, or one a failed
	// write may have left; a session that never reached the keychain
	// doesn't wait on it.
	reached := !memOnly || sp.saved || sp.deleteEntry || held
	if c.store == nil || !reached {
		c.storage.clearSessionPrefs(false)
		return
	}
	c.storage.clearSessionPrefs(!c.storage.deleteEntry(c.store))
}

// goMemoryOnly marks the session as living in memory only, with a notice.
func (c *Controller) goMemoryOnly(notice string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.memoryOnly = true
	c.snap.MemoryOnly = true
	c.snap.Notice = notice
	c.changedLocked()
}

// keychainErrText keeps keychain errors to their class in logs: a store's
// error text is not ours to vouch for.
func keychainErrText(err error) string {
	switch {
	case errors.Is(err, keychain.ErrNotFound):
		return keychain.ErrNotFound.Error()
	case errors.Is(err, keychain.ErrUnavailable):
		return keychain.ErrUnavailable.Error()
	}
	return "keychain error"
}

// SaveNow tries again to keep the current session beyond this run, after
// something changed that may let it (the person opted in to the plaintext
// file, or unlocked the keychain). It reports whether the session is now
// stored; a session that isn't memory only is stored already.
func (c *Controller) SaveNow() bool {
	c.persistMu.Lock()
	defer c.persistMu.Unlock()
	c.mu.Lock()
	if !c.hasTokensLocked() || c.store == nil {
		c.mu.Unlock()
		return false
	}
	if !c.memoryOnly {
		c.mu.Unlock()
		return true
	}
	t := c.tok.Tokens
	sp := c.sessionPrefsLocked(t.Expiry)
	c.mu.Unlock()
	c.saveTokens(c.signInStore(), t, sp, true)
	return !c.Snapshot().MemoryOnly
}

// ForgetUsername drops the username kept to fill the sign-in form, for a
// person who asked Signet not to remember it. A held session keeps its
// username until it ends.
func (c *Controller) ForgetUsername() {
	c.persistMu.Lock()
	updatePrefs(c.storage.prefs, func(p Preferences) { p.RemoveValue(c.storage.keys.username) })
	c.persistMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.snap.State.HasSession() && c.snap.Username != "" {
		c.snap.Username = ""
		c.changedLocked()
	}
}
