package session

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"

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
	// Everything below, waiting for a refresh included, runs under the
	// request's context and the session's: sign-out cancels it at once.
	ctx, sess, fl := c.beginRequest(req.Context())
	if ctx == nil {
		closeBody(req)
		return nil, &transportError{c.endedErr()}
	}
	fail := func(err error) (*http.Response, error) {
		if sess.Err() != nil {
			err = &transportError{ErrSignedOut}
		}
		fl.release()
		return nil, err
	}

	tok, auth, err := c.tokenFor(ctx)
	if err != nil {
		closeBody(req)
		return fail(&transportError{err})
	}
	resp, err := t.send(ctx, req, auth, false)
	if err != nil {
		return fail(err)
	}
	if !c.client.IsExpiredStatus(resp.StatusCode) {
		return fl.attach(resp), nil
	}

	// The server says the token is dead.
	next, retry, err := c.afterExpired(ctx, tok, replayable)
	if err != nil {
		drain(resp)
		return fail(&transportError{err})
	}
	if !retry {
		return fl.attach(resp), nil
	}
	drain(resp)
	// Once only: whatever the replay gets, even another expired status,
	// goes back to the caller (the api client maps it to KindUnauthorized).
	if resp, err = t.send(ctx, req, authValue(next), true); err != nil {
		return fail(err)
	}
	return fl.attach(resp), nil
}

// send copies req under ctx (never mutating the caller's request) with the
// Authorization header. A replay takes a fresh body from GetBody.
func (t *transport) send(ctx context.Context, req *http.Request, auth string, replay bool) (*http.Response, error) {
	r := req.WithContext(ctx)
	if replay && req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	r.Header = withAuthorization(req.Header, auth)
	return t.base.RoundTrip(r)
}

// withAuthorization is a copy of h with Authorization set to auth, made
// with one map and one slice for all the values.
func withAuthorization(h http.Header, auth string) http.Header {
	n := 1
	for _, vs := range h {
		n += len(vs)
	}
	values := make([]string, 0, n)
	out := make(http.Header, len(h)+1)
	for k, vs := range h {
		if k == "Authorization" {
			continue
		}
		values = append(values, vs...)
		out[k] = values[len(values)-len(vs) : len(values) : len(values)]
	}
	values = append(values, auth)
	out["Authorization"] = values[len(values)-1:]
	return out
}

// inflight is one request whose context merges the caller's and the
// session's. The session's cancel reaches it through Controller.inflight,
// which costs less per request than a context.AfterFunc; it is released
// when the response body is closed (or the request fails). A nil inflight
// (a request without a context of its own) has nothing to release.
type inflight struct {
	io.ReadCloser
	c        *Controller
	cancel   context.CancelCauseFunc
	released atomic.Bool
}

// beginRequest returns the context a request runs under, the session's
// context, and what to release when it is over; ctx is nil when there is
// no session. A request with no context of its own (context.Background)
// simply runs under the session's context: nothing to merge or release.
func (c *Controller) beginRequest(parent context.Context) (ctx, sess context.Context, fl *inflight) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.hasTokensLocked() {
		return nil, nil, nil
	}
	sess = c.sessCtx
	if parent == context.Background() || parent == context.TODO() {
		return sess, sess, nil
	}
	ctx, cancel := context.WithCancelCause(parent)
	fl = &inflight{c: c, cancel: cancel}
	c.inflight[fl] = struct{}{}
	return ctx, sess, fl
}

// cancelInflightLocked cancels every request of the session; sign-out.
func (c *Controller) cancelInflightLocked(cause error) {
	for fl := range c.inflight {
		fl.cancel(cause)
		delete(c.inflight, fl)
	}
}

// attach ties the request's context to the response body: it must live
// until the caller has read the body.
func (fl *inflight) attach(resp *http.Response) *http.Response {
	if fl != nil {
		fl.ReadCloser = resp.Body
		resp.Body = fl
	}
	return resp
}

func (fl *inflight) Close() error {
	err := fl.ReadCloser.Close()
	fl.release()
	return err
}

func (fl *inflight) release() {
	if fl == nil || fl.released.Swap(true) {
		return
	}
	fl.c.mu.Lock()
	delete(fl.c.inflight, fl)
	fl.c.mu.Unlock()
	fl.cancel(nil)
}

// tokenFor returns the token to send now, and its Authorization value
// (rule R5). While a refresh is in flight, a token that still lives goes
// out at once; only a dead one waits for that refresh. Otherwise a token
// known to expire within the margin is renewed first. A born-dead token the
// floor doesn't let renew yet goes out as it is (see renewFloorLocked).
func (c *Controller) tokenFor(ctx context.Context) (api.Tokens, string, error) {
	waited := false
	for {
		c.mu.Lock()
		if !c.hasTokensLocked() {
			err := c.noSessionErrLocked()
			c.mu.Unlock()
			return api.Tokens{}, "", err
		}
		now := c.now()
		dead := c.tok.Dead(now)
		if w := c.refreshing; w != nil && dead && !waited {
			c.mu.Unlock()
			select {
			case <-w:
				// That refresh was this request's chance; whatever came
				// of it, don't start another one (no storm while Offline).
				waited = true
				continue
			case <-ctx.Done():
				return api.Tokens{}, "", ctx.Err()
			}
		}
		// While Offline the background retry owns renewal; a token that
		// still lives is used as is instead of each call trying again.
		offlineButLive := c.snap.State == Offline && !dead
		if !waited && c.refreshing == nil && !offlineButLive && c.tok.RenewDue(c.margin, now) {
			switch {
			case !c.canRefreshLocked():
				if dead && !c.tok.BornDead() {
					gen := c.gen
					c.mu.Unlock()
					c.expire(gen, ErrSessionExpired)
					return api.Tokens{}, "", ErrSessionExpired
				}
				// Nothing can renew it: use it while it lasts, or until
				// the server refuses it.
			default:
				stale := c.tok.AccessToken
				c.mu.Unlock()
				waited = true
				if _, err := c.refresh(ctx, stale, "token about to expire"); err != nil {
					c.mu.Lock()
					usable := c.hasTokensLocked() && !c.tok.Dead(c.now())
					c.mu.Unlock()
					if !usable {
						return api.Tokens{}, "", err
					}
					// Offline but the old token still lives: use it.
				}
				continue
			}
		}
		tok, auth := c.tok.Tokens, c.tok.Authorization()
		c.mu.Unlock()
		return tok, auth, nil
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
	if c.tok.AccessToken != sent.AccessToken {
		cur := c.tok.Tokens
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
