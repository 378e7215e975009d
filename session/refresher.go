package session

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"signet/api"
	"signet/session/keychain"
)

// refresher renews a session's tokens (design R5–R7, R11): one refresh at a
// time, shared by every caller that asks while it runs; the keychain
// re-read before spending a refresh token; the result handed to the session
// to persist and install. It runs detached from every caller, with its own
// timeout: one caller giving up doesn't cancel the refresh the others wait
// on.
//
// The keychain never holds it up for more than one keychain timeout (rule
// R2): the R11 re-read is one bounded read, and a keychain that doesn't
// answer it in time is unavailable, so the session goes memory only at once
// and writes nothing more to it; otherwise (read, or refused at once) the
// write after the refresh is one bounded call too (what it may have to
// clean up is done in the background).
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
type refresher struct {
	target   refreshTarget
	client   *api.Client
	log      *slog.Logger
	now      func() time.Time
	margin   time.Duration
	lockPath string
	timeout  time.Duration

	mu  sync.Mutex
	cur *flight // the refresh under way; nil: none
	// tail is closed when the last run has written its stamp and released
	// the lock, which it does after releasing its waiters; the next run
	// starts after it.
	tail chan struct{}

	// seenStamp is the lock's stamp when this copy last knew its tokens
	// the newest. Only a run and its finish touch it, and runs never
	// overlap: each starts after the last one's tail.
	seenStamp string
}

// refreshTarget is the session a refresher renews: the hooks through which
// it reads the current pair, the saved one, and hands over the outcome.
// Every hook but beginRefresh gets the session generation that
// beginRefresh returned and does nothing for a session that has ended.
type refreshTarget interface {
	// beginRefresh marks the session Refreshing and returns the token to
	// renew; started false means no refresh is needed (cur is the token
	// already renewed) or possible (err).
	beginRefresh(stale string) (cur Token, gen uint64, started bool, err error)
	// rereadSaved reads the saved pair (R11), even from a keychain the
	// session stopped using when evenMemoryOnly; asked false: nothing was
	// read. A keychain failure has already turned the session memory only.
	rereadSaved(evenMemoryOnly bool) (saved api.Tokens, raw string, asked bool, err error)
	// noteStored records raw as the keychain entry's value.
	noteStored(raw string)
	// saveRenewed persists t (keychain first, then preferences) and only
	// then installs it; ours is false for a pair adopted from another copy.
	// inKeychain reports that t is now in the keychain.
	saveRenewed(gen uint64, t api.Tokens, ours bool) (tok Token, inKeychain bool, err error)
	refreshFailed(gen uint64, err error) error
	expire(gen uint64, err error)
}

// flight is one refresh; done is closed when tok and err are set.
type flight struct {
	done chan struct{}
	tok  Token
	err  error
}

// whyRestore marks the start-up refresh: Restore has just read the keychain,
// so the R11 re-read is skipped (one keychain read at start-up).
const whyRestore = "restore"

// start joins the refresh under way, or starts one. stale is the access
// token the caller found wanting: if the token has changed since, the
// refresh is already done and the current token is the answer.
//
// The waiters are released as soon as the renewed tokens are saved and
// installed; the lock's stamp is written, and the lock released, behind
// them (the stamp is for other copies, which wait for the lock anyway).
func (r *refresher) start(stale, why string) *flight {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur != nil {
		return r.cur
	}
	f := &flight{done: make(chan struct{})}
	prev, tail := r.tail, make(chan struct{})
	r.cur, r.tail = f, tail
	go func() {
		defer close(tail)
		if prev != nil {
			<-prev
		}
		var finish func()
		f.tok, finish, f.err = r.run(stale, why)
		r.mu.Lock()
		r.cur = nil
		r.mu.Unlock()
		close(f.done)
		finish()
	}()
	return f
}

// settle waits for the last refresh to write its stamp and release the
// lock, if its waiters have been released already; a refresh still under
// way is not waited for.
func (r *refresher) settle() {
	r.mu.Lock()
	tail, busy := r.tail, r.cur != nil
	r.mu.Unlock()
	if tail != nil && !busy {
		<-tail
	}
}

// running is closed when the refresh under way ends; nil when none runs.
func (r *refresher) running() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur == nil {
		return nil
	}
	return r.cur.done
}

// wait waits for the refresh or for ctx. Only this caller gives up; the
// refresh goes on for the others.
func (f *flight) wait(ctx context.Context) (Token, error) {
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
}

// run is the one refresh: under the cross-process lock, re-read the
// keychain (adopting a pair another copy renewed), else spend the refresh
// token, then hand the outcome to the target. finish, which the caller runs
// once it has released the waiters, ends what is left under the lock.
func (r *refresher) run(stale, why string) (tok Token, finish func(), err error) {
	cur, gen, started, err := r.target.beginRefresh(stale)
	if !started {
		return cur, func() {}, err
	}
	r.log.Debug("refreshing", "why", why)
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	unlock, err := lockFile(ctx, r.lockPath)
	if err != nil {
		r.log.Warn("refresh lock not taken", "err", err)
		return Token{}, func() {}, r.target.refreshFailed(gen, &api.Error{Kind: api.KindNetwork, Op: "renew the session", Err: err})
	}

	pair := cur.Tokens
	if why != whyRestore {
		adopted, ok, err := r.reread(pair)
		switch {
		case err != nil:
			return Token{}, unlock, r.target.refreshFailed(gen, err)
		case ok:
			pair = adopted
			if !(Token{Tokens: adopted}).ExpiresWithin(cur.Margin(r.margin), r.now()) {
				return r.persist(gen, adopted, false, unlock)
			}
		}
	}
	if !r.canRenew(pair) {
		r.target.expire(gen, ErrSessionExpired)
		return Token{}, unlock, ErrSessionExpired
	}
	fresh, err := r.client.RenewTokens(ctx, pair)
	if err != nil {
		return Token{}, unlock, r.target.refreshFailed(gen, err)
	}
	if fresh.RefreshToken == "" {
		fresh.RefreshToken = pair.RefreshToken // R7: keep the old one
	}
	if fresh.IDToken == "" {
		fresh.IDToken = pair.IDToken // a refresh answer rarely carries a new one
	}
	return r.persist(gen, fresh, true, unlock)
}

// persist hands t to the target; once our own renewal is in the keychain,
// other copies learn from the stamp that they must read the keychain before
// spending their refresh token. The stamp is written by finish, still
// under the lock, after the waiters have gone on with the new token: a file
// write they need not wait for.
func (r *refresher) persist(gen uint64, t api.Tokens, ours bool, unlock func()) (tok Token, finish func(), err error) {
	tok, inKeychain, err := r.target.saveRenewed(gen, t, ours)
	if err != nil || !ours || !inKeychain {
		return tok, unlock, err
	}
	return tok, func() {
		if st, err := writeStamp(r.lockPath); err == nil {
			r.seenStamp = st
		}
		unlock()
	}, nil
}

// errNewerElsewhere: the keychain can't be read, and another copy of the
// app has renewed the session since this one last looked (see refresher).
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
func (r *refresher) reread(cur api.Tokens) (adopted api.Tokens, ok bool, err error) {
	stamp := readStamp(r.lockPath)
	// Memory only, but another copy has saved a newer pair since: the
	// keychain may be back, and holds it.
	moved := stamp != r.seenStamp && r.seenStamp != ""
	stored, raw, asked, err := r.target.rereadSaved(moved)
	switch {
	case !asked:
		return api.Tokens{}, false, nil
	case err == nil && (stored.RefreshToken != "" && stored.RefreshToken != cur.RefreshToken ||
		stored.AccessToken != cur.AccessToken):
		r.log.Info("adopting tokens renewed by another copy of the app")
		r.target.noteStored(raw)
		r.seenStamp = stamp
		return stored, true, nil
	case err == nil, errors.Is(err, keychain.ErrNotFound), errors.Is(err, errBadEntry):
		// Ours is the newest there is.
		r.seenStamp = stamp
		return api.Tokens{}, false, nil
	case moved:
		return api.Tokens{}, false, errNewerElsewhere
	}
	return api.Tokens{}, false, nil
}

// canRenew reports whether pair can be renewed: with its refresh token, or,
// for a backend that renews with the current access token, while that
// token lives (a dead one can't be renewed; design R9).
func (r *refresher) canRenew(pair api.Tokens) bool {
	switch {
	case !r.client.HasRefresh():
		return false
	case r.client.RefreshNeedsLiveToken():
		return pair.AccessToken != "" && !(Token{Tokens: pair}).Dead(r.now())
	}
	return pair.RefreshToken != ""
}
