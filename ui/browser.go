package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/api"
	"signet/api/oauth"
	"signet/profile"
	"signet/session"
)

// Words of the browser sign-in.
const (
	msgBrowserWaiting  = "Waiting for you to finish signing in in your browser…"
	msgBrowserNoOpen   = "Signet couldn't open your browser. Copy this link into a browser to sign in:"
	msgBrowserTimeout  = "The sign-in in your browser took too long. Please try again."
	msgBrowserDeclined = "You declined the sign-in in your browser."
)

// tokenSignIn is the part of the session that installs tokens obtained
// elsewhere (*session.Controller has it).
type tokenSignIn interface {
	SignInWith(ctx context.Context, method string, obtain func(context.Context) (api.Tokens, api.User, error)) error
}

func (w *switchableSession) SignInWith(ctx context.Context, method string, obtain func(context.Context) (api.Tokens, api.User, error)) error {
	if s, ok := w.current().(tokenSignIn); ok {
		return s.SignInWith(ctx, method, obtain)
	}
	return errors.New("This server can't be signed in to through the browser.")
}

// browserSignIn is the "Continue in browser" part of the sign-in form: the
// main action when the profile has an [oauth] table.
type browserSignIn struct {
	s       *signInScreen
	button  *widget.Button
	waiting *fyne.Container
	status  *widget.Label
	link    *widget.Entry // the authorization URL, to copy when no browser opens
	content *fyne.Container
	device  *deviceSignIn // nil: the provider has no device sign-in

	client  *oauth.Client
	attempt *oauth.Attempt // the live attempt; touched on the UI goroutine only
}

// newBrowserSignIn is nil when the profile cannot sign in through the
// browser.
func newBrowserSignIn(s *signInScreen, p api.Profile) *browserSignIn {
	if !p.BrowserSignIn() {
		return nil
	}
	client, err := oauth.New(profile.OAuthConfig(p))
	if err != nil {
		s.app.log.Debug("browser sign-in unavailable", "err", err)
		return nil
	}
	b := &browserSignIn{s: s, client: client}
	b.button = widget.NewButtonWithIcon("Continue in browser", theme.ComputerIcon(), b.start)
	b.button.Importance = widget.HighImportance
	b.status = widget.NewLabel(msgBrowserWaiting)
	b.status.Wrapping = fyne.TextWrapWord
	b.link = widget.NewEntry()
	b.link.Hide()
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), b.cancel)
	copyLink := widget.NewButtonWithIcon("Copy link", theme.ContentCopyIcon(), b.copyLink)
	b.waiting = container.NewVBox(widget.NewProgressBarInfinite(), b.status, b.link, container.NewGridWithColumns(2, cancel, copyLink))
	b.waiting.Hide()
	b.content = container.NewVBox(b.button, b.waiting)
	if p.OAuth.Device {
		b.device = newDeviceSignIn(b)
		b.content.Add(b.device.button)
		b.content.Add(b.device.view)
	}
	if p.PasswordSignIn() {
		b.content.Add(widget.NewLabelWithStyle("or sign in with your password", fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	}
	return b
}

// start opens a new attempt; a live one is abandoned (the oauth client
// allows one at a time), and its end is not reported.
func (b *browserSignIn) start() {
	app := b.s.app
	if b.attempt != nil {
		b.attempt.Cancel()
		b.attempt = nil
	}
	if b.device != nil {
		b.device.cancel()
	}
	b.s.showMessage("")
	ctx := app.ctx
	go func() {
		a, err := b.client.Start(ctx)
		if err != nil {
			app.do(func() { b.fail(err) })
			return
		}
		opened := make(chan error, 1)
		app.do(func() {
			b.attempt = a
			b.showWaiting(a.URL())
			opened <- b.open(a.URL())
		})
		if err := <-opened; err != nil {
			app.log.Debug("no browser opened", "err", err)
			app.do(func() {
				if b.attempt == a {
					b.status.SetText(msgBrowserNoOpen)
					b.link.Show()
				}
			})
		}
		toks, user, err := a.Wait(ctx)
		if errors.Is(err, oauth.ErrAbandoned) {
			return // a newer attempt owns the screen
		}
		if err == nil {
			app.do(func() { app.win.RequestFocus() })
			err = app.session.(tokenSignIn).SignInWith(ctx, session.MethodBrowser,
				func(context.Context) (api.Tokens, api.User, error) { return toks, user, nil })
		}
		app.do(func() {
			if b.attempt != a {
				return
			}
			b.attempt = nil
			b.waiting.Hide()
			b.button.Enable()
			if err != nil {
				b.fail(err)
			}
		})
	}()
}

// open opens the system browser (Options.OpenURL in tests).
func (b *browserSignIn) open(raw string) error { return b.s.app.openURL(raw) }

func (b *browserSignIn) showWaiting(link string) {
	b.status.SetText(msgBrowserWaiting)
	b.link.SetText(link)
	b.link.Hide()
	b.waiting.Show()
}

func (b *browserSignIn) cancel() {
	if b.attempt != nil {
		b.attempt.Cancel()
	}
}

func (b *browserSignIn) copyLink() {
	if b.link.Text != "" {
		b.s.app.fyneApp.Clipboard().SetContent(b.link.Text)
	}
}

// fail shows why the attempt ended, in the provider's words where it gave
// some; a cancel says nothing.
func (b *browserSignIn) fail(err error) {
	var pe *oauth.ProviderError
	var busy *oauth.PortBusyError
	var idt *oauth.IDTokenError
	switch {
	case errors.Is(err, oauth.ErrCanceled), errors.Is(err, context.Canceled):
		return
	case errors.Is(err, oauth.ErrTimeout):
		b.s.showMessage(msgBrowserTimeout)
	case errors.Is(err, oauth.ErrAccessDenied):
		b.s.showMessage(msgBrowserDeclined)
	case errors.As(err, &pe):
		b.s.showMessage(pe.Error())
	case errors.As(err, &busy):
		b.s.showMessage(busy.Error())
	case errors.As(err, &idt):
		b.s.showMessage(idt.Error())
	default:
		b.s.showMessage(b.s.app.humanError(err))
	}
}
