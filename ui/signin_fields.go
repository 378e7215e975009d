package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// newFieldError is the line under a form field that says what is wrong with
// it ("Enter your username."), hidden while there is nothing to say.
func newFieldError() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// showFieldError puts msg under the field it concerns and the cursor in
// that field; the other field's message goes.
func (s *signInScreen) showFieldError(e *keyEntry, msg string) {
	s.clearFieldErrors()
	label := s.passwordError
	if e == s.username {
		label = s.usernameError
	}
	label.SetText(msg)
	label.Show()
	s.focus(e)
}

func (s *signInScreen) clearFieldErrors() {
	for _, l := range []*widget.Label{s.usernameError, s.passwordError} {
		if l.Visible() {
			l.SetText("")
			l.Hide()
		}
	}
}

// usernameForgetter is a session that can forget the username it keeps to
// fill the form (after sign-out too, in its preferences). Only the session
// knows where it keeps it, so the UI asks it rather than guess the key.
type usernameForgetter interface{ ForgetUsername() }

// innerSession is the session behind the switchable wrapper.
func (a *App) innerSession() Session {
	if sw, ok := a.session.(*switchableSession); ok {
		return sw.current()
	}
	return a.session
}

// newRememberCheck is the "Remember username" box. Its choice is a UI
// preference; it takes effect at sign-out (App.afterSignOut), when an
// unticked box makes the session forget the username. A session that can't
// forget gets no box: it would promise what doesn't happen.
func newRememberCheck(app *App) *keyCheck {
	c := newCheck("Remember username", func(on bool) {
		app.fyneApp.Preferences().SetBool(prefRemember, on)
	})
	c.SetChecked(app.rememberUsername())
	_, can := app.innerSession().(usernameForgetter)
	c.Hidden = !can
	return c
}

// rememberUsername is the "Remember username" choice (ticked unless the
// person unticked it).
func (a *App) rememberUsername() bool {
	return a.fyneApp.Preferences().BoolWithFallback(prefRemember, true)
}

// afterSignOut forgets the username when the person asked Signet not to
// remember it: in the session (memory and preferences) and in the form.
func (a *App) afterSignOut() {
	if !a.forgetUsernameOnSignOut {
		return
	}
	a.forgetUsernameOnSignOut = false
	f, ok := a.innerSession().(usernameForgetter)
	if !ok {
		return
	}
	f.ForgetUsername()
	if a.signIn != nil {
		a.signIn.username.SetText("")
		a.signIn.focusFirstEmpty()
	}
}
