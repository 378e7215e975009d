package api

import (
	"context"
	"errors"
	"net/http"
)

// ErrNoCheck is the cause when ConfirmSession has nothing to ask: the
// profile has neither a check nor a current-user call.
var ErrNoCheck = errors.New("api: the profile has no call that confirms a session")

// ShouldConfirmEmpty reports whether an empty first page of the named list
// must be confirmed against the session (ConfirmSession) before it is shown
// as empty: some servers answer a dead or revoked token as a guest, with 200
// and nothing in it. hadRows says whether the list showed rows before.
func (c *Client) ShouldConfirmEmpty(list string, hadRows bool) bool {
	spec, err := c.listSpec(list)
	if err != nil || (c.profile.Check == nil && c.profile.Me == nil) {
		return false
	}
	switch spec.ConfirmEmpty {
	case ConfirmEmptyAlways:
		return true
	case ConfirmEmptyNever:
		return false
	}
	return hadRows
}

// ConfirmSession asks the server, with hc (the authenticated client),
// whether the session is alive: the profile's check call, else its
// current-user call. nil means it is; an answer the profile counts as a dead
// token (after the transport's one refresh and retry) is KindUnauthorized;
// ErrNoCheck when there is nothing to ask.
func (c *Client) ConfirmSession(ctx context.Context, hc *http.Client) error {
	const op = "confirm your session"
	spec := c.profile.Check
	if spec == nil && c.profile.Me != nil {
		spec = &c.profile.Me.RequestSpec
	}
	if spec == nil {
		return &Error{Op: op, Err: ErrNoCheck} // no kind: nothing is known about the session
	}
	if hc == nil {
		hc = c.http
	}
	r, err := c.exchange(ctx, op, hc, c.tokenCap, func(ctx context.Context) (*http.Request, error) {
		return c.buildRequest(ctx, spec, http.MethodGet, vars{})
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Kind == KindMalformed {
			return nil // a 2xx too large to read still says the token works
		}
		return err
	}
	if !r.ok() {
		return c.statusError(op, r, c.protectedFailureKind(r), nil)
	}
	return nil
}
