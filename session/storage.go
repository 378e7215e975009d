package session

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"sync"
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
	IDToken      string `json:"id_token,omitempty"`
}

func encodeTokens(t api.Tokens) string {
	st := storedTokens{V: storedVersion, AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, TokenType: t.TokenType, IDToken: t.IDToken}
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
	t := api.Tokens{AccessToken: st.AccessToken, RefreshToken: st.RefreshToken, TokenType: st.TokenType, IDToken: st.IDToken}
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
	method, provider                     string
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
		method:      p + "sign_in_method",
		provider:    p + "sign_in_provider",
	}
}

// storage keeps a session beyond this run: where it is saved (the keychain
// entry's key and the preferences' keys, the layout above), the keychain
// itself, the memory-only mode when that keychain fails, and the order of
// writes (design R14). The Controller holds one: memoryOnly and stored are
// part of the session's state, guarded by the Controller's lock.
type storage struct {
	keys     prefKeys
	prefs    Preferences
	log      *slog.Logger
	store    keychain.Store // nil: memory only from the start
	signInTO time.Duration  // the keychain's timeout while signing in

	// persistMu orders keychain and preferences writes against each other
	// and against sign-out's wipe, so a refresh that finishes after a
	// sign-out can never write the tokens back. Take it before mu.
	persistMu sync.Mutex

	mu         *sync.Mutex // the Controller's; guards the fields below
	memoryOnly bool        // the keychain failed (or is absent): don't use it
	stored     string      // the keychain value last written/read, to skip equal writes
	// modeChangedLocked tells the session that memoryOnly changed, and why
	// (notice, for the person; empty when it is saved again). mu is held.
	modeChangedLocked func(notice string)
}

// newStorage is the storage under key of a session whose lock is mu;
// without a keychain the session is memory only from the start.
func newStorage(cfg Config, key string, log *slog.Logger, mu *sync.Mutex, modeChangedLocked func(notice string)) *storage {
	return &storage{
		keys: newPrefKeys(key), prefs: cfg.Prefs, log: log,
		store: cfg.Keychain, signInTO: cfg.SignInKeychainTimeout,
		mu: mu, memoryOnly: cfg.Keychain == nil, modeChangedLocked: modeChangedLocked,
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
	// method and provider are how and where the session began
	// (Snapshot.SignInMethod, SignInProvider).
	method, provider string
}

// obtained is when the saved pair arrived: at sign-in or at the last
// renewal.
func (sp sessionPrefs) obtained() time.Time {
	if sp.lastRenewal.After(sp.signedInAt) {
		return sp.lastRenewal
	}
	return sp.signedInAt
}

func (st *storage) readPrefs() sessionPrefs {
	k, p := st.keys, st.prefs
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
		method:      p.String(k.method),
		provider:    p.String(k.provider),
	}
}

// writePrefs stores the session's non-secret half, as one write when the
// preferences allow it (a StateFile): a kill leaves all of it or none.
func (st *storage) writePrefs(sp sessionPrefs) {
	k := st.keys
	updatePrefs(st.prefs, func(p Preferences) {
		setOrRemove(p, k.username, sp.username)
		setOrRemove(p, k.userID, sp.user.ID)
		setOrRemove(p, k.userName, sp.user.Name)
		setOrRemove(p, k.userMail, sp.user.Email)
		setOrRemove(p, k.expiry, formatTime(sp.expiry))
		setOrRemove(p, k.signedInAt, formatTime(sp.signedInAt))
		setOrRemove(p, k.lastRenewal, formatTime(sp.lastRenewal))
		setOrRemove(p, k.method, sp.method)
		setOrRemove(p, k.provider, sp.provider)
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
func (st *storage) clearSessionPrefs(deleteEntry bool) {
	k := st.keys
	updatePrefs(st.prefs, func(p Preferences) {
		for _, key := range []string{k.userID, k.userName, k.userMail, k.expiry, k.signedInAt, k.lastRenewal, k.renewals, k.saved, k.method, k.provider} {
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

// loadTokens reads the keychain entry. Any failure other than "not found"
// or an unreadable entry means the keychain is unavailable; a
// *keychain.TimeoutError (which is ErrUnavailable too) says it didn't
// answer at all.
func (st *storage) loadTokens(store keychain.Store) (api.Tokens, string, error) {
	v, err := store.Get(st.keys.tokensEntry)
	if err != nil {
		var te *keychain.TimeoutError
		switch {
		case errors.Is(err, keychain.ErrNotFound):
			return api.Tokens{}, "", keychain.ErrNotFound
		case errors.As(err, &te):
			return api.Tokens{}, "", te
		}
		return api.Tokens{}, "", keychain.ErrUnavailable
	}
	t, err := decodeTokens(v)
	return t, v, err
}

// markSaved records, before a keychain write, that an entry is about to
// exist (R14: see the order of writes above), keeping any note of an entry
// to delete until the write has replaced it. A marker already there is left
// alone: a renewal replaces an entry the preferences already know.
func (st *storage) markSaved(sp sessionPrefs) {
	if st.prefs.String(st.keys.saved) == "1" {
		return
	}
	sp.saved = true
	st.writePrefs(sp)
}

// deleteEntry removes the keychain entry and reports whether it is gone.
func (st *storage) deleteEntry(store keychain.Store) bool {
	err := store.Delete(st.keys.tokensEntry)
	if errors.Is(err, errDeleteLater) {
		return false
	}
	if err != nil && !errors.Is(err, keychain.ErrNotFound) {
		st.log.Warn("keychain delete failed; will try again at the next start", "err", keychainErrText(err))
		return false
	}
	return true
}

// damaged reports whether the preferences were found damaged at start (a
// StateFile set them aside), so no marker can be trusted to be missing.
func (st *storage) damaged() bool {
	d, ok := st.prefs.(interface{ Damaged() bool })
	return ok && d.Damaged()
}
