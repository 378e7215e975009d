package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"

	"signet/api"
)

// transport is the authenticated http.RoundTripper (rule R5). It adds the
// token to requests for the API's own origin only (R12), renews a token
// that is about to expire before sending, and on an expired status renews it
// once (joining the single in-flight refresh) and replays the request once.
type transport struct {
	c    *Controller
	base http.RoundTripper
}

// transportError carries a session failure (refresh refused, offline,
// signed out) through http.Client, which wraps whatever a RoundTripper
// returns in a *url.Error; Controller.FetchList unwraps it again.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

func (c *Controller) baseTransport() http.RoundTripper {
	return c.httpClient.Transport.(*transport).base
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.c
	if api.Origin(req.URL) != c.apiOrigin {
		// Not the API's origin: never the token, no session logic.
		return t.base.RoundTrip(req)
	}
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	sessCtx := c.sessionContext()
	if sessCtx == nil {
		closeBody(req)
		return nil, &transportError{c.endedErr()}
	}
	// Everything below, waiting for a refresh included, runs under the
	// request's context and the session's: sign-out cancels it at once.
	ctx, cancel := context.WithCancelCause(req.Context())
	stop := context.AfterFunc(sessCtx, func() { cancel(ErrSignedOut) })
	release := func() { stop(); cancel(nil) }
	fail := func(err error) (*http.Response, error) {
		if errors.Is(context.Cause(ctx), ErrSignedOut) {
			err = &transportError{ErrSignedOut}
		}
		release()
		return nil, err
	}

	tok, err := c.tokenFor(ctx)
	if err != nil {
		closeBody(req)
		return fail(&transportError{err})
	}
	resp, err := t.send(ctx, req, tok, false)
	if err != nil {
		return fail(err)
	}
	if !c.client.IsExpiredStatus(resp.StatusCode) {
		return withRelease(resp, release), nil
	}

	// The server says the token is dead.
	next, retry, err := c.afterExpired(ctx, tok, replayable)
	if err != nil {
		drain(resp)
		return fail(&transportError{err})
	}
	if !retry {
		return withRelease(resp, release), nil
	}
	drain(resp)
	// Once only: whatever the replay gets, even another expired status,
	// goes back to the caller (the api client maps it to KindUnauthorized).
	if resp, err = t.send(ctx, req, next, true); err != nil {
		return fail(err)
	}
	return withRelease(resp, release), nil
}

// send clones req under ctx (never mutating the caller's request) and adds
// the token. A replay takes a fresh body from GetBody.
func (t *transport) send(ctx context.Context, req *http.Request, tok api.Tokens, replay bool) (*http.Response, error) {
	r := req.Clone(ctx)
	if replay && req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	r.Header.Set("Authorization", authValue(tok))
	return t.base.RoundTrip(r)
}

// withRelease ties the request's context to the response body: it must
// live until the caller has read the body.
func withRelease(resp *http.Response, release func()) *http.Response {
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp
}

// sessionContext is the current session's context, nil before any session.
func (c *Controller) sessionContext() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.hasTokensLocked() {
		return nil
	}
	return c.sessCtx
}

// tokenFor returns the token to send now: it waits while a refresh is in
// flight and renews first when the token is known to expire within the
// margin (rule R5).
func (c *Controller) tokenFor(ctx context.Context) (api.Tokens, error) {
	renewed := false
	for {
		c.mu.Lock()
		if w := c.refreshing; w != nil {
			c.mu.Unlock()
			select {
			case <-w:
				// That refresh was this request's chance; whatever came
				// of it, don't start another one (no storm while Offline).
				renewed = true
				continue
			case <-ctx.Done():
				return api.Tokens{}, ctx.Err()
			}
		}
		if !c.hasTokensLocked() {
			err := c.noSessionErrLocked()
			c.mu.Unlock()
			return api.Tokens{}, err
		}
		now := c.now()
		// While Offline the background retry owns renewal; a token that
		// still lives is used as is instead of each call trying again.
		offlineButLive := c.snap.State == Offline && !c.deadLocked(now)
		if !renewed && !offlineButLive && c.needsRefreshLocked(now) {
			if !c.canRefreshLocked() {
				if c.deadLocked(now) {
					gen := c.gen
					c.mu.Unlock()
					c.expire(gen, ErrSessionExpired)
					return api.Tokens{}, ErrSessionExpired
				}
				// Nearly dead but nothing can renew it: use it while it lasts.
			} else {
				stale := c.tokens.AccessToken
				c.mu.Unlock()
				renewed = true
				if _, err := c.refresh(ctx, stale, "token about to expire"); err != nil {
					c.mu.Lock()
					usable := c.hasTokensLocked() && !c.deadLocked(c.now())
					c.mu.Unlock()
					if !usable {
						return api.Tokens{}, err
					}
					// Offline but the old token still lives: use it.
				}
				continue
			}
		}
		tok := c.tokens
		c.mu.Unlock()
		return tok, nil
	}
}

// afterExpired decides what follows an expired status for a request sent
// with sent: replay with the current token if it already changed, otherwise
// renew (joining the single flight) and replay. A request whose body can't
// be replayed still triggers the renewal, so the next call works, but its
// response goes back as is (retry false).
func (c *Controller) afterExpired(ctx context.Context, sent api.Tokens, replayable bool) (next api.Tokens, retry bool, err error) {
	c.mu.Lock()
	if !c.hasTokensLocked() {
		err := c.noSessionErrLocked()
		c.mu.Unlock()
		return api.Tokens{}, false, err
	}
	if c.tokens.AccessToken != sent.AccessToken {
		cur := c.tokens
		c.mu.Unlock()
		return cur, replayable, nil
	}
	if !c.canRefreshLocked() {
		gen := c.gen
		c.mu.Unlock()
		c.expire(gen, ErrSessionExpired)
		return api.Tokens{}, false, ErrSessionExpired
	}
	c.mu.Unlock()
	if !replayable {
		c.startRefresh(sent.AccessToken, "expired status")
		return api.Tokens{}, false, nil
	}
	t, err := c.refresh(ctx, sent.AccessToken, "expired status")
	if err != nil {
		return api.Tokens{}, false, err
	}
	return t, true, nil
}

// noSessionErrLocked says why there is no token: the session's last error
// when it ended badly (refresh refused), else "not signed in".
func (c *Controller) noSessionErrLocked() error {
	if c.snap.State == Expired && c.snap.Err != nil {
		return c.snap.Err
	}
	return ErrNotSignedIn
}

// releasingBody releases the request's context once the body is closed.
type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// drain discards a response we don't hand back; a little of the body is
// read so the connection can be reused.
func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	_ = resp.Body.Close()
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}
