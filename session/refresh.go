package session

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/singleflight"

	"signet/api"
	"signet/session/keychain"
)

// refreshKey is the single-flight key: one refresh at a time per controller.
const refreshKey = "refresh"

// refresh joins the in-flight refresh, or starts one, and waits for it or
// for ctx. stale is the access token the caller found wanting: if the token
// has changed since, the refresh is already done and the current tokens are
// returned without a network call.
func (c *Controller) refresh(ctx context.Context, stale, why string) (Token, error) {
	select {
	case r := <-c.startRefresh(stale, why):
		if r.Err != nil {
			return Token{}, r.Err
		}
		return r.Val.(Token), nil
	case <-ctx.Done():
		// Only this caller gives up; the refresh goes on for the others.
		return Token{}, ctx.Err()
	}
}

func (c *Controller) startRefresh(stale, why string) <-chan singleflight.Result {
	return c.sf.DoChan(refreshKey, func() (any, error) { return c.runRefresh(stale, why) })
}

// whyRestore marks the start-up refresh: Restore has just read the keychain,
// so the R11 re-read is skipped (one keychain read at start-up).
const whyRestore = "restore"

// runRefresh is the one refresh (rules R6, R7, R11). It runs detached from
// every caller, with its own timeout; requests whose token is dead wait for
// it (c.refreshing), the others go on with the token they have.
//
// The keychain never holds it up for more than one keychain timeout (rule
// R2): the R11 re-read is one bounded read, and a keychain that fails it is
// unavailable, so the session goes memory only at once and writes nothing
// more to it; when the re-read succeeds, the write after the refresh is one
// bounded call too (what it may have to clean up is done in the background).
//
// Two running copies must never both spend one rotating refresh token. The
// cross-process lock (Config.LockPath) serialises "re-read, refresh,
// persist" between them, and the lock file carries a stamp that a copy
// rewrites each time it has saved renewed tokens to the keychain. A copy
// that can't read the keychain compares the stamp with the one it last saw:
// unchanged, nobody has renewed since, and its refresh token is the newest;
// changed, another copy has, so its own token is probably spent and spending
// it again would make a rotating server end the session of both copies. It
// then waits (Offline, retried with backoff, or RetryNow) for the keychain
// that holds the newer pair, rather than waiting long on one read. A copy
// that has not seen the stamp yet (no renewal since it started or signed in)
// can't tell, and goes ahead, as it would with no lock at all.
func (c *Controller) runRefresh(stale, why string) (Token, error) {
	c.mu.Lock()
	if c.refreshing == nil {
		c.refreshing = make(chan struct{})
	}
	done := c.refreshing
	defer func() {
		c.mu.Lock()
		close(done)
		c.refreshing = nil
		c.mu.Unlock()
	}()
	if !c.hasTokensLocked() {
		err := c.noSessionErrLocked()
		c.mu.Unlock()
		return Token{}, err
	}
	if stale != "" && c.tok.AccessToken != stale {
		cur := c.tok
		c.mu.Unlock()
		return cur, nil
	}
	gen, cur, margin := c.gen, c.tok.Tokens, c.tok.Margin(c.margin)
	c.setStateLocked(Refreshing)
	c.changedLocked()
	c.mu.Unlock()
	c.log.Debug("refreshing", "why", why)

	ctx, cancel := context.WithTimeout(context.Background(), c.refreshTO)
	defer cancel()

	unlock, err := lockFile(ctx, c.lockPath)
	if err != nil {
		c.log.Warn("refresh lock not taken", "err", err)
		return Token{}, c.refreshFailed(gen, &api.Error{Kind: api.KindNetwork, Op: "renew the session", Err: err})
	}
	defer unlock()

	if why != whyRestore {
		adopted, ok, err := c.reread(cur)
		switch {
		case err != nil:
			return Token{}, c.refreshFailed(gen, err)
		case ok:
			cur = adopted
			if adopted.Expiry.IsZero() || c.now().Before(adopted.Expiry.Add(-margin)) {
				return c.refreshSucceeded(gen, adopted, false)
			}
		}
	}

	if cur.RefreshToken == "" || !c.client.HasRefresh() {
		c.expire(gen, ErrSessionExpired)
		return Token{}, ErrSessionExpired
	}
	fresh, err := c.client.Refresh(ctx, cur.RefreshToken)
	if err != nil {
		return Token{}, c.refreshFailed(gen, err)
	}
	if fresh.RefreshToken == "" {
		fresh.RefreshToken = cur.RefreshToken // R7: keep the old one
	}
	return c.refreshSucceeded(gen, fresh, true)
}

// errNewerElsewhere: the keychain can't be read, and another copy of the
// app has renewed the session since this one last looked (see runRefresh).
// It is retryable, like a network failure: the keychain usually comes back.
var errNewerElsewhere error = newerElsewhereError{}

type newerElsewhereError struct{}

func (newerElsewhereError) Error() string {
	return "Another copy of Signet has renewed the session, and the system keychain that holds it can't be read right now. Trying again shortly."
}

func (newerElsewhereError) Unwrap() error {
	return &api.Error{Kind: api.KindNetwork, Op: "renew the session"}
}

// reread is the R11 keychain re-read, under the refresh lock. ok reports
// tokens renewed by another copy of the app, to adopt; err says this copy
// must not spend its refresh token now.
func (c *Controller) reread(cur api.Tokens) (adopted api.Tokens, ok bool, err error) {
	stamp := readStamp(c.lockPath)
	c.mu.Lock()
	moved := stamp != c.seenStamp && c.seenStamp != ""
	c.mu.Unlock()
	store := c.keychainStore()
	if store == nil && moved {
		// Memory only, but another copy has saved a newer pair since: the
		// keychain may be back, and holds it.
		store = c.store
	}
	if store == nil {
		return api.Tokens{}, false, nil
	}
	stored, raw, err := c.loadTokens(store)
	switch {
	case err == nil && (stored.RefreshToken != "" && stored.RefreshToken != cur.RefreshToken ||
		stored.AccessToken != cur.AccessToken):
		c.log.Info("adopting tokens renewed by another copy of the app")
		c.mu.Lock()
		c.stored = raw
		c.seenStamp = stamp
		c.mu.Unlock()
		return stored, true, nil
	case err == nil, errors.Is(err, keychain.ErrNotFound), errors.Is(err, errBadEntry):
		// Ours is the newest there is.
		c.mu.Lock()
		c.seenStamp = stamp
		c.mu.Unlock()
		return api.Tokens{}, false, nil
	}
	c.log.Warn("keychain re-read before refresh failed; the session is memory only", "err", keychainErrText(err))
	if !c.Snapshot().MemoryOnly {
		c.goMemoryOnly(noticeCantSave)
	}
	if moved {
		return api.Tokens{}, false, errNewerElsewhere
	}
	return api.Tokens{}, false, nil
}

// refreshSucceeded persists t (keychain first, then preferences) and only
// then installs it, so waiters never use a token the next start can't find.
// ours is false for tokens adopted from another copy of the app. Callers
// hold the refresh lock.
func (c *Controller) refreshSucceeded(gen uint64, t api.Tokens, ours bool) (Token, error) {
	now := c.now()
	store := c.keychainStore()
	c.persistMu.Lock()
	c.mu.Lock()
	if c.gen != gen {
		c.mu.Unlock()
		c.persistMu.Unlock()
		return Token{}, c.endedErr()
	}
	sp := sessionPrefs{
		username: c.snap.Username, user: c.snap.User, expiry: t.Expiry,
		signedInAt: c.snap.SignedInAt, lastRenewal: c.snap.LastRenewal, renewals: c.snap.Renewals,
	}
	old := c.tok
	c.mu.Unlock()
	if ours {
		sp.renewals++
		sp.lastRenewal = now
	}
	if store != nil {
		// One keychain call on the waiters' time: cleaning up after a
		// failed write waits for them to be released.
		store = laterDelete{Store: store, c: c, gen: gen}
	}
	c.saveTokens(store, t, sp, false)

	c.mu.Lock()
	c.persistMu.Unlock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return Token{}, c.endedErr()
	}
	if ours && store != nil && !c.memoryOnly {
		// Saved: other copies learn from the stamp that they must read the
		// keychain before spending their refresh token.
		if st, err := writeStamp(c.lockPath); err == nil {
			c.seenStamp = st
		}
	}
	tok := NewToken(t, now)
	if life := old.Expiry.Sub(old.Obtained); !ours && !old.Obtained.IsZero() && life > 0 {
		// Adopted: assume the same lifetime as ours, for the margin.
		tok.Obtained = t.Expiry.Add(-life)
	}
	tok.Renewed = now
	c.replaceTokensLocked(tok)
	c.snap.Expiry = t.Expiry
	c.snap.Renewals = sp.renewals
	c.snap.LastRenewal = sp.lastRenewal
	c.snap.Err = nil
	c.stopRetryLocked()
	c.retryN = 0
	c.setStateLocked(SignedIn)
	c.scheduleRenewLocked()
	c.changedLocked()
	c.log.Info("session renewed", "renewals", sp.renewals, "adopted", !ours)
	return tok, nil
}

// heldEntry marks c.stored when the keychain may hold an entry whose value
// isn't known (a background delete failed): sign-out then deletes it.
const heldEntry = "\x00held"

// laterDelete is a store whose Delete runs in the background, after the
// caller has released persistMu, and holding it in turn. It deletes nothing
// once anything else has written or wiped the entry (a SaveNow, a sign-out,
// another session): that entry is no longer the stale one.
type laterDelete struct {
	keychain.Store
	c   *Controller
	gen uint64
}

func (s laterDelete) Delete(key string) error {
	c := s.c
	c.bg.Add(1)
	go func() {
		defer c.bg.Done()
		c.persistMu.Lock()
		defer c.persistMu.Unlock()
		c.mu.Lock()
		moved := c.gen != s.gen || c.stored != ""
		c.mu.Unlock()
		if moved {
			return
		}
		if err := s.Store.Delete(key); err != nil && !errors.Is(err, keychain.ErrNotFound) {
			c.log.Warn("keychain delete failed", "err", keychainErrText(err))
			c.mu.Lock()
			if c.stored == "" {
				c.stored = heldEntry
			}
			c.mu.Unlock()
		}
	}()
	return nil
}

// endedErr is the error for work that outlived its session.
func (c *Controller) endedErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.noSessionErrLocked()
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
	if c.gen != gen {
		return err
	}
	c.setStateLocked(Offline)
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
	c.retryStop = c.afterFunc(d, func() { c.onRetryTimer(gen) })
}

func (c *Controller) stopRetryLocked() {
	if c.retryStop != nil {
		c.retryStop()
		c.retryStop = nil
	}
	c.snap.RetryAt = time.Time{}
}

// onRetryTimer is one background retry while Offline.
func (c *Controller) onRetryTimer(gen uint64) {
	c.mu.Lock()
	if c.gen != gen || c.closed || !c.hasTokensLocked() {
		c.mu.Unlock()
		return
	}
	c.retryStop = nil
	stale := c.tok.AccessToken
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), c.refreshTO)
	defer cancel()
	if _, err := c.refresh(ctx, stale, "background retry"); err != nil {
		c.log.Debug("background refresh failed", "kind", api.KindOf(err).String())
	}
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
	c.gen++
	ended := c.gen
	c.replaceTokensLocked(Token{})
	c.stopTimersLocked()
	c.retryN = 0
	c.mu.Unlock()

	c.persistMu.Lock()
	c.wipe()
	c.persistMu.Unlock()

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != ended { // a sign-in or sign-out has moved on meanwhile
		return
	}
	c.setStateLocked(Expired)
	c.snap.Err = err
	c.snap.User = api.User{}
	c.snap.Expiry = time.Time{}
	c.changedLocked()
	c.log.Info("session expired")
}

// RetryNow runs the renewal at once while Offline, instead of waiting for
// the planned background retry: a person who presses Reload after the
// network came back should not wait out the backoff. Otherwise it does
// nothing. It returns at once; the outcome arrives through Subscribe.
func (c *Controller) RetryNow() {
	c.mu.Lock()
	if c.closed || c.snap.State != Offline || !c.hasTokensLocked() {
		c.mu.Unlock()
		return
	}
	c.stopRetryLocked()
	gen := c.gen
	c.mu.Unlock()
	go c.onRetryTimer(gen)
}
