// Package ui is Signet's window: a sign-in form, the protected lists, and the
// session's state made visible (renewal countdown, offline banner, memory-only
// notice). It knows widgets only; everything about tokens, storage and HTTP
// happens behind the Session interface, so the screens can be driven in tests
// by Fyne's test driver against a real session controller.
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
}

var _ Session = (*session.Controller)(nil)
