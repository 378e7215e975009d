package session

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"signet/api"
	"signet/session/keychain"
)

// Storage layout (rule R1).
//
// Keychain (service = the app ID, set on the Store): ONE entry per backend,
// "<key>/tokens" (key = Config.StorageKey), holding storedTokens as JSON. One entry means one read
// at start-up and one write per refresh; the expiry rides along so another
// running copy that re-reads the entry (R11) sees a consistent pair.
//
// Preferences, keys "session.<key>.<name>": everything else, none of it
// secret. "saved" says a keychain entry exists (or is being written), so a
// signed-out start makes no keychain call at all. The username is kept after
// sign-out to fill the form. Passwords are never stored anywhere.
//
// Order of writes (design R14: a kill at any moment loses no session and
// orphans no keychain entry; main keeps these preferences in a StateFile,
// replaced atomically):
//   - Saving a new entry: "saved" first, then the keychain. A kill between
//     leaves the marker without an entry; the next start finds no entry and
//     ends cleanly signed out. The other order would leave an entry no start
//     ever reads (no marker, no keychain call): a live refresh token
//     orphaned in the keychain.
//   - Wiping (sign-out, expiry): the keychain entry first, then "saved".
//     A kill between again leaves a marker without an entry: signed out, as
//     the person asked. Clearing the marker first would orphan the entry.
//   - A keychain write or delete that fails (or times out, and so may still
//     land) leaves "delete_entry": the next start with a keychain deletes
//     whatever is there, so the app never forgets an entry it may have made.

const storedVersion = 1

// storedTokens is the keychain entry's JSON.
type storedTokens struct {
	V            int    `json:"v"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type,omitempty"`
	Expiry       string `json:"expiry,omitempty"` // RFC 3339 with nanoseconds; empty: unknown
}

func encodeTokens(t api.Tokens) string {
	st := storedTokens{V: storedVersion, AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, TokenType: t.TokenType}
	if !t.Expiry.IsZero() {
		st.Expiry = t.Expiry.UTC().Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(st) // strings only: cannot fail
	return string(b)
}

var errBadEntry = errors.New("session: the saved keychain entry is unreadable")

func decodeTokens(s string) (api.Tokens, error) {
	var st storedTokens
	if err := json.Unmarshal([]byte(s), &st); err != nil || st.V != storedVersion || st.AccessToken == "" {
		return api.Tokens{}, errBadEntry
	}
	t := api.Tokens{AccessToken: st.AccessToken, RefreshToken: st.RefreshToken, TokenType: st.TokenType}
	if st.Expiry != "" {
		exp, err := time.Parse(time.RFC3339Nano, st.Expiry)
		if err != nil {
			return api.Tokens{}, errBadEntry
		}
		t.Expiry = exp
	}
	return t, nil
}

// prefKeys are one backend's keychain and preference keys.
type prefKeys struct {
	tokensEntry                          string // keychain key
	username, userID, userName, userMail string
	expiry, signedInAt, lastRenewal      string
	renewals, saved, deleteEntry         string
}

func newPrefKeys(key string) prefKeys {
	p := "session." + key + "."
	return prefKeys{
		tokensEntry: key + "/tokens",
		username:    p + "username",
		userID:      p + "user_id",
		userName:    p + "user_name",
		userMail:    p + "user_email",
		expiry:      p + "expiry",
		signedInAt:  p + "signed_in_at",
		lastRenewal: p + "last_renewal",
		renewals:    p + "renewals",
		saved:       p + "saved",
		deleteEntry: p + "delete_entry",
	}
}

// sessionPrefs is the non-secret part of a saved session.
type sessionPrefs struct {
	saved       bool
	deleteEntry bool // a keychain entry may be left that no session owns
	username    string
	user        api.User
	expiry      time.Time
	signedInAt  time.Time
	lastRenewal time.Time
	renewals    int
}

func (c *Controller) readPrefs() sessionPrefs {
	k, p := c.keys, c.prefs
	n, _ := strconv.Atoi(p.String(k.renewals))
	return sessionPrefs{
		saved:       p.String(k.saved) == "1",
		deleteEntry: p.String(k.deleteEntry) == "1",
		username:    p.String(k.username),
		user:        api.User{ID: p.String(k.userID), Name: p.String(k.userName), Email: p.String(k.userMail)},
		expiry:      parseTime(p.String(k.expiry)),
		signedInAt:  parseTime(p.String(k.signedInAt)),
		lastRenewal: parseTime(p.String(k.lastRenewal)),
		renewals:    n,
	}
}

// writePrefs stores the session's non-secret half, as one write when the
// preferences allow it (a StateFile): a kill leaves all of it or none.
func (c *Controller) writePrefs(sp sessionPrefs) {
	k := c.keys
	updatePrefs(c.prefs, func(p Preferences) {
		setOrRemove(p, k.username, sp.username)
		setOrRemove(p, k.userID, sp.user.ID)
		setOrRemove(p, k.userName, sp.user.Name)
		setOrRemove(p, k.userMail, sp.user.Email)
		setOrRemove(p, k.expiry, formatTime(sp.expiry))
		setOrRemove(p, k.signedInAt, formatTime(sp.signedInAt))
		setOrRemove(p, k.lastRenewal, formatTime(sp.lastRenewal))
		if sp.renewals > 0 {
			p.SetString(k.renewals, strconv.Itoa(sp.renewals))
		} else {
			p.RemoveValue(k.renewals)
		}
		setFlag(p, k.saved, sp.saved)
		setFlag(p, k.deleteEntry, sp.deleteEntry)
	})
}

// clearSessionPrefs removes everything but the username, which the sign-in
// form keeps. deleteEntry keeps (or sets) the note that a keychain entry may
// still be there.
func (c *Controller) clearSessionPrefs(deleteEntry bool) {
	k := c.keys
	updatePrefs(c.prefs, func(p Preferences) {
		for _, key := range []string{k.userID, k.userName, k.userMail, k.expiry, k.signedInAt, k.lastRenewal, k.renewals, k.saved} {
			p.RemoveValue(key)
		}
		setFlag(p, k.deleteEntry, deleteEntry)
	})
}

func setFlag(p Preferences, key string, on bool) {
	if on {
		p.SetString(key, "1")
	} else {
		p.RemoveValue(key)
	}
}

func setOrRemove(p Preferences, key, v string) {
	if v == "" {
		p.RemoveValue(key)
		return
	}
	p.SetString(key, v)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
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

// loadTokens reads the keychain entry. Any failure other than "not found"
// or an unreadable entry means the keychain is unavailable.
func (c *Controller) loadTokens(store keychain.Store) (api.Tokens, string, error) {
	v, err := store.Get(c.keys.tokensEntry)
	if err != nil {
		if errors.Is(err, keychain.ErrNotFound) {
			return api.Tokens{}, "", keychain.ErrNotFound
		}
		return api.Tokens{}, "", keychain.ErrUnavailable
	}
	t, err := decodeTokens(v)
	return t, v, err
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
	sp.deleteEntry = c.prefs.String(c.keys.deleteEntry) == "1"
	switch {
	case store == nil || memOnly && !retry:
	case value == last && !memOnly:
		sp.saved, sp.deleteEntry = true, false
	default:
		c.markSaved(sp)
		if err := store.Set(c.keys.tokensEntry, value); err != nil {
			c.log.Warn("keychain write failed; the session is memory only", "err", keychainErrText(err))
			c.goMemoryOnly(noticeCantSave)
			// The entry still there holds an older pair (a rotated refresh
			// token is dead anyway): no secret should outlive its use. A
			// write that timed out may still land later. Whatever may be
			// left is noted, never forgotten (R14).
			var te *keychain.TimeoutError
			sp.deleteEntry = sp.deleteEntry || errors.As(err, &te)
			if last != "" {
				if c.deleteEntry(store) {
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
	c.writePrefs(sp)
}

// markSaved records, before a keychain write, that an entry is about to
// exist (R14: see the order of writes above), keeping any note of an entry
// to delete until the write has replaced it. A marker already there is left
// alone: a renewal replaces an entry the preferences already know.
func (c *Controller) markSaved(sp sessionPrefs) {
	if c.prefs.String(c.keys.saved) == "1" {
		return
	}
	sp.saved = true
	c.writePrefs(sp)
}

// wipe removes the keychain entry, then the token preferences (in that
// order: R14), keeping the username. Callers hold persistMu.
func (c *Controller) wipe() {
	c.mu.Lock()
	memOnly, held := c.memoryOnly, c.stored != ""
	c.stored = ""
	c.mu.Unlock()
	sp := c.readPrefs()
	// Even a memory-only session deletes an entry it wrote or read before
	// the keychain failed (held), one a previous run saved, or one a failed
	// write may have left; a session that never reached the keychain
	// doesn't wait on it.
	reached := !memOnly || sp.saved || sp.deleteEntry || held
	if c.store == nil || !reached {
		c.clearSessionPrefs(false)
		return
	}
	c.clearSessionPrefs(!c.deleteEntry(c.store))
}

// deleteEntry removes the keychain entry and reports whether it is gone.
func (c *Controller) deleteEntry(store keychain.Store) bool {
	err := store.Delete(c.keys.tokensEntry)
	if err != nil && !errors.Is(err, keychain.ErrNotFound) {
		c.log.Warn("keychain delete failed; will try again at the next start", "err", keychainErrText(err))
		return false
	}
	return true
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
	t := c.tokens
	sp := sessionPrefs{
		username: c.snap.Username, user: c.snap.User, expiry: t.Expiry,
		signedInAt: c.snap.SignedInAt, lastRenewal: c.snap.LastRenewal, renewals: c.snap.Renewals,
	}
	c.mu.Unlock()
	c.saveTokens(c.signInStore(), t, sp, true)
	return !c.Snapshot().MemoryOnly
}

// ForgetUsername drops the username kept to fill the sign-in form, for a
// person who asked Signet not to remember it. A held session keeps its
// username until it ends.
func (c *Controller) ForgetUsername() {
	c.persistMu.Lock()
	updatePrefs(c.prefs, func(p Preferences) { p.RemoveValue(c.keys.username) })
	c.persistMu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.snap.State.HasSession() && c.snap.Username != "" {
		c.snap.Username = ""
		c.changedLocked()
	}
}
