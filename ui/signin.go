package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/assets"
	"signet/session"
)

// signInCardWidth keeps the form a comfortable reading width whatever the
// window's size.
const signInCardWidth = 380

// signInScreen is the sign-in form. It calls Session.SignIn itself but never
// leaves the screen on its own: the session's state change does that.
type signInScreen struct {
	app *App

	usernameLabel *widget.Label
	username      *keyEntry
	password      *keyEntry
	submit        *keyButton
	busy          *widget.Activity
	message       *widget.Label // why the last attempt failed, in the error colour
	usernameError *widget.Label // under its field: what is missing there
	passwordError *widget.Label
	remember      *keyCheck
	notice        *banner // memory-only notice
	server        *widget.RichText
	hint          *widget.RichText
	content       fyne.CanvasObject
	browser       *browserSignIn // nil: the profile has no browser sign-in

	// inFlight is true from submit until SignIn returns.
	inFlight bool
}

func newSignInScreen(app *App) *signInScreen {
	s := &signInScreen{app: app}
	s.buildUI()
	return s
}

func (s *signInScreen) buildUI() {
	profile := s.app.session.Profile()
	label := profile.Login.UsernameLabel
	if label == "" {
		label = "Username"
	}

	logo := canvas.NewImageFromResource(assets.Icon256)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(64))

	title := widget.NewLabel("Signet")
	title.Alignment = fyne.TextAlignCenter
	title.SizeName = theme.SizeNameHeadingText
	title.TextStyle = fyne.TextStyle{Bold: true}

	subtitle := widget.NewLabel("Sign in to your account")
	subtitle.Alignment = fyne.TextAlignCenter

	s.server = newMuted("", fyne.TextAlignCenter)
	s.server.Truncation = fyne.TextTruncateEllipsis
	s.setServer(profile.BaseURL)

	s.usernameLabel = widget.NewLabel(label)
	s.usernameLabel.TextStyle = fyne.TextStyle{Bold: true}
	s.username = newEntry()
	s.username.SetPlaceHolder(label)
	s.username.OnSubmitted = s.onUsernameSubmitted

	passwordLabel := widget.NewLabel("Password")
	passwordLabel.TextStyle = fyne.TextStyle{Bold: true}
	s.password = newPasswordEntry()
	s.password.SetPlaceHolder("Password")
	s.password.OnSubmitted = func(string) { s.onSubmit() }

	s.usernameError, s.passwordError = newFieldError(), newFieldError()
	s.username.OnChanged = func(string) { s.clearFieldErrors() }
	s.password.OnChanged = func(string) { s.clearFieldErrors() }
	s.remember = newRememberCheck(s.app)

	s.message = widget.NewLabel("")
	s.message.Importance = widget.DangerImportance
	s.message.Wrapping = fyne.TextWrapWord
	s.message.Hide()

	s.submit = newIconButton("Sign in", theme.LoginIcon(), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	s.busy = widget.NewActivity()
	s.busy.Hide()

	s.hint = newMuted(s.app.opts.DemoHint, fyne.TextAlignCenter)
	s.hint.Hidden = s.app.opts.DemoHint == ""

	s.notice = newBanner(theme.InfoIcon())

	password := container.NewVBox(
		s.usernameLabel, s.username, s.usernameError,
		passwordLabel, s.password, s.passwordError,
		s.remember,
	)
	submit := container.NewBorder(nil, nil, nil, s.busy, s.submit)
	browser := container.NewVBox()
	if s.browser = newBrowserSignIn(s, profile); s.browser != nil {
		browser.Add(s.browser.content)
		s.submit.Importance = widget.MediumImportance
		password.Hidden, submit.Hidden = !profile.PasswordSignIn(), !profile.PasswordSignIn()
	}
	form := container.NewVBox(
		container.NewCenter(logo),
		title,
		subtitle,
		s.server,
		widget.NewSeparator(),
		browser,
		password,
		s.message,
		submit,
		s.hint,
		s.notice.content,
		s.serverButton(),
	)
	// A transparent strut gives the card its width; the labels that wrap
	// need a width to wrap to.
	strut := canvas.NewRectangle(nil)
	strut.SetMinSize(fyne.NewSize(signInCardWidth, 0))
	card := widget.NewCard("", "", container.NewStack(strut, container.NewPadded(form)))
	s.content = container.NewCenter(card)
}

// enter prepares the form each time the window switches to it: the username
// the session remembers, the reason the form is back, and the focus where
// typing continues.
func (s *signInScreen) enter(snap session.Snapshot) {
	if snap.Username != "" {
		s.username.SetText(snap.Username)
	}
	s.password.SetText("")
	s.showMessage(s.app.snapshotError(snap))
	s.focusFirstEmpty()
}

// signingIn reports whether a sign-in from the form is in flight (never, for a
// form not built yet).
func (s *signInScreen) signingIn() bool { return s != nil && s.inFlight }

// leave clears the password: it is never kept once the form is gone. A
// form not built yet has nothing to clear.
func (s *signInScreen) leave() {
	if s == nil {
		return
	}
	s.password.SetText("")
	s.setBusy(false)
}

// update follows the session while the form is shown.
func (s *signInScreen) update(snap session.Snapshot) {
	if snap.Server != "" {
		s.setServer(snap.Server)
	}
	if snap.MemoryOnly && snap.Notice != "" {
		s.notice.show(snap.Notice)
	} else {
		s.notice.hide()
	}
	if s.inFlight {
		// The result of our own call says what went wrong, and says it
		// once; the snapshots in between are the same story.
		return
	}
	s.setBusy(snap.State == session.SigningIn)
	if snap.State == session.Expired {
		if s.username.Text == "" && snap.Username != "" {
			s.username.SetText(snap.Username)
		}
		s.showMessage(s.app.snapshotError(snap))
	}
}

func (s *signInScreen) onUsernameSubmitted(string) {
	// Enter in the first field of a half-filled form moves on, as people
	// expect; with both filled it signs in.
	if s.password.Text == "" && strings.TrimSpace(s.username.Text) != "" {
		s.focus(s.password)
		return
	}
	s.onSubmit()
}

func (s *signInScreen) onSubmit() {
	if s.inFlight {
		return
	}
	username := strings.TrimSpace(s.username.Text)
	password := s.password.Text
	switch {
	case username == "":
		s.showFieldError(s.username, fmt.Sprintf(msgEnterUsername, strings.ToLower(s.usernameLabel.Text)))
		return
	case password == "":
		s.showFieldError(s.password, msgEnterPassword)
		return
	}

	s.inFlight = true
	s.showMessage("")
	s.setBusy(true)
	ctx := s.app.ctx
	go func() {
		err := s.app.session.SignIn(ctx, username, password)
		s.app.do(func() { s.onSignInDone(err) })
	}()
}

func (s *signInScreen) onSignInDone(err error) {
	s.inFlight = false
	s.setBusy(false)
	// The password goes as soon as the answer is in, right or wrong: the
	// entry holds the only copy the window owns (SetText also empties its
	// undo history). After a failure it is typed again where the cursor
	// waits.
	s.password.SetText("")
	if err == nil {
		return
	}
	if errors.Is(err, context.Canceled) {
		return // the window is closing
	}
	s.showMessage(s.app.humanError(err))
	s.focus(s.password)
}

func (s *signInScreen) setBusy(busy bool) {
	if busy {
		s.username.Disable()
		s.password.Disable()
		s.submit.Disable()
		s.submit.SetText("Signing in…")
		s.busy.Show()
		s.busy.Start()
		return
	}
	s.busy.Stop()
	s.busy.Hide()
	s.submit.SetText("Sign in")
	s.submit.Enable()
	s.password.Enable()
	s.username.Enable()
}

func (s *signInScreen) showMessage(msg string) {
	s.message.SetText(msg)
	s.message.Hidden = msg == ""
	s.message.Refresh()
}

func (s *signInScreen) setServer(url string) {
	if url == "" {
		s.server.Hide()
		return
	}
	setMuted(s.server, "Server: "+url)
	s.server.Show()
}

// focusFirstEmpty puts the cursor where the person types next: the password
// when the username is already there.
func (s *signInScreen) focusFirstEmpty() {
	if s.username.Text == "" {
		s.focus(s.username)
		return
	}
	s.focus(s.password)
}

func (s *signInScreen) focus(e *keyEntry) {
	if c := s.app.win.Canvas(); c != nil {
		c.Focus(e)
	}
}
