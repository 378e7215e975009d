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
	// 1 s initial, 15 s cap, full jitter: recovery after a short outage
	// takes seconds, design R7).
	BackoffInitial, BackoffMax time.Duration
	// Secrets, if set, is where the controller keeps the secrets it holds,
	// so a log handler made with NewRedactingHandler(next, secrets) can cut
	// them out of every record of the app. Nil: a set of its own. Either
	// way the controller's own log records and errors are scrubbed.
	Secrets *Secrets

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
	apiOrigin  string // the API's origin (api.Origin); the only one that gets the token (R12)
	keys       prefKeys
	httpClient *http.Client
	secrets    *Secrets

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
	renewedAt  time.Time  // when the tokens came from a refresh; zero: from sign-in or restore
	authHeader string     // the Authorization value for authFor
	authFor    string     // the access token authHeader was built for
	oldSecrets []string   // the tokens before the last change: servers may still quote them
	seenStamp  string     // the refresh lock's stamp when this copy last knew its tokens newest (runRefresh)
	gen        uint64     // bumped whenever a session starts or ends
	memoryOnly bool       // the keychain failed (or is absent): don't use it
	stored     string     // the keychain value last written/read, to skip equal writes
	sessCtx    context.Context
	sessCancel context.CancelCauseFunc // cancels sessCtx and inflight; call with mu held
	inflight   map[*inflight]struct{}  // requests whose context merges the caller's and sessCtx
	refreshing chan struct{}           // closed when the in-flight refresh ends; nil: none
	renewStop  func() bool             // proactive refresh timer
	retryStop  func() bool             // Offline background retry timer
	retryN     int                     // failed refreshes in a row, for the backoff
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
		backoffMax: orDefault(cfg.BackoffMax, 15*time.Second),
		refreshTO:  orDefault(cfg.RefreshTimeout, 20*time.Second),
		logoutTO:   orDefault(cfg.LogoutTimeout, 3*time.Second),
		signInKCTO: orDefault(cfg.SignInKeychainTimeout, keychain.PromptTimeout),
		lockPath:   cfg.LockPath,
		apiOrigin:  api.Origin(base),
		keys:       newPrefKeys(cmp.Or(cfg.StorageKey, profile.Name)),
		secrets:    cfg.Secrets,
		subs:       map[int]*subscriber{},
		inflight:   map[*inflight]struct{}{},
	}
	if c.secrets == nil {
		c.secrets = NewSecrets()
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	// Server texts reach the log inside errors; whatever handler the app
	// gave, none of this session's secrets gets through (rule R13).
	c.log = slog.New(NewRedactingHandler(c.log.Handler(), c.secrets)).With("service", cfg.Service, "profile", profile.Name)
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
	// A redirect to another origin is refused in words, never followed (R12).
	c.httpClient = &http.Client{Transport: &transport{c: c, base: base0}, CheckRedirect: api.CheckRedirect}
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
// runs under; sign-out cancels it. The session's tokens are installed by
// then, and are registered as secrets.
func (c *Controller) newSessionContextLocked() {
	if c.sessCancel != nil {
		c.sessCancel(ErrSignedOut)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	c.sessCtx = ctx
	c.sessCancel = func(cause error) {
		cancel(cause)
		c.cancelInflightLocked(cause)
	}
	c.renewedAt = time.Time{}
	c.noteSecretsLocked()
}

// tokenSecrets owns a controller's tokens in its Secrets.
type tokenSecrets struct{ c *Controller }

// noteSecretsLocked registers the tokens held now, and the pair before
// them (a server may quote an old token in an error), as secrets. They stay
// registered after the session ends: errors and log lines about it may
// still be on their way.
func (c *Controller) noteSecretsLocked() {
	c.secrets.put(tokenSecrets{c}, append([]string{c.tokens.AccessToken, c.tokens.RefreshToken}, c.oldSecrets...)...)
}

// replaceTokensLocked installs t in place of the current tokens, keeping
// the old ones registered as secrets.
func (c *Controller) replaceTokensLocked(t api.Tokens) {
	if c.tokens.AccessToken != t.AccessToken {
		c.oldSecrets = []string{c.tokens.AccessToken, c.tokens.RefreshToken}
	}
	c.tokens = t
	c.noteSecretsLocked()
}

// authHeaderLocked is the Authorization value for the current token, built
// once per token rather than once per request.
func (c *Controller) authHeaderLocked() string {
	if c.authFor != c.tokens.AccessToken {
		c.authHeader = authValue(c.tokens)
		c.authFor = c.tokens.AccessToken
	}
	return c.authHeader
}

// Renewal timing (design R8). A token lives from its arrival to its expiry
// on this machine's clock; it is renewed a margin before it dies, once per
// lifetime. A token whose lifetime is shorter than shortestLifetime is
// "born dead" (expires_in 0 or negative, a past expires_at, a JWT exp
// behind a clock that runs ahead): its expiry says more about clocks and
// quirks than about the token, which the server may well accept for a long
// time yet. Renewing it "before it dies" would renew it the moment it
// arrives, and the next one too: a refresh storm. So a born-dead token
//   - from a sign-in or a restore is renewed once, before it is first used
//     (the server may confirm it is dead; that costs one call);
//   - from a refresh is used as it is: the server decides, with a 401. It
//     is renewed proactively at most every bornDeadRenewEvery, and a
//     request never renews it before sending;
//   - without any way to renew it, is used until the server refuses it,
//     never expired by the local clock alone.
//
// Tokens of a normal lifetime, however short (a 5 s token renews every
// 4.5 s), are not slowed down by any of this.
const (
	shortestLifetime   = 2 * time.Second
	bornDeadRenewEvery = 30 * time.Second
)

// lifetimeLocked is the current token's lifetime as observed here; ok is
// false when it is unknown.
func (c *Controller) lifetimeLocked() (life time.Duration, ok bool) {
	if c.tokens.Expiry.IsZero() || c.obtainedAt.IsZero() {
		return 0, false
	}
	return c.tokens.Expiry.Sub(c.obtainedAt), true
}

// bornDeadLocked reports whether the current token arrived (nearly) dead.
func (c *Controller) bornDeadLocked() bool {
	life, ok := c.lifetimeLocked()
	return ok && life < shortestLifetime
}

// effectiveMarginLocked is the refresh margin for the current token: the
// configured margin, but at most a tenth of the token's lifetime, so a token
// is renewed about once per lifetime (a 5 s token every 4.5 s, a 60 s one
// every 54 s) rather than the moment it is half used.
func (c *Controller) effectiveMarginLocked() time.Duration {
	m := c.margin
	if life, ok := c.lifetimeLocked(); ok && life > 0 && life/10 < m {
		m = life / 10
	}
	return m
}

// renewFloorLocked is the earliest time a renewal may start: for a
// born-dead token that itself came from a refresh, bornDeadRenewEvery after
// that refresh; otherwise no floor (zero).
func (c *Controller) renewFloorLocked() time.Time {
	if c.renewedAt.IsZero() || !c.bornDeadLocked() {
		return time.Time{}
	}
	return c.renewedAt.Add(bornDeadRenewEvery)
}

// renewDueLocked reports whether the token should be renewed now: it is
// known to expire within the margin (or has), and the floor has passed.
func (c *Controller) renewDueLocked(now time.Time) bool {
	if c.tokens.Expiry.IsZero() || now.Before(c.tokens.Expiry.Add(-c.effectiveMarginLocked())) {
		return false
	}
	return !now.Before(c.renewFloorLocked())
}

// deadLocked reports whether the token is known to have expired.
func (c *Controller) deadLocked(now time.Time) bool {
	return !c.tokens.Expiry.IsZero() && !now.Before(c.tokens.Expiry)
}

// canRefreshLocked reports whether a dead token can be renewed at all.
func (c *Controller) canRefreshLocked() bool {
	return c.snap.HasRefresh && c.tokens.RefreshToken != ""
}

// scheduleRenewLocked plans the proactive refresh at expiry − margin (not
// before the floor), so the session renews itself while idle.
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
	var at time.Time
	switch {
	case c.canRefreshLocked():
		at = c.tokens.Expiry.Add(-c.effectiveMarginLocked())
		if floor := c.renewFloorLocked(); at.Before(floor) {
			at = floor
		}
	case c.bornDeadLocked():
		// Nothing can renew it and its expiry can't be believed: the
		// server's 401 will say when it is over.
		return
	default:
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
