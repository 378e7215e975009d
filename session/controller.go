// Package session is Signet's session: it signs a person in through an
// api.Client, keeps the tokens in the OS keychain and the rest in
// preferences, restores them at start-up, hands out an authenticated
// http.Client that renews the token before and after it dies (one refresh at
// a time, shared by every waiting request), and tells subscribers every time
// the session changes. Rules R1, R5–R11 and R13 of docs/design.md live here.
package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"signet/api"
	"signet/session/keychain"
)

// Config wires a Controller. Everything it talks to is injected so tests are
// real (a real HTTP server, a real keychain) but fast.
type Config struct {
	Client   *api.Client
	Keychain keychain.Store // nil: memory only
	Prefs    Preferences
	// Service is the app ID. The Keychain store carries it (it is opened
	// with keychain.NewOS(Service, ...)); inside it, entries are keyed by
	// StorageKey, as are the preferences. The controller only logs it.
	Service string
	// StorageKey names this backend's keychain entry and preferences
	// ("<key>/tokens", "session.<key>.*"), so two backends never see each
	// other's tokens. Give each backend its own, e.g. the profile name and
	// the API's host:port: two servers speaking one profile are still two
	// accounts. Empty means the profile name.
	StorageKey string
	Logger     *slog.Logger
	Now        func() time.Time
	// RefreshMargin: refresh proactively when the token expires within
	// this (default 30 s, capped at a tenth of the token's lifetime).
	RefreshMargin time.Duration
	// Backoff for background refresh retries while Offline (defaults:
	// 1 s initial, 60 s cap, full jitter).
	BackoffInitial, BackoffMax time.Duration

	// AfterFunc schedules f after d and returns a function that cancels it
	// (reporting whether it did), like time.AfterFunc. The proactive
	// refresh and the Offline retries use it, so tests can drive them.
	// Nil means time.AfterFunc.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// Jitter returns a random duration in [0, max] (full jitter for the
	// retry backoff). Nil means a uniform pseudo-random draw.
	Jitter func(max time.Duration) time.Duration
	// LockPath is a file used as a cross-process advisory lock around
	// "re-read keychain → refresh → persist" (rule R11), so two running
	// copies of the app never both spend one rotating refresh token.
	// Empty: no cross-process lock.
	LockPath string
	// RefreshTimeout bounds one refresh call, detached from any caller
	// (default 20 s).
	RefreshTimeout time.Duration
	// LogoutTimeout bounds the server logout after sign-out (default 3 s).
	LogoutTimeout time.Duration
	// SignInKeychainTimeout is the keychain timeout while signing in, when
	// an unlock prompt may show (default keychain.PromptTimeout). It
	// applies only to stores that support it (keychain.TimeoutStore).
	SignInKeychainTimeout time.Duration
	// Transport is the base RoundTripper under the authenticated client
	// (default http.DefaultTransport).
	Transport http.RoundTripper
}

// Notices shown with MemoryOnly.
const (
	noticeCantSave    = "Your session can't be saved to the system keychain; you will need to sign in again next time."
	noticeCantRestore = "The system keychain is not available, so your saved session could not be restored. Please sign in again; this session can't be saved and will end when Signet quits."
	noticeNoKeychain  = "No system keychain is available; your session will end when Signet quits."
)

var (
	// ErrNotSignedIn: a protected call was made without a session.
	ErrNotSignedIn = errors.New("You are not signed in.")
	// ErrSignedOut: the call was cancelled because the session ended.
	ErrSignedOut = errors.New("You signed out.")
	// ErrSessionExpired: the token died and nothing can renew it (no
	// refresh token, or the API has no refresh call).
	ErrSessionExpired = errors.New("Your session has expired. Please sign in again.")
	// ErrBusy: a sign-in is already running, or a session is already open.
	ErrBusy = errors.New("A sign-in is already in progress or a session is open; sign out first.")
)

// Controller is the session: token state, persistence, the authenticated
// transport, and start-up restore. Its methods are safe for concurrent use.
type Controller struct {
	client     *api.Client
	profile    api.Profile
	store      keychain.Store // nil: memory only from the start
	prefs      Preferences
	log        *slog.Logger
	now        func() time.Time
	afterFunc  func(time.Duration, func()) func() bool
	jitter     func(time.Duration) time.Duration
	margin     time.Duration
	backoffMin time.Duration
	backoffMax time.Duration
	refreshTO  time.Duration
	logoutTO   time.Duration
	signInKCTO time.Duration
	lockPath   string
	apiHost    string // host:port of the API; the only one that gets the token (R12)
	keys       prefKeys
	httpClient *http.Client

	sf singleflight.Group

	// persistMu orders keychain and preferences writes against each other
	// and against sign-out's wipe, so a refresh that finishes after a
	// sign-out can never write the tokens back.
	persistMu sync.Mutex

	mu sync.Mutex
	// Everything below is guarded by mu.
	snap       Snapshot
	tokens     api.Tokens // current tokens; zero when there is no session
	obtainedAt time.Time  // when tokens arrived, for the token's lifetime
	gen        uint64     // bumped whenever a session starts or ends
	memoryOnly bool       // the keychain failed (or is absent): don't use it
	stored     string     // the keychain value last written/read, to skip equal writes
	sessCtx    context.Context
	sessCancel context.CancelCauseFunc
	refreshing chan struct{} // closed when the in-flight refresh ends; nil: none
	renewStop  func() bool   // proactive refresh timer
	retryStop  func() bool   // Offline background retry timer
	retryN     int           // failed refreshes in a row, for the backoff
	closed     bool
	subs       map[int]*subscriber
	nextSub    int

	bg sync.WaitGroup // server logouts and other fire-and-forget work
}

// New returns a Controller in state Restoring; call Restore next.
func New(cfg Config) (*Controller, error) {
	if cfg.Client == nil {
		return nil, errors.New("session: Config.Client is required")
	}
	if cfg.Prefs == nil {
		return nil, errors.New("session: Config.Prefs is required")
	}
	profile := cfg.Client.Profile()
	base, err := url.Parse(profile.BaseURL)
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("session: profile %q has an unusable base URL", profile.Name)
	}
	c := &Controller{
		client:     cfg.Client,
		profile:    profile,
		store:      cfg.Keychain,
		prefs:      cfg.Prefs,
		log:        cfg.Logger,
		now:        cfg.Now,
		afterFunc:  cfg.AfterFunc,
		jitter:     cfg.Jitter,
		margin:     orDefault(cfg.RefreshMargin, 30*time.Second),
		backoffMin: orDefault(cfg.BackoffInitial, time.Second),
		backoffMax: orDefault(cfg.BackoffMax, 60*time.Second),
		refreshTO:  orDefault(cfg.RefreshTimeout, 20*time.Second),
		logoutTO:   orDefault(cfg.LogoutTimeout, 3*time.Second),
		signInKCTO: orDefault(cfg.SignInKeychainTimeout, keychain.PromptTimeout),
		lockPath:   cfg.LockPath,
		apiHost:    hostPort(base),
		keys:       newPrefKeys(cmp.Or(cfg.StorageKey, profile.Name)),
		subs:       map[int]*subscriber{},
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.log = c.log.With("service", cfg.Service, "profile", profile.Name)
	if c.now == nil {
		c.now = time.Now
	}
	if c.afterFunc == nil {
		c.afterFunc = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	if c.jitter == nil {
		c.jitter = func(max time.Duration) time.Duration { return time.Duration(rand.Int64N(int64(max) + 1)) }
	}
	base0 := cfg.Transport
	if base0 == nil {
		base0 = http.DefaultTransport
	}
	c.httpClient = &http.Client{Transport: &transport{c: c, base: base0}}
	c.snap = Snapshot{
		State:       Restoring,
		ProfileName: profile.Name,
		Server:      profile.BaseURL,
		HasRefresh:  cfg.Client.HasRefresh(),
	}
	if c.store == nil {
		c.memoryOnly = true
		c.snap.MemoryOnly = true
		c.snap.Notice = noticeNoKeychain
	}
	return c, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Snapshot returns the current state.
func (c *Controller) Snapshot() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snapshotLocked()
}

// snapshotLocked is c.snap with the derived fields filled in.
func (c *Controller) snapshotLocked() Snapshot {
	s := c.snap
	switch loc, ok := c.store.(interface{ Location() string }); {
	case c.memoryOnly || c.store == nil:
		s.SecretsIn = SecretsInMemory
	case ok:
		s.SecretsIn = loc.Location()
	default:
		s.SecretsIn = SecretsInKeychain
	}
	return s
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
		// The transport's own failures (the refresh failed, the session
		// ended) travel inside the client's network error; surface them,
		// their words fit better than "can't reach the server".
		var te *transportError
		if errors.As(err, &te) {
			if api.KindOf(te.err) == 0 && (errors.Is(te.err, context.DeadlineExceeded) || errors.Is(te.err, context.Canceled)) {
				// Gave up waiting for a renewal: say so in words.
				return api.Page{}, &api.Error{Kind: api.KindNetwork, Op: "load " + list, Err: te.err}
			}
			return api.Page{}, te.err
		}
	}
	return page, err
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
	subs := c.subs
	c.subs = map[int]*subscriber{}
	c.mu.Unlock()
	for _, s := range subs {
		s.stop()
	}
	c.bg.Wait()
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

// changedLocked queues the current snapshot for every subscriber. Callers
// hold mu, which is what keeps the order of changes and of deliveries the same.
func (c *Controller) changedLocked() {
	s := c.snapshotLocked()
	for _, sub := range c.subs {
		sub.push(s)
	}
}

// setStateLocked moves to st, logging the transition.
func (c *Controller) setStateLocked(st State) {
	if c.snap.State != st {
		c.log.Debug("session state", "from", c.snap.State.String(), "to", st.String())
	}
	c.snap.State = st
}

// hasTokensLocked reports whether a session is held in memory.
func (c *Controller) hasTokensLocked() bool { return c.tokens.AccessToken != "" }

// newSessionContextLocked starts the context every request of this session
// runs under; sign-out cancels it.
func (c *Controller) newSessionContextLocked() {
	if c.sessCancel != nil {
		c.sessCancel(ErrSignedOut)
	}
	c.sessCtx, c.sessCancel = context.WithCancelCause(context.Background())
}

// effectiveMarginLocked is the refresh margin for the current token: the
// configured margin, but at most a tenth of the token's lifetime, so a token
// is renewed about once per lifetime (a 5 s token every 4.5 s, a 60 s one
// every 54 s) rather than the moment it is half used.
func (c *Controller) effectiveMarginLocked() time.Duration {
	m := c.margin
	if !c.tokens.Expiry.IsZero() && !c.obtainedAt.IsZero() {
		if life := c.tokens.Expiry.Sub(c.obtainedAt); life > 0 && life/10 < m {
			m = life / 10
		}
	}
	return m
}

// needsRefreshLocked reports whether the token is known to expire within
// the margin (or already has).
func (c *Controller) needsRefreshLocked(now time.Time) bool {
	if c.tokens.Expiry.IsZero() {
		return false
	}
	return !now.Before(c.tokens.Expiry.Add(-c.effectiveMarginLocked()))
}

// deadLocked reports whether the token is known to have expired.
func (c *Controller) deadLocked(now time.Time) bool {
	return !c.tokens.Expiry.IsZero() && !now.Before(c.tokens.Expiry)
}

// canRefreshLocked reports whether a dead token can be renewed at all.
func (c *Controller) canRefreshLocked() bool {
	return c.snap.HasRefresh && c.tokens.RefreshToken != ""
}

// scheduleRenewLocked plans the proactive refresh at expiry − margin, so the
// session renews itself while idle.
func (c *Controller) scheduleRenewLocked() {
	if c.renewStop != nil {
		c.renewStop()
		c.renewStop = nil
	}
	c.snap.RenewAt = time.Time{}
	c.snap.Renewable = c.canRefreshLocked()
	if c.closed || c.tokens.Expiry.IsZero() || !c.hasTokensLocked() {
		return
	}
	at := c.tokens.Expiry.Add(-c.effectiveMarginLocked())
	if !c.canRefreshLocked() {
		// Nothing can renew it; wake up when it dies to say so (Expired).
		at = c.tokens.Expiry
	}
	c.snap.RenewAt = at
	gen := c.gen
	c.renewStop = c.afterFunc(at.Sub(c.now()), func() { c.onRenewTimer(gen) })
}

// onRenewTimer is the proactive refresh.
func (c *Controller) onRenewTimer(gen uint64) {
	c.mu.Lock()
	if c.gen != gen || c.closed || !c.hasTokensLocked() {
		c.mu.Unlock()
		return
	}
	c.renewStop = nil
	if !c.canRefreshLocked() {
		// The token has died and nothing can renew it.
		c.mu.Unlock()
		c.expire(gen, ErrSessionExpired)
		return
	}
	stale := c.tokens.AccessToken
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), c.refreshTO)
	defer cancel()
	if _, err := c.refresh(ctx, stale, "proactive"); err != nil {
		c.log.Info("proactive refresh failed", "err", err)
	}
}

// hostPort is u's host with the scheme's default port made explicit, so
// "http://127.0.0.1" and "http://127.0.0.1:80" compare equal.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "https":
			port = "443"
		default:
			port = "80"
		}
	}
	return u.Hostname() + ":" + port
}

// Subscribe calls fn after every change with the new Snapshot; cancel stops
// it. Each subscriber has its own goroutine and an unbounded queue: fn sees
// every snapshot, in the order the changes happened, never under the
// controller's lock, and a slow fn only delays itself, never the controller
// or other subscribers. (Dropping intermediate snapshots would be cheaper
// but would hide transitions such as Refreshing from a UI or a test.)
func (c *Controller) Subscribe(fn func(Snapshot)) (cancel func()) {
	s := newSubscriber(fn)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		s.stop()
		return func() {}
	}
	id := c.nextSub
	c.nextSub++
	c.subs[id] = s
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		delete(c.subs, id)
		c.mu.Unlock()
		s.stop()
	}
}

// subscriber delivers snapshots to one fn from its own goroutine.
type subscriber struct {
	mu      sync.Mutex
	queue   []Snapshot
	wake    chan struct{} // buffered(1): "the queue may be non-empty"
	done    chan struct{}
	stopped sync.Once
}

func newSubscriber(fn func(Snapshot)) *subscriber {
	s := &subscriber{wake: make(chan struct{}, 1), done: make(chan struct{})}
	go s.run(fn)
	return s
}

func (s *subscriber) push(snap Snapshot) {
	s.mu.Lock()
	s.queue = append(s.queue, snap)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *subscriber) run(fn func(Snapshot)) {
	for {
		select {
		case <-s.done:
			return
		case <-s.wake:
		}
		for {
			s.mu.Lock()
			if len(s.queue) == 0 {
				s.mu.Unlock()
				break
			}
			next := s.queue[0]
			s.queue[0] = Snapshot{}
			s.queue = s.queue[1:]
			s.mu.Unlock()
			select {
			case <-s.done:
				return
			default:
			}
			fn(next)
		}
	}
}

func (s *subscriber) stop() { s.stopped.Do(func() { close(s.done) }) }
