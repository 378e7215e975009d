package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// reauthSheet is the sign-in form shown over the list screen when the
// session ends mid-use (renewal refused, or a token without refresh died).
// The screen underneath stays as it was — list, search, selection, scroll —
// so signing in again carries on exactly there. It is modal: nothing under
// it works without a session anyway.
type reauthSheet struct {
	app     *App
	popup   *widget.PopUp
	box     *fyne.Container
	scroll  *container.Scroll // lets the form fit a short window
	sized   fyne.Size         // what fit asked for last
	signOut *keyButton
	// before is what had the keyboard when the sheet came: signing in
	// again gives it back, so the person carries on exactly there.
	before fyne.Focusable
}

func newReauthSheet(app *App) *reauthSheet {
	r := &reauthSheet{app: app}
	r.signOut = newIconButton("Sign out instead", theme.LogoutIcon(), r.onSignOut)
	r.signOut.Importance = widget.LowImportance
	r.box = container.NewVBox()
	r.scroll = container.NewVScroll(r.box)
	return r
}

// show puts the app's sign-in form in the sheet. The form is the same one
// the full screen uses (one form, one state); it moves back there when the
// sheet closes.
func (r *reauthSheet) show() {
	if r.visible() {
		return
	}
	r.signOut.Enable()
	r.box.Objects = []fyne.CanvasObject{r.app.form().content, container.NewCenter(r.signOut)}
	r.box.Refresh()
	// Nothing under the sheet keeps the keyboard (a search box would
	// blink on behind it); what had it gets it back afterwards.
	r.before = r.app.win.Canvas().Focused()
	r.app.win.Canvas().Unfocus()
	if r.popup == nil {
		r.popup = widget.NewModalPopUp(r.scroll, r.app.win.Canvas())
	}
	r.sized = fyne.Size{}
	r.popup.Show()
	r.fit()
}

// fit sizes the sheet to the form, or to the window when that is shorter
// (the form then scrolls). The list screen calls it on every tick, so a
// window resized under the sheet is followed.
func (r *reauthSheet) fit() {
	if !r.visible() {
		return
	}
	// The pop-up's size counts its inner padding; the scroll gets the rest
	// (and is clamped to the window by the pop-up itself).
	pad := theme.Size(theme.SizeNameInnerPadding)
	want := r.box.MinSize().AddWidthHeight(pad, pad)
	if room := r.app.win.Canvas().Size().Height - pad; room > 0 && want.Height > room {
		want.Width += theme.ScrollBarSize() // the bar must not cover the form
	}
	if r.sized != want {
		r.sized = want
		r.popup.Resize(want)
	}
}

func (r *reauthSheet) hide() {
	if r.popup != nil && r.popup.Visible() {
		// The password field must not keep the keyboard once hidden.
		r.app.win.Canvas().Unfocus()
		r.popup.Hide()
	}
	// The form must not stay in two places once it is shown elsewhere.
	r.box.Objects = nil
}

func (r *reauthSheet) visible() bool { return r.popup != nil && r.popup.Visible() }

// giveFocusBack returns the keyboard to what had it before the sheet, if
// that is still on screen.
func (r *reauthSheet) giveFocusBack() {
	w := r.before
	r.before = nil
	if o, ok := w.(fyne.CanvasObject); ok && o.Visible() {
		r.app.win.Canvas().Focus(w)
	}
}

// onSignOut leaves for good: the SignedOut state change closes the sheet and
// the list and shows the full sign-in screen.
func (r *reauthSheet) onSignOut() {
	if r.app.signIn.signingIn() {
		return
	}
	if r.app.reauth {
		// Already signed out (Sign in again did that): just leave.
		r.app.reauth = false
		r.app.forgetUsernameOnSignOut = !r.app.rememberUsername()
		r.app.refresh()
		return
	}
	r.signOut.Disable()
	r.app.forgetUsernameOnSignOut = !r.app.rememberUsername()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), signOutTimeout)
		defer cancel()
		r.app.session.SignOut(ctx)
	}()
}

// newSignInAgainButton is the way forward when the server no longer accepts
// the session (it refuses even a renewed token): end it and sign in again
// over the list.
func newSignInAgainButton(app *App) *keyButton {
	b := newIconButton("Sign in again", theme.LoginIcon(), app.signInAgain)
	b.Importance = widget.HighImportance
	b.Hide()
	return b
}

// signInAgain ends a session the server refuses and puts the sign-in form
// over the list, as when a session expires: the list stays as it is, and
// signing in again carries on there. The session is signed out first (it
// would refuse a sign-in while one is held), the username kept.
func (a *App) signInAgain() {
	if a.list == nil || a.closed || a.reauth || a.sheet.visible() {
		return
	}
	a.reauth = true
	a.forgetUsernameOnSignOut = false
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), signOutTimeout)
		defer cancel()
		a.session.SignOut(ctx)
	}()
}
