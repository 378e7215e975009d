package session

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"signet/api"
)

// Notices shown with MemoryOnly.
const (
	noticeCantSave    = "Your session can't be saved to the system keychain; you will need to sign in again next time."
	noticeCantRestore = "The system keychain is not available, so your saved session could not be restored. Please sign in again; this session can't be saved and will end when Signet quits."
	noticeNoKeychain  = "No system keychain is available; your session will end when Signet quits."
)

var (
	// ErrNotSignedIn: a protected call was made without a session.
	ErrNotSignedIn = errors.New("session: not signed in")
	// ErrSignedOut: the call was cancelled because the session ended.
	ErrSignedOut = errors.New("session: signed out")
	// ErrSessionExpired: the token died and nothing can renew it (no
	// refresh token, or the API has no refresh call).
	ErrSessionExpired = errors.New("session: expired and cannot be renewed")
	// ErrBusy: a sign-in is already running, or a session is already open.
	ErrBusy = errors.New("session: a sign-in is running or a session is open")
)

// Controller is the session: its state, the subscribers told of every
// change, and the one transition function (state.go). The other jobs are
// done by the values it holds: storage (keychain and preferences,
// memory-only mode), heldTokens (the token pair and its secrets), the
// refresher (single-flight renewal) and the Transport of its HTTPClient.
// Its methods are safe for concurrent use.
type Controller struct {
	client     *api.Client
	profile    api.Profile
	log        *slog.Logger
	now        func() time.Time
	afterFunc  func(time.Duration, func()) func() bool
	jitter     func(time.Duration) time.Duration
	margin     time.Duration
	backoffMin time.Duration
	backoffMax time.Duration
	refreshTO  time.Duration
	logoutTO   time.Duration
	httpClient *http.Client
	secrets    *Secrets

	refresher *refresher

	// storage saves the session beyond this run; its memoryOnly and stored
	// are guarded by mu, like the session's other state.
	storage *storage

	mu sync.Mutex
	// Everything below is guarded by mu.
	snap       Snapshot
	held       heldTokens
	gen        uint64 // bumped whenever a session starts or ends
	sessCtx    context.Context
	sessCancel context.CancelCauseFunc // cancels sessCtx and inflight; call with mu held
	inflight   map[*inflight]struct{}  // requests whose context merges the caller's and sessCtx
	renewStop  func() bool             // proactive refresh timer
	retryStop  func() bool             // Offline background retry timer
	retryN     int                     // failed refreshes in a row, for the backoff
	closed     bool
	subs       subscribers // published to under mu

	bg sync.WaitGroup // server logouts and other fire-and-forget work
}

// New returns a Controller in state Restoring; call Restore next.
func New(cfg Config) (*Controller, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	profile := cfg.Client.Profile()
	cfg = cfg.withDefaults()
	c := &Controller{
		client:     cfg.Client,
		profile:    profile,
		now:        cfg.Now,
		afterFunc:  cfg.AfterFunc,
		jitter:     cfg.Jitter,
		margin:     cfg.RefreshMargin,
		backoffMin: cfg.BackoffInitial,
		backoffMax: cfg.BackoffMax,
		refreshTO:  cfg.RefreshTimeout,
		logoutTO:   cfg.LogoutTimeout,
		secrets:    cfg.Secrets,
		inflight:   map[*inflight]struct{}{},
		snap: Snapshot{
			State:       Restoring,
			ProfileName: profile.Name,
			Server:      profile.BaseURL,
			HasRefresh:  cfg.Client.HasRefresh(),
		},
	}
	// Server texts reach the log inside errors; whatever handler the app
	// gave, none of this session's secrets gets through (rule R13).
	c.log = slog.New(NewRedactingHandler(cfg.Logger.Handler(), c.secrets)).With("service", cfg.Service, "profile", profile.Name)
	c.storage = newStorage(cfg, cmp.Or(cfg.StorageKey, profile.Name), c.log, &c.mu, func(notice string) {
		c.snap.MemoryOnly, c.snap.Notice = c.storage.memoryOnly, notice
		c.changedLocked()
	})
	if c.storage.memoryOnly {
		c.snap.MemoryOnly, c.snap.Notice = true, noticeNoKeychain
	}
	c.refresher = &refresher{
		target: c, client: c.client, log: c.log, now: c.now,
		margin: c.margin, lockPath: cfg.LockPath, timeout: c.refreshTO,
	}
	c.held = heldTokens{secrets: c.secrets, canRenew: c.refresher.canRenew}
	// A redirect to another origin is refused in words, never followed (R12).
	c.httpClient = &http.Client{
		Transport:     &Transport{Source: source{c}, Base: cfg.Transport, Origins: c.client.BearerOrigins(), Expired: c.client.IsExpired},
		CheckRedirect: api.CheckRedirect,
	}
	return c, nil
}

// Snapshot returns the current state.
func (c *Controller) Snapshot() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.storage.withSecretsInLocked(c.snap)
}

// HTTPClient is the authenticated client (bearer, proactive refresh,
// single-flight refresh on 401, retry once).
func (c *Controller) HTTPClient() *http.Client { return c.httpClient }

// Profile is the backend's profile.
func (c *Controller) Profile() api.Profile { return c.profile }

// FetchList fetches a page of a protected list through the authenticated
// client.
func (c *Controller) FetchList(ctx context.Context, list string, offset, limit int, search string) (api.Page, error) {
	c.mu.Lock()
	st, lastErr := c.snap.State, c.snap.Err
	c.mu.Unlock()
	if !st.HasSession() {
		if st == Expired && lastErr != nil {
			return api.Page{}, lastErr
		}
		return api.Page{}, ErrNotSignedIn
	}
	page, err := c.client.FetchList(ctx, c.httpClient, list, offset, limit, search)
	if err != nil {
		// The server's words may quote a token this call didn't send.
		return api.Page{}, c.secrets.ScrubError(listError(err, list))
	}
	return page, nil
}

// listError is what FetchList says when the list call failed. The
// transport's own failures (the refresh failed, the session ended) travel
// inside the client's network error; they are surfaced, their words fit
// better than "can't reach the server".
func listError(err error, list string) error {
	var te *transportError
	if !errors.As(err, &te) {
		return err
	}
	if api.KindOf(te.err) == 0 && (errors.Is(te.err, context.DeadlineExceeded) || errors.Is(te.err, context.Canceled)) {
		// Gave up waiting for a renewal: say so in words.
		return &api.Error{Kind: api.KindNetwork, Op: "load " + list, Err: te.err}
	}
	return te.err
}

// Close stops background work (retry timers, proactive refresh) and waits
// for fire-and-forget work such as the server logout (bounded by
// LogoutTimeout). The session itself is kept: the next start restores it.
func (c *Controller) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.stopTimersLocked()
	c.mu.Unlock()
	c.subs.close()
	c.bg.Wait()
	// A renewal whose callers have gone on may still be writing the lock's
	// stamp for other copies (design R11): an exit must not cut it short.
	c.refresher.settle()
}

// stopTimersLocked stops the proactive refresh and the background retry.
func (c *Controller) stopTimersLocked() {
	if c.renewStop != nil {
		c.renewStop()
		c.renewStop = nil
	}
	c.snap.RenewAt = time.Time{}
	if c.retryStop != nil {
		c.retryStop()
		c.retryStop = nil
	}
	c.snap.RetryAt = time.Time{}
}

// startLocked makes tok the session's, with the details sp holds (saved, or
// given by the sign-in), under a new context that every request of the
// session runs under and sign-out cancels. The state is the caller's to set.
func (c *Controller) startLocked(tok Token, sp sessionPrefs) {
	if c.sessCancel != nil {
		c.sessCancel(ErrSignedOut)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	c.sessCtx = ctx
	c.sessCancel = func(cause error) {
		cancel(cause)
		c.cancelInflightLocked(cause)
	}
	tok.Renewed = time.Time{}
	c.held.tok = tok
	c.held.noteSecretsLocked()
	c.snap.User = sp.user
	c.snap.Expiry = tok.Expiry
	c.snap.SignedInAt = sp.signedInAt
	c.snap.LastRenewal = sp.lastRenewal
	c.snap.Renewals = sp.renewals
	c.snap.SignInMethod = sp.method
	c.snap.SignInProvider = sp.provider
	c.snap.Err = nil
	c.retryN = 0
}

// sessionPrefsLocked is the held session's non-secret half, for a pair
// expiring at expiry.
func (c *Controller) sessionPrefsLocked(expiry time.Time) sessionPrefs {
	return sessionPrefs{
		username: c.snap.Username, user: c.snap.User, expiry: expiry,
		signedInAt: c.snap.SignedInAt, lastRenewal: c.snap.LastRenewal, renewals: c.snap.Renewals,
		method: c.snap.SignInMethod, provider: c.snap.SignInProvider,
	}
}

// scheduleRenewLocked plans the proactive refresh at expiry − margin (not
// before the floor), so the session renews itself while idle.
func (c *Controller) scheduleRenewLocked() {
	if c.renewStop != nil {
		c.renewStop()
		c.renewStop = nil
	}
	c.snap.RenewAt = time.Time{}
	c.snap.Renewable = c.held.canRefreshLocked()
	if c.closed || c.held.tok.Expiry.IsZero() || !c.held.hasTokensLocked() {
		return
	}
	var at time.Time
	switch {
	case c.held.canRefreshLocked():
		at = c.held.tok.RenewAt(c.margin)
	case c.held.tok.BornDead():
		// Nothing can renew it and its expiry can't be believed: the
		// server's 401 will say when it is over.
		return
	default:
		// Nothing can renew it; wake up when it dies to say so (Expired).
		at = c.held.tok.Expiry
	}
	c.snap.RenewAt = at
	gen := c.gen
	c.renewStop = c.afterFunc(at.Sub(c.now()), func() { c.onTimer(gen, false) })
}

// onTimer runs a planned renewal: the proactive one, or (retry) a
// background retry while Offline.
func (c *Controller) onTimer(gen uint64, retry bool) {
	c.mu.Lock()
	if c.gen != gen || c.closed || !c.held.hasTokensLocked() {
		c.mu.Unlock()
		return
	}
	why := "proactive"
	if retry {
		c.retryStop, why = nil, "background retry"
	} else {
		c.renewStop = nil
	}
	if !retry && !c.held.canRefreshLocked() {
		// The token has died and nothing can renew it.
		c.mu.Unlock()
		c.expire(gen, ErrSessionExpired)
		return
	}
	stale := c.held.tok.AccessToken
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), c.refreshTO)
	defer cancel()
	switch _, err := c.refresh(ctx, stale, why); {
	case err == nil:
	case retry:
		c.log.Debug("background refresh failed", "kind", api.KindOf(err).String())
	default:
		c.log.Info("proactive refresh failed", "err", err)
	}
}
