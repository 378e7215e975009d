package ui

import (
	"context"
	"net/url"

	"signet/api"
	"signet/api/oauth"
	"signet/profile"
)

// idTokenSignOut is the part of the session that signs out and hands back
// the ID token it held (*session.Controller has it).
type idTokenSignOut interface {
	SignOutIDToken(ctx context.Context) string
}

func (w *switchableSession) SignOutIDToken(ctx context.Context) string {
	if s, ok := w.current().(idTokenSignOut); ok {
		return s.SignOutIDToken(ctx)
	}
	w.current().SignOut(ctx)
	return ""
}

// signOut ends the session and, when the profile asks for it
// (end_session = true), the provider's browser session too (OpenID Connect
// RP-initiated logout): after the local sign-out, the provider's logout
// page opens in the browser with the ID token the session held as
// id_token_hint. The local sign-out never waits on the provider: a logout
// page that can't be found or opened only goes to the log. It may block on
// the network (discovery); call it off the UI goroutine.
func (a *App) signOut(ctx context.Context) {
	p := a.session.Profile()
	s, ok := a.session.(idTokenSignOut)
	if p.OAuth == nil || !p.OAuth.EndSession || !ok {
		a.session.SignOut(ctx)
		return
	}
	hint := s.SignOutIDToken(ctx)
	client, err := oauth.New(profile.OAuthConfig(p))
	if err != nil {
		a.log.Debug("provider logout unavailable", "err", err)
		return
	}
	link, err := client.LogoutURL(ctx, hint, p.OAuth.PostLogoutRedirectURI, "")
	if err != nil || link == "" {
		a.log.Debug("the provider has no logout page", "kind", api.KindOf(err).String())
		return
	}
	opened := make(chan error, 1)
	a.do(func() { opened <- a.openURL(link) })
	if err := <-opened; err != nil {
		// The error may quote the link, which holds the ID token.
		a.log.Debug("no browser opened for the provider's logout page")
	}
}

// openURL opens raw in the system browser (Options.OpenURL in tests). Call
// it on the UI goroutine.
func (a *App) openURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if a.opts.OpenURL != nil {
		return a.opts.OpenURL(u)
	}
	return a.fyneApp.OpenURL(u)
}
