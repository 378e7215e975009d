package session

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
)

// scope returns the context a request runs under: the caller's merged with
// the session's, so that sign-out cancels it at once, waiting for a refresh
// included. A request with no context of its own (context.Background)
// simply runs under the session's context: nothing to merge or release.
// Otherwise fl, the request's, is registered with the session.
func (s source) scope(parent context.Context, fl *inflight) (requestScope, error) {
	own := parent != context.Background() && parent != context.TODO()
	var ctx context.Context
	if own {
		// Made before taking the lock: it is the costly part.
		ctx, fl.cancel = context.WithCancelCause(parent)
	}
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.held.hasTokensLocked() {
		if own {
			fl.cancel(nil)
		}
		return requestScope{}, c.noSessionErrLocked()
	}
	sess := c.sessCtx
	if !own {
		return requestScope{ctx: sess, sess: sess}, nil
	}
	fl.c = c
	c.inflight[fl] = struct{}{}
	return requestScope{ctx: ctx, sess: sess, fl: fl}, nil
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
