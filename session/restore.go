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
	sp := c.storage.readPrefs()
	c.mu.Lock()
	if c.snap.State != Restoring {
		c.mu.Unlock()
		return
	}
	gen := c.gen
	c.snap.Username = sp.username
	c.mu.Unlock()
	tokens, raw, end, why := c.storage.openSaved(sp)
	c.mu.Lock()
	if why != "" {
		if c.moveLocked(gen, end) {
			c.changedLocked()
			c.log.Info("restore: no session", "why", why)
		}
		c.mu.Unlock()
		return
	}
	if c.gen != gen {
		c.mu.Unlock()
		return
	}
	// A live token (or one of unknown expiry: the first 401 will tell)
	// makes the session SignedIn with no network call; a dead one must be
	// renewed first.
	c.storage.stored = raw
	c.startLocked(NewToken(tokens, sp.obtained()), sp)
	live, renewable := !c.held.tok.Dead(c.now()), c.held.canRefreshLocked()
	if live {
		c.transitionLocked(SignedIn)
		c.scheduleRenewLocked()
		c.changedLocked()
	}
	c.mu.Unlock()
	switch {
	case live:
		c.log.Info("session restored")
	case !renewable:
		c.expire(gen, ErrSessionExpired)
	default:
		// The outcome (SignedIn, Offline with retries, Expired) is set by
		// the refresh itself; a caller that stops waiting doesn't stop it.
		if _, err := c.refresh(ctx, tokens.AccessToken, whyRestore); err != nil {
			c.log.Info("restore: refresh failed", "err", err)
		}
	}
}

// openSaved reads the saved session for Restore. When there is none to
// resume, why says so and end is where the restore ends: SignedOut, or
// Expired (memory only) when the keychain can't answer.
func (st *storage) openSaved(sp sessionPrefs) (tokens api.Tokens, raw string, end State, why string) {
	store := st.keychainStore()
	if !sp.saved && store != nil && st.damaged() {
		// What the damaged file said is unknown: the keychain entry itself
		// decides (R14). The marker goes first, as before any write, so a
		// keychain that can't answer now is asked again next time.
		st.persistMu.Lock()
		sp.saved = true
		st.writePrefs(sp)
		st.persistMu.Unlock()
	}
	switch {
	case !sp.saved:
		if sp.deleteEntry && store != nil {
			st.deleteLeftover(store)
		}
		return api.Tokens{}, "", SignedOut, "no saved session"
	case store == nil:
		// Saved by a run that had a keychain; this one has none.
		st.goMemoryOnly(noticeCantRestore)
		return api.Tokens{}, "", Expired, "keychain absent"
	case sp.deleteEntry:
		// Marked saved while an older entry was still to be deleted: a
		// kill came between the marker and the write it announced (R14).
		// The entry may be that older one, from a session that has ended
		// (signed out, say): never bring it back.
		st.persistMu.Lock()
		st.clearSessionPrefs(!st.deleteEntry(store))
		st.persistMu.Unlock()
		return api.Tokens{}, "", SignedOut, "unfinished save"
	}
	tokens, raw, err := st.loadTokens(store)
	switch {
	case errors.Is(err, keychain.ErrNotFound), errors.Is(err, errBadEntry):
		// Removed behind our back (or unreadable): nothing to restore.
		st.persistMu.Lock()
		gone := !errors.Is(err, errBadEntry) || st.deleteEntry(store)
		st.clearSessionPrefs(!gone)
		st.persistMu.Unlock()
		return api.Tokens{}, "", SignedOut, "saved entry missing"
	case err != nil:
		// Keep the preferences: the entry may well be there next time.
		st.goMemoryOnly(noticeCantRestore)
		return api.Tokens{}, "", Expired, "keychain unavailable"
	}
	return tokens, raw, Restoring, ""
}

// deleteLeftover deletes an entry an earlier run may have left because it
// could not delete it (R14), now that there may be a keychain.
func (st *storage) deleteLeftover(store keychain.Store) {
	st.persistMu.Lock()
	defer st.persistMu.Unlock()
	if st.readPrefs().deleteEntry && st.deleteEntry(store) {
		updatePrefs(st.prefs, func(p Preferences) { p.RemoveValue(st.keys.deleteEntry) })
	}
}
