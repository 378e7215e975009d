package ui

import (
	"context"
	"errors"

	"signet/api"
	"signet/session"
)

// Fallback sentences for failures that carry no text meant for people.
const (
	msgGeneric        = "Something went wrong. Please try again."
	msgTimeout        = "The server took too long to answer. Please try again."
	msgSessionEnded   = "Your session ended. Please sign in again."
	msgEnterUsername  = "Enter your %s."
	msgEnterPassword  = "Enter your password."
	msgRestoring      = "Restoring your session…"
	msgNothingHereYet = "Nothing here yet"
)

// humanError turns a failure into a sentence for the window. Only *api.Error
// is written for people (its text never holds a token or a Go error chain);
// anything else gets a generic sentence, so no raw Go error ever shows.
func humanError(err error) string {
	var apiErr *api.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &apiErr):
		return apiErr.Error()
	case isSessionSentence(err):
		return err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return msgTimeout
	}
	return msgGeneric
}

// isSessionSentence reports whether err is one of the session's own errors,
// which are whole sentences written for people.
func isSessionSentence(err error) bool {
	for _, known := range []error{
		session.ErrNotSignedIn, session.ErrSignedOut, session.ErrSessionExpired, session.ErrBusy,
	} {
		if errors.Is(err, known) {
			return true
		}
	}
	return false
}

// snapshotError is the text of Snapshot.Err, which the session promises is
// safe to show; an Expired session without one still says why the form is
// back.
func snapshotError(s session.Snapshot) string {
	switch {
	case s.Err == nil, errors.Is(s.Err, context.Canceled):
	case errors.Is(s.Err, context.DeadlineExceeded):
		return msgTimeout
	default:
		if msg := s.Err.Error(); msg != "" {
			return msg
		}
	}
	if s.State == session.Expired {
		return msgSessionEnded
	}
	return ""
}
