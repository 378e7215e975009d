package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/tidwall/gjson"
)

// ErrUnknownList is the cause when FetchList is asked for a list the profile
// does not have (a programming error, not the server's).
var ErrUnknownList = errors.New("api: the profile has no list by that name")

// ErrNoRefresh is the cause when Refresh is called without a refresh call in
// the profile or without a refresh token to send.
var ErrNoRefresh = errors.New("api: nothing to refresh with")

// detailError is a cause this package writes for people: it names fields and
// paths from the profile, never a value from the answer, so Error() may show
// it (see (*Error).Error for KindMalformed).
type detailError struct{ msg string }

func (d *detailError) Error() string { return d.msg }

func malformed(op string, status int, format string, args ...any) *Error {
	return &Error{Kind: KindMalformed, Op: op, Status: status, Err: &detailError{fmt.Sprintf(format, args...)}}
}

// statusError turns a non-2xx answer into an *Error of the given kind, with
// the server's own words when it sent usable ones.
func (c *Client) statusError(op string, r *response, kind Kind, secrets []string) *Error {
	e := &Error{Kind: kind, Op: op, Status: r.status}
	c.explain(e, r.body, secrets)
	return e
}

// loginFailureKind: 400/401/403 is how sign-in endpoints say "wrong
// credentials" (OAuth2 uses 400 invalid_grant); anything else is the
// server's trouble, worth trying again (429 included).
func loginFailureKind(r *response) Kind {
	switch {
	case r.status == http.StatusBadRequest, r.status == http.StatusUnauthorized, r.status == http.StatusForbidden:
		return KindBadCredentials
	case is4xx(r.status) && isInvalidGrant(r.body):
		return KindBadCredentials
	}
	return KindServer
}

// refreshFailureKind: 400/401, or OAuth2's invalid_grant with any 4xx, means
// the refresh token is dead and the session is over (R7). Everything else
// (5xx, 429, a proxy's 403 page) keeps the session and retries.
func refreshFailureKind(r *response) Kind {
	switch {
	case r.status == http.StatusBadRequest, r.status == http.StatusUnauthorized:
		return KindRefreshRefused
	case is4xx(r.status) && isInvalidGrant(r.body):
		return KindRefreshRefused
	}
	return KindServer
}

// protectedFailureKind is for calls made with the auth token (Me, lists):
// by the time an "expired" status reaches here the authenticated transport
// has already refreshed and retried once (R5).
func (c *Client) protectedFailureKind(r *response) Kind {
	if c.isExpiredAnswer(r.status, r.body) || r.status == http.StatusUnauthorized || r.status == http.StatusForbidden {
		return KindUnauthorized
	}
	return KindServer
}

func is4xx(status int) bool { return status >= 400 && status < 500 }

// isInvalidGrant reports an RFC 6749 §5.2 "invalid_grant" error body.
func isInvalidGrant(body []byte) bool {
	if checkJSON(body) != nil {
		return false
	}
	return gjson.GetBytes(body, "error").String() == "invalid_grant"
}
