package session

import (
	"errors"

	"signet/api"
	"signet/session/keychain"
)

// keychainStore returns the store to use now, or nil when the session is
// memory only.
func (st *storage) keychainStore() keychain.Store {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.memoryOnly {
		return nil
	}
	return st.store
}

// signInStore is the keychain with the longer sign-in timeout when the
// store supports one (an unlock prompt may be on screen), nil when there is
// no keychain at all.
func (st *storage) signInStore() keychain.Store {
	if st.store == nil {
		return nil
	}
	return keychain.WithTimeout(st.store, st.signInTO)
}

// withSecretsInLocked is s saying where the tokens are kept. Callers hold mu.
func (st *storage) withSecretsInLocked(s Snapshot) Snapshot {
	switch loc, ok := st.store.(interface{ Location() keychain.Location }); {
	case st.memoryOnly || st.store == nil:
		s.SecretsIn = keychain.LocationMemory
	case ok:
		s.SecretsIn = loc.Location()
	default:
		s.SecretsIn = keychain.LocationKeychain
	}
	return s
}

// goMemoryOnly marks the session as living in memory only, with a notice.
func (st *storage) goMemoryOnly(notice string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.memoryOnly = true
	st.modeChangedLocked(notice)
}

// saveTokens writes the keychain entry if it changed, then the prefs
// (keychain first: rule R7). A failing keychain turns the session memory
// only, with a notice, and the session goes on; the saved flag is then left
// out, so the next start ignores whatever older entry the keychain may
// still hold instead of spending it, and an entry the marker said was there
// that this save neither replaces nor deletes is noted for the next start
// to delete (R14: never forgotten). A nil store means memory only. A
// sign-in passes retry, trying a keychain that failed before again: the
// usual reasons (locked, daemon still starting) go away while the app runs.
// Callers hold persistMu (not mu).
func (st *storage) saveTokens(store keychain.Store, t api.Tokens, sp sessionPrefs, retry bool) {
	st.mu.Lock()
	memOnly, last := st.memoryOnly, st.stored
	st.mu.Unlock()
	value := encodeTokens(t)
	wasSaved := st.prefs.String(st.keys.saved) == "1"
	sp.saved = false
	sp.deleteEntry = st.prefs.String(st.keys.deleteEntry) == "1"
	switch {
	case store == nil || memOnly && !retry:
		sp.deleteEntry = sp.deleteEntry || wasSaved
	case value == last && !memOnly:
		sp.saved, sp.deleteEntry = true, false
	default:
		st.markSaved(sp)
		if err := store.Set(st.keys.tokensEntry, value); err != nil {
			sp.deleteEntry = st.writeFailed(store, err, last != "" || wasSaved) || sp.deleteEntry
			break
		}
		// The entry is ours now, whatever an earlier write left there.
		sp.saved, sp.deleteEntry = true, false
		st.mu.Lock()
		st.stored = value
		if st.memoryOnly {
			st.memoryOnly = false
			st.modeChangedLocked("")
		}
		st.mu.Unlock()
	}
	st.writePrefs(sp)
}

// writeFailed handles a keychain write that failed: the session goes
// memory only. The entry still there holds an older pair (a rotated refresh
// token is dead anyway): no secret should outlive its use. A write that
// timed out may still land later. Whatever may be left is noted, never
// forgotten (R14): leftover reports an entry the next start must delete.
// mayExist says an entry was there before the write (this run wrote or read
// one, or the marker says a run did).
func (st *storage) writeFailed(store keychain.Store, err error, mayExist bool) (leftover bool) {
	st.log.Warn("keychain write failed; the session is memory only", "err", keychainErrText(err))
	st.goMemoryOnly(noticeCantSave)
	var te *keychain.TimeoutError
	leftover = errors.As(err, &te)
	if !mayExist {
		return leftover
	}
	// The entry is no longer the session's, deleted or not: a delete that
	// fails, or runs later (laterDelete), is noted instead.
	st.mu.Lock()
	st.stored = ""
	st.mu.Unlock()
	return !st.deleteEntry(store) || leftover
}

// wipe removes the keychain entry, then the token preferences (in that
// order: R14), keeping the username. Callers hold persistMu.
func (st *storage) wipe() {
	st.mu.Lock()
	memOnly, held := st.memoryOnly, st.stored != ""
	st.stored = ""
	st.mu.Unlock()
	sp := st.readPrefs()
	// Even a memory-only session deletes an entry it wrote or read before
	// the keychain failed (held), one a previous run saved, or one a failed
	// write may have left; a session that never reached the keychain
	// doesn't wait on it.
	reached := !memOnly || sp.saved || sp.deleteEntry || held
	if st.store == nil || !reached {
		st.clearSessionPrefs(false)
		return
	}
	st.clearSessionPrefs(!st.deleteEntry(st.store))
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
	c.storage.persistMu.Lock()
	defer c.storage.persistMu.Unlock()
	c.mu.Lock()
	if !c.held.hasTokensLocked() || c.storage.store == nil {
		c.mu.Unlock()
		return false
	}
	if !c.storage.memoryOnly {
		c.mu.Unlock()
		return true
	}
	t := c.held.tok.Tokens
	sp := c.sessionPrefsLocked(t.Expiry)
	c.mu.Unlock()
	c.storage.saveTokens(c.storage.signInStore(), t, sp, true)
	return !c.Snapshot().MemoryOnly
}

// ForgetUsername drops the username kept to fill the sign-in form, for a
// person who asked Signet not to remember it. A held session keeps its
// username until it ends.
func (c *Controller) ForgetUsername() {
	c.storage.persistMu.Lock()
	updatePrefs(c.storage.prefs, func(p Preferences) { p.RemoveValue(c.storage.keys.username) })
	c.storage.persistMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.snap.State.HasSession() && c.snap.Username != "" {
		c.snap.Username = ""
		c.changedLocked()
	}
}
