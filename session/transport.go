package session

import (
	"context"
	"io"
	"net/http"
	"net/url"
)

// TokenSource supplies the tokens a Transport sends, as oauth2.TokenSource
// does.
type TokenSource interface {
	// Token returns the token to send now, renewing it first when it is
	// due (design R5).
	Token(ctx context.Context) (Token, error)
}

// Renewer is a TokenSource that can renew a token the server called
// expired. A Transport whose Source is one retries such a request once.
type Renewer interface {
	// Renew is called after the server answered a request sent with stale
	// with an expired status. It returns the token to replay with; retry
	// false hands the response back as it is. wait false (the body can't
	// be replayed) asks for the renewal to start without waiting for it,
	// so the next request works.
	Renew(ctx context.Context, stale Token, wait bool) (next Token, retry bool, err error)
}

// StaticTokenSource always returns t: no renewal, no retry.
func StaticTokenSource(t Token) TokenSource { return staticSource{t} }

type staticSource struct{ t Token }

func (s staticSource) Token(context.Context) (Token, error) { return s.t, nil }

// Transport is an http.RoundTripper that adds the Source's token to
// requests for the declared origins only (design R12) and, when the Source
// is a Renewer, replays a request once after the server called its token
// expired (design R5). It never mutates the caller's request and closes
// the request body on every path. Usable by any http.Client.
type Transport struct {
	Source TokenSource
	// Base sends the requests (nil: http.DefaultTransport).
	Base http.RoundTripper
	// Origins (api.Origin: scheme://host:port) are the only origins that
	// get the token, compared exactly; none: no request does.
	Origins []string
	// Expired reports whether an answer means "token expired" (nil: a
	// 401). It may read the body, but must leave it readable.
	Expired func(resp *http.Response) bool
}

// transportError carries a session failure (refresh refused, offline,
// signed out) through http.Client, which wraps whatever a RoundTripper
// returns in a *url.Error; Controller.FetchList unwraps it again.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// requestScoper is a TokenSource whose requests run under a context of its
// own as well as the caller's (the Controller's: sign-out cancels them).
// fl is the request's, to be registered when the request needs it.
type requestScoper interface {
	scope(parent context.Context, fl *inflight) (requestScope, error)
}

// outgoing is what the Transport adds to a request, in one allocation: the
// copy that is sent, its Authorization value and its tie to the session.
type outgoing struct {
	req  http.Request
	auth [1]string
	fl   inflight
}

// requestScope is the context one request runs under; see
// Controller.scope.
type requestScope struct {
	ctx, sess context.Context
	fl        *inflight // nil: nothing to release
}

func (t *Transport) base() http.RoundTripper {
	if t.Base == nil {
		return http.DefaultTransport
	}
	return t.Base
}

func (t *Transport) expired(resp *http.Response) bool {
	if t.Expired == nil {
		return resp.StatusCode == http.StatusUnauthorized
	}
	return t.Expired(resp)
}

// bearerFor reports whether u is on one of the declared origins.
func (t *Transport) bearerFor(u *url.URL) bool {
	for _, o := range t.Origins {
		if isOrigin(u, o) {
			return true
		}
	}
	return false
}

func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.bearerFor(req.URL) {
		// Not the API's origin: never the token, no session logic.
		return t.base().RoundTrip(req)
	}
	out := new(outgoing)
	sc := requestScope{ctx: req.Context()}
	if s, ok := t.Source.(requestScoper); ok {
		var err error
		if sc, err = s.scope(req.Context(), &out.fl); err != nil {
			closeBody(req)
			return nil, &transportError{err}
		}
	}
	tok, err := t.Source.Token(sc.ctx)
	if err != nil {
		closeBody(req)
		return sc.fail(&transportError{err})
	}
	resp, err := t.base().RoundTrip(out.request(sc.ctx, req, tok.Authorization()))
	if err != nil || !t.expired(resp) {
		return sc.done(resp, err)
	}
	r, ok := t.Source.(Renewer)
	if !ok {
		return sc.done(resp, nil)
	}
	// The server says the token is dead.
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	next, retry, err := r.Renew(sc.ctx, tok, replayable)
	if err != nil {
		drain(resp)
		return sc.fail(&transportError{err})
	}
	if !retry {
		return sc.done(resp, nil)
	}
	drain(resp)
	// Once only: whatever the replay gets, even another expired status,
	// goes back to the caller (the api client maps it to KindUnauthorized).
	return sc.done(t.replay(sc.ctx, req, next.Authorization()))
}

// request is the copy of req to send under ctx with auth, made in o: the
// caller's request is never changed.
func (o *outgoing) request(ctx context.Context, req *http.Request, auth string) *http.Request {
	o.req = *req.WithContext(ctx) // inlined: its copy stays on the stack
	o.auth[0] = auth
	o.req.Header = withAuthorization(req.Header, o.auth[:])
	return &o.req
}

// replay sends req again with auth (after the first answer was drained and
// closed), with a fresh body from GetBody.
func (t *Transport) replay(ctx context.Context, req *http.Request, auth string) (*http.Response, error) {
	r := new(outgoing).request(ctx, req, auth)
	if req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	return t.base().RoundTrip(r)
}

// done hands resp back with the request's context tied to its body, or
// fails with err.
func (sc requestScope) done(resp *http.Response, err error) (*http.Response, error) {
	if err != nil {
		return sc.fail(err)
	}
	return sc.fl.attach(resp), nil
}

// fail ends the request with err, or with ErrSignedOut when the session it
// ran under has ended.
func (sc requestScope) fail(err error) (*http.Response, error) {
	if sc.sess != nil && sc.sess.Err() != nil {
		err = &transportError{ErrSignedOut}
	}
	sc.fl.release()
	return nil, err
}

// withAuthorization is a copy of h with Authorization set to auth. The
// values are h's own slices (a RoundTripper doesn't modify them), capped so
// that even an append could not write into the caller's arrays.
func withAuthorization(h http.Header, auth []string) http.Header {
	out := make(http.Header, len(h)+1)
	for k, vs := range h {
		out[k] = vs[:len(vs):len(vs)]
	}
	out["Authorization"] = auth
	return out
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
