package session

import (
	"context"
	"errors"
	"time"

	"signet/api"
	"signet/session/keychain"
)

// refresh joins the in-flight refresh, or starts one, and waits for it or
// for ctx (see refresher).
func (c *Controller) refresh(ctx context.Context, stale, why string) (Token, error) {
	return c.refresher.start(stale, why).wait(ctx)
}

// beginRefresh is the refresher's hook: it marks the session Refreshing.
func (c *Controller) beginRefresh(stale string) (cur Token, gen uint64, started bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.held.hasTokensLocked() {
		return Token{}, 0, false, c.noSessionErrLocked()
	}
	if stale != "" && c.held.tok.AccessToken != stale {
		return c.held.tok, 0, false, nil
	}
	c.transitionLocked(Refreshing)
	c.changedLocked()
	return c.held.tok, c.gen, true, nil
}

// rereadSaved is the refresher's hook for the R11 re-read. A keychain that
// doesn't answer it in time is unavailable: the session goes memory only at
// once, so a hanging keychain holds a refresh up for one timeout, not two
// (R2). One that answers with a refusal (a busy or locked keychain) is left
// to the write after the refresh to judge: one refused call must not cost
// a session its place in the keychain.
func (c *Controller) rereadSaved(evenMemoryOnly bool) (saved api.Tokens, raw string, asked bool, err error) {
	store := c.storage.keychainStore()
	if store == nil && evenMemoryOnly {
		store = c.storage.store
	}
	if store == nil {
		return api.Tokens{}, "", false, nil
	}
	saved, raw, err = c.storage.loadTokens(store)
	var te *keychain.TimeoutError
	switch {
	case err == nil, errors.Is(err, keychain.ErrNotFound), errors.Is(err, errBadEntry):
	case errors.As(err, &te):
		c.log.Warn("keychain re-read before refresh timed out; the session is memory only", "err", keychainErrText(err))
		if !c.Snapshot().MemoryOnly {
			c.storage.goMemoryOnly(noticeCantSave)
		}
	default:
		c.log.Warn("keychain re-read before refresh failed", "err", keychainErrText(err))
	}
	return saved, raw, true, err
}

func (c *Controller) noteStored(raw string) {
	c.mu.Lock()
	c.storage.stored = raw
	c.mu.Unlock()
}

// saveRenewed persists t (keychain first, then preferences) and only then
// installs it, so waiters never use a token the next start can't find.
// ours is false for tokens adopted from another copy of the app. Callers
// hold the refresh lock.
func (c *Controller) saveRenewed(gen uint64, t api.Tokens, ours bool) (tok Token, inKeychain bool, err error) {
	now := c.now()
	store := c.storage.keychainStore()
	c.storage.persistMu.Lock()
	c.mu.Lock()
	if c.gen != gen {
		err := c.noSessionErrLocked()
		c.mu.Unlock()
		c.storage.persistMu.Unlock()
		return Token{}, false, err
	}
	sp := c.sessionPrefsLocked(t.Expiry)
	old := c.held.tok
	c.mu.Unlock()
	if ours {
		sp.renewals++
		sp.lastRenewal = now
	}
	// A pair adopted from the keychain was just read from it: a session
	// that went memory only when the keychain didn't answer before writes
	// it back (the same value), and so is saved again rather than noting
	// for deletion the entry that holds it.
	retry := !ours && store == nil && c.storage.store != nil
	if retry {
		store = c.storage.store
	}
	if store != nil {
		// One keychain call on the waiters' time: cleaning up after a
		// failed write waits for them to be released.
		store = laterDelete{Store: store, c: c, gen: gen}
	}
	c.storage.saveTokens(store, t, sp, retry)

	c.mu.Lock()
	c.storage.persistMu.Unlock()
	defer c.mu.Unlock()
	if !c.moveLocked(gen, SignedIn) {
		return Token{}, false, c.noSessionErrLocked()
	}
	tok = c.installRenewedLocked(t, old, ours, sp, now)
	return tok, store != nil && !c.storage.memoryOnly, nil
}

// installRenewedLocked makes t the session's token. An
// adopted pair is assumed to have the same lifetime as old, for the margin.
func (c *Controller) installRenewedLocked(t api.Tokens, old Token, ours bool, sp sessionPrefs, now time.Time) Token {
	tok := NewToken(t, now)
	if life := old.Expiry.Sub(old.Obtained); !ours && !old.Obtained.IsZero() && life > 0 {
		tok.Obtained = t.Expiry.Add(-life)
	}
	tok.Renewed = now
	c.held.replaceTokensLocked(tok)
	c.snap.Expiry = t.Expiry
	c.snap.Renewals = sp.renewals
	c.snap.LastRenewal = sp.lastRenewal
	c.snap.Err = nil
	c.stopRetryLocked()
	c.retryN = 0
	c.scheduleRenewLocked()
	c.changedLocked()
	c.log.Info("session renewed", "renewals", sp.renewals, "adopted", !ours)
	return tok
}

// heldEntry marks c.storage.stored when the keychain may hold an entry whose value
// isn't known (a background delete failed): sign-out then deletes it.
const heldEntry = "\x00held"

// laterDelete is a store whose Delete runs in the background, after the
// caller has released persistMu, and holding it in turn. Until it has run,
// the entry is still there: Delete answers errDeleteLater, so the caller
// notes it for the next start (R14: a kill before the delete must not
// orphan it), and the delete clears that note once the entry is gone. It
// deletes nothing once anything else has written or wiped the entry (a
// SaveNow, a sign-out, another session): that entry is no longer the stale
// one, and its writer has settled the note.
type laterDelete struct {
	keychain.Store
	c   *Controller
	gen uint64
}

// errDeleteLater: the delete will run once persistMu is free.
var errDeleteLater = errors.New("session: keychain delete deferred")

func (s laterDelete) Delete(key string) error {
	c := s.c
	c.bg.Add(1)
	go func() {
		defer c.bg.Done()
		c.storage.persistMu.Lock()
		defer c.storage.persistMu.Unlock()
		c.mu.Lock()
		moved := c.gen != s.gen || c.storage.stored != ""
		c.mu.Unlock()
		if moved {
			return
		}
		if err := s.Store.Delete(key); err != nil && !errors.Is(err, keychain.ErrNotFound) {
			c.log.Warn("keychain delete failed; will try again at the next start", "err", keychainErrText(err))
			c.mu.Lock()
			if c.storage.stored == "" {
				c.storage.stored = heldEntry
			}
			c.mu.Unlock()
			return
		}
		updatePrefs(c.storage.prefs, func(p Preferences) { p.RemoveValue(c.storage.keys.deleteEntry) })
	}()
	return errDeleteLater
}

// refreshFailed sorts a failed refresh (R7): refused ends the session;
// anything else (network, timeout, 5xx, and also a malformed 2xx answer,
// which is most often a proxy or a half-deployed server and may well pass)
// keeps everything, goes Offline and retries in the background. The
// returned error is what the waiters get.
func (c *Controller) refreshFailed(gen uint64, err error) error {
	err = c.secrets.ScrubError(err)
	if api.KindOf(err) == api.KindRefreshRefused {
		c.log.Info("refresh refused; session expired")
		c.expire(gen, err)
		return err
	}
	c.log.Info("refresh failed; offline", "kind", api.KindOf(err).String())
	if api.KindOf(err) == 0 || api.KindOf(err) == api.KindMalformed {
		// Make it retryable for callers that ask (api.IsRetryable).
		err = &api.Error{Kind: api.KindServer, Op: "renew the session", Err: err}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.moveLocked(gen, Offline) {
		return err
	}
	c.snap.Err = err
	c.scheduleRetryLocked()
	c.changedLocked()
	return err
}

// scheduleRetryLocked plans the next background refresh with exponential
// backoff and full jitter. There is at most one planned retry: failures of
// request-driven refreshes meanwhile don't add more.
func (c *Controller) scheduleRetryLocked() {
	if c.retryStop != nil || c.closed {
		return
	}
	ceiling := c.backoffMin << min(c.retryN, 30)
	if ceiling > c.backoffMax || ceiling <= 0 {
		ceiling = c.backoffMax
	}
	c.retryN++
	d := c.jitter(ceiling)
	c.snap.RetryAt = c.now().Add(d)
	gen := c.gen
	c.retryStop = c.afterFunc(d, func() { c.onTimer(gen, true) })
}

func (c *Controller) stopRetryLocked() {
	if c.retryStop != nil {
		c.retryStop()
		c.retryStop = nil
	}
	c.snap.RetryAt = time.Time{}
}

// expire ends the session of generation gen because it can't be renewed:
// tokens wiped (keychain and preferences), username kept, state Expired with
// err for the UI.
func (c *Controller) expire(gen uint64, err error) {
	err = c.secrets.ScrubError(err) // before the tokens it may quote are gone
	c.mu.Lock()
	if c.gen != gen {
		c.mu.Unlock()
		return
	}
	ended := c.endLocked()
	c.held.replaceTokensLocked(Token{})
	c.mu.Unlock()
	if c.wipeThenSettle(ended, Expired, err) {
		c.log.Info("session expired")
	}
}

// endLocked starts a new generation with no session: whatever still runs
// for the old one is stale, its timers are stopped. The caller clears the
// tokens.
func (c *Controller) endLocked() (ended uint64) {
	c.gen++
	c.stopTimersLocked()
	c.retryN = 0
	return c.gen
}

// wipeThenSettle wipes the saved session (keychain entry first, then the
// preferences: R14) and then, unless a sign-in or sign-out has moved on
// meanwhile, moves to st (Expired or SignedOut) with err for the UI and
// the session's details cleared. Sign-out also clears its history.
func (c *Controller) wipeThenSettle(ended uint64, st State, err error) bool {
	c.storage.persistMu.Lock()
	c.storage.wipe()
	c.storage.persistMu.Unlock()

	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.moveLocked(ended, st) {
		return false
	}
	c.snap.Err = err
	c.snap.User = api.User{}
	c.snap.Expiry = time.Time{}
	if st == SignedOut {
		c.snap.SignedInAt = time.Time{}
		c.snap.LastRenewal = time.Time{}
		c.snap.Renewals = 0
		c.snap.SignInMethod, c.snap.SignInProvider = "", ""
	}
	c.changedLocked()
	return true
}

// RetryNow runs the renewal at once while Offline, instead of waiting for
// the planned background retry: a person who presses Reload after the
// network came back should not wait out the backoff. Otherwise it does
// nothing. It returns at once; the outcome arrives through Subscribe.
func (c *Controller) RetryNow() {
	c.mu.Lock()
	if c.closed || c.snap.State != Offline || !c.held.hasTokensLocked() {
		c.mu.Unlock()
		return
	}
	c.stopRetryLocked()
	gen := c.gen
	c.mu.Unlock()
	go c.onTimer(gen, true)
}
