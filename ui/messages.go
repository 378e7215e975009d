package ui

import (
	"context"
	"errors"
	"log/slog"

	"signet/api"
	"signet/session"
)

// The window's own sentences for failures; a server's text is never shown
// (it may read as something else: "Invalid user credentials." after a
// refused renewal looks like a wrong password nobody typed).
const (
	msgGeneric        = "Something went wrong. Please try again."
	msgTimeout        = "The server took too long to answer. Please try again."
	msgSessionEnded   = "Your session has ended. Please sign in again."
	msgSessionExpired = "Your session has expired. Please sign in again."
	msgNotSignedIn    = "You are not signed in."
	msgSignedOut      = "You signed out."
	msgBusy           = "A sign-in is already in progress or a session is open; sign out first."
	msgNotAccepted    = "The server no longer accepts your session, for example because its signing keys changed. Sign in again to carry on."
	msgSignInAgain    = "The server no longer accepts your session. Please sign in again."
	msgEnterUsername  = "Enter your %s."
	msgEnterPassword  = "Enter your password."
	msgRestoring      = "Restoring your session…"
	msgNothingHereYet = "Nothing here yet"
)

// problem is a failure as the window tells it: what happened, in plain
// words, and whether signing in again is the way forward (rather than
// trying the same thing again).
type problem struct {
	text   string
	signIn bool
}

// explain is the one place a failure becomes words for the window. Known
// failures are told by their kind or sentinel; the api's own sentences
// (network trouble, a server error with its status, an answer that could
// not be understood) are used without the server's text, except for a
// refused sign-in, where the server's words are the answer to what the
// person just typed; anything else is
// a generic sentence, so no raw Go error ever shows. What the server said
// goes to the log at debug level.
func explain(log *slog.Logger, err error) problem {
	var apiErr *api.Error
	switch {
	case err == nil:
		return problem{}
	case errors.As(err, &apiErr):
		if apiErr.ServerMessage != "" {
			log.Debug("server's words for a failure", "op", apiErr.Op, "kind", apiErr.Kind.String(),
				"status", apiErr.Status, "detail", apiErr.ServerMessage)
		}
		switch apiErr.Kind {
		case api.KindRefreshRefused:
			return problem{text: msgSessionEnded, signIn: true}
		case api.KindUnauthorized:
			// The transport renewed the token and tried again: the server
			// refuses the session itself.
			return problem{text: msgNotAccepted, signIn: true}
		case api.KindBadCredentials:
			// The person has just typed a username and password: here the
			// server's words, or the profile's sentence for its error code,
			// say what to do ("Too many attempts, try later", "Account
			// locked"). The api cleaned them and the session scrubbed them
			// of every secret it holds (design R13).
			return problem{text: apiErr.Error()}
		}
		own := *apiErr
		own.ServerMessage = ""
		return problem{text: own.Error()}
	case errors.Is(err, session.ErrSessionExpired):
		return problem{text: msgSessionExpired, signIn: true}
	case errors.Is(err, session.ErrNotSignedIn):
		return problem{text: msgNotSignedIn}
	case errors.Is(err, session.ErrSignedOut):
		return problem{text: msgSignedOut}
	case errors.Is(err, session.ErrBusy):
		return problem{text: msgBusy}
	case errors.Is(err, context.DeadlineExceeded):
		return problem{text: msgTimeout}
	}
	return problem{text: msgGeneric}
}

// humanError is explain's sentence alone.
func (a *App) humanError(err error) string { return explain(a.log, err).text }

// snapshotError says why the session is where it is, from Snapshot.Err; an
// Expired session without one still says why the form is back.
func (a *App) snapshotError(s session.Snapshot) string {
	if s.Err != nil && !errors.Is(s.Err, context.Canceled) {
		return a.humanError(s.Err)
	}
	if s.State == session.Expired {
		return msgSessionEnded
	}
	return ""
}
