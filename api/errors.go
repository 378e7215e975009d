package api

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies a failure by what the caller should do about it.
type Kind int

const (
	// KindNetwork: the server could not be reached, or did not answer in
	// time. Retryable; the session stays.
	KindNetwork Kind = iota + 1
	// KindBadCredentials: sign-in refused (wrong username or password).
	KindBadCredentials
	// KindRefreshRefused: the refresh token is no longer accepted
	// (invalid_grant, revoked, expired). The session is over.
	KindRefreshRefused
	// KindUnauthorized: a protected call was refused even with a fresh
	// token (or with 403 meaning "not allowed").
	KindUnauthorized
	// KindServer: 5xx or another unexpected status. Retryable.
	KindServer
	// KindMalformed: the server answered 2xx with something we cannot use
	// (not JSON, no token, wrong types, too large).
	KindMalformed
)

func (k Kind) String() string {
	switch k {
	case KindNetwork:
		return "network"
	case KindBadCredentials:
		return "bad credentials"
	case KindRefreshRefused:
		return "refresh refused"
	case KindUnauthorized:
		return "unauthorized"
	case KindServer:
		return "server error"
	case KindMalformed:
		return "malformed response"
	}
	return "unknown"
}

// Error is every failure this package returns. Its Error() text is meant for
// people and never contains a token, a password or a header value.
type Error struct {
	Kind Kind
	// Op is what was being done, in words: "sign in", "refresh", "load Items".
	Op string
	// Status is the HTTP status, 0 when there was no answer.
	Status int
	// ServerMessage is the server's own words from the error body, if any
	// (trimmed and length-capped).
	ServerMessage string
	// Code is the server's error code (INVALID_PASSWORD) when it sent one
	// the profile's error_codes do not turn into a sentence.
	Code string
	// List is the list a failed FetchList was loading, if any.
	List string
	// Err is the underlying cause, for errors.Is/As (context.Canceled,
	// *net.OpError, ...). It is not shown in Error().
	Err error
}

func (e *Error) Error() string {
	if e.List != "" && e.Status >= 400 && (e.Kind == KindServer || e.Kind == KindUnauthorized) {
		return e.listText()
	}
	if e.ServerMessage != "" {
		return e.ServerMessage
	}
	if e.Code != "" {
		switch e.Kind {
		case KindBadCredentials:
			return fmt.Sprintf("The server refused the sign-in (%s).", e.Code)
		case KindRefreshRefused:
			return fmt.Sprintf("Your session has ended (%s). Please sign in again.", e.Code)
		case KindUnauthorized:
			return fmt.Sprintf("The server refused to %s (%s).", e.Op, e.Code)
		case KindServer:
			return fmt.Sprintf("The server had a problem (%d, %s) while trying to %s. Try again in a moment.", e.Status, e.Code, e.Op)
		}
	}
	var re *RedirectError
	if errors.As(e.Err, &re) {
		return re.Error()
	}
	var se *sentenceError
	if errors.As(e.Err, &se) {
		return se.msg
	}
	switch e.Kind {
	case KindNetwork:
		return fmt.Sprintf("Can't reach the server to %s. Check your connection.", e.Op)
	case KindBadCredentials:
		return "Wrong username or password."
	case KindRefreshRefused:
		return "Your session has ended. Please sign in again."
	case KindUnauthorized:
		return fmt.Sprintf("You are not allowed to %s.", e.Op)
	case KindServer:
		if e.Status > 0 {
			return fmt.Sprintf("The server had a problem (%d) while trying to %s. Try again in a moment.", e.Status, e.Op)
		}
		return fmt.Sprintf("The server had a problem while trying to %s. Try again in a moment.", e.Op)
	case KindMalformed:
		// A detail written by this package names the field that was
		// missing or wrong, never a value from the answer.
		var d *detailError
		if errors.As(e.Err, &d) {
			return fmt.Sprintf("The server's answer to %s could not be understood: %s.", e.Op, d.msg)
		}
		return fmt.Sprintf("The server's answer to %s could not be understood.", e.Op)
	}
	return fmt.Sprintf("Could not %s.", e.Op)
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether trying the same call later may succeed without
// anything else changing (network trouble, 5xx).
func (e *Error) Retryable() bool { return e.Kind == KindNetwork || e.Kind == KindServer }

// KindOf returns the Kind of err, or 0 when err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// IsRetryable reports whether err is an *Error worth retrying later.
func IsRetryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Retryable()
}

// listText is a failed list in words: "Items: the server has no such list
// (404)", or the server's own sentence when it sent one that says more
// than the status's name. A 5xx with nothing to add keeps the general
// sentence, which names the list already.
func (e *Error) listText() string {
	msg := e.ServerMessage
	if msg == "" || isStatusText(msg, e.Status) {
		if e.Status >= 500 && e.Kind == KindServer && e.Code == "" {
			return fmt.Sprintf("The server had a problem (%d) while trying to %s. Try again in a moment.", e.Status, e.Op)
		}
		msg = listProblem(e.Status)
		if e.Code != "" {
			msg += ", " + e.Code
		}
	}
	return fmt.Sprintf("%s: %s (%d)", e.List, strings.TrimRight(msg, "."), e.Status)
}
