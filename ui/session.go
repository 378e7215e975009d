package ui

import (
	"context"

	"signet/api"
	"signet/session"
)

// Session is what the UI needs from the session. *session.Controller
// satisfies it.
//
// Subscribe's callback may run on any goroutine; the UI hops to its own with
// fyne.Do before touching a widget. SignIn, SignOut and FetchList may block
// on the network, so the UI only calls them from goroutines of its own.
type Session interface {
	Snapshot() session.Snapshot
	Subscribe(fn func(session.Snapshot)) (cancel func())
	SignIn(ctx context.Context, username, password string) error
	SignOut(ctx context.Context)
	FetchList(ctx context.Context, list string, offset, limit int, search string) (api.Page, error)
	Profile() api.Profile
	// RetryNow renews at once while Offline instead of waiting out the
	// backoff (a person pressed Reload); otherwise it does nothing. It
	// returns at once.
	RetryNow()
	// FetchImage reads an item's image; the bearer goes with it only to
	// the profile's bearer origins. It may block on the network.
	FetchImage(ctx context.Context, url string) ([]byte, error)
	// ConfirmSession asks the server whether the session is alive, through
	// the authenticated client (so a dead token is renewed or ends the
	// session); api.ErrNoCheck when the profile has nothing to ask. It may
	// block on the network.
	ConfirmSession(ctx context.Context) error
}

var _ Session = (*session.Controller)(nil)
