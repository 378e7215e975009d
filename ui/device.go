package ui

import (
	"context"
	"errors"
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"signet/api"
	"signet/api/oauth"
	"signet/session"
)

// Words of the device sign-in.
const (
	msgDeviceHowTo    = "On your phone or another computer, open this address and enter the code:"
	msgDeviceDeclined = "You declined the sign-in on the other device."
	msgDeviceExpired  = "The code expired before the sign-in was approved. Please start again."
)

// qrSize is the QR code's side on screen.
const qrSize = 180

// deviceSignIn is "Sign in on another device" (RFC 8628): the user code
// large, the address, a QR code of the address with the code, and a
// countdown to the codes' expiry.
type deviceSignIn struct {
	b       *browserSignIn
	button  *widget.Button
	code    *canvas.Text
	address *widget.Label
	qr      *canvas.Image
	expires *widget.Label
	view    *fyne.Container
	// UI goroutine only: the live attempt, its number (a newer start
	// makes an older one's end silent) and how to end it.
	attempt  *oauth.DeviceAttempt
	gen      int
	cancelFn context.CancelFunc
}

func newDeviceSignIn(b *browserSignIn) *deviceSignIn {
	d := &deviceSignIn{b: b}
	d.button = widget.NewButtonWithIcon("Sign in on another device", theme.MailSendIcon(), d.start)
	d.code = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	d.code.TextSize = 32
	d.code.TextStyle = fyne.TextStyle{Monospace: true}
	d.code.Alignment = fyne.TextAlignCenter
	d.address = widget.NewLabel("")
	d.address.Alignment = fyne.TextAlignCenter
	d.address.Wrapping = fyne.TextWrapBreak
	d.qr = canvas.NewImageFromImage(nil)
	d.qr.FillMode = canvas.ImageFillContain
	d.qr.ScaleMode = canvas.ImageScalePixels
	d.qr.SetMinSize(fyne.NewSquareSize(qrSize))
	d.expires = widget.NewLabel("")
	d.expires.Alignment = fyne.TextAlignCenter
	howTo := widget.NewLabel(msgDeviceHowTo)
	howTo.Wrapping = fyne.TextWrapWord
	copyCode := widget.NewButtonWithIcon("Copy code", theme.ContentCopyIcon(), func() { d.copy(d.code.Text) })
	copyAddress := widget.NewButtonWithIcon("Copy address", theme.ContentCopyIcon(), func() { d.copy(d.address.Text) })
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), d.cancel)
	d.view = container.NewVBox(howTo, d.address, d.code, container.NewCenter(d.qr), d.expires,
		container.NewGridWithColumns(3, copyCode, copyAddress, cancel))
	d.view.Hide()
	return d
}

func (d *deviceSignIn) copy(text string) {
	if text != "" {
		d.b.s.app.fyneApp.Clipboard().SetContent(text)
	}
}

func (d *deviceSignIn) start() {
	app := d.b.s.app
	d.cancel()
	d.b.cancel()
	d.b.s.showMessage("")
	ctx, cancel := context.WithCancel(app.ctx)
	d.gen++
	gen := d.gen
	d.attempt, d.cancelFn = nil, cancel
	go func() {
		a, err := d.b.client.StartDevice(ctx)
		if err != nil {
			app.do(func() { d.end(gen, cancel, err) })
			return
		}
		qr := qrImage(a)
		app.do(func() {
			if d.gen != gen {
				return
			}
			d.attempt = a
			d.show(a, qr)
		})
		go d.countdown(ctx, a)
		toks, user, err := a.Wait(ctx)
		if err == nil {
			app.do(func() { app.win.RequestFocus() })
			err = app.session.(tokenSignIn).SignInWith(ctx, session.MethodDevice,
				func(context.Context) (api.Tokens, api.User, error) { return toks, user, nil })
		}
		app.do(func() { d.end(gen, cancel, err) })
	}()
}

// qrImage is the QR code of the address that carries the code (or the
// bare address); nil when it cannot be drawn.
func qrImage(a *oauth.DeviceAttempt) image.Image {
	link := a.VerificationURIComplete
	if link == "" {
		link = a.VerificationURI
	}
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return nil
	}
	return q.Image(qrSize)
}

func (d *deviceSignIn) show(a *oauth.DeviceAttempt, qr image.Image) {
	d.code.Text = a.UserCode
	d.code.Refresh()
	d.address.SetText(a.VerificationURI)
	d.qr.Image = qr
	d.qr.Hidden = qr == nil
	d.qr.Refresh()
	d.tick(a)
	d.view.Show()
}

// countdown updates the expiry line each second until ctx ends.
func (d *deviceSignIn) countdown(ctx context.Context, a *oauth.DeviceAttempt) {
	if a.Expiry.IsZero() {
		return
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.b.s.app.do(func() {
				if d.attempt == a {
					d.tick(a)
				}
			})
		}
	}
}

func (d *deviceSignIn) tick(a *oauth.DeviceAttempt) {
	if a.Expiry.IsZero() {
		d.expires.SetText("")
		return
	}
	// The expiry comes from the provider's expires_in on the real clock.
	d.expires.SetText("The code expires in " + formatClock(time.Until(a.Expiry)))
}

func (d *deviceSignIn) cancel() {
	if d.cancelFn != nil {
		d.cancelFn()
	}
}

// end closes the view of attempt number gen and says why it ended unless
// it was canceled.
func (d *deviceSignIn) end(gen int, cancel context.CancelFunc, err error) {
	cancel()
	if d.gen != gen {
		return // a newer attempt owns the view
	}
	d.attempt, d.cancelFn = nil, nil
	d.view.Hide()
	switch {
	case err == nil, errors.Is(err, oauth.ErrCanceled), errors.Is(err, context.Canceled):
	case errors.Is(err, oauth.ErrAccessDenied):
		d.b.s.showMessage(msgDeviceDeclined)
	case errors.Is(err, oauth.ErrExpired):
		d.b.s.showMessage(msgDeviceExpired)
	default:
		d.b.fail(err)
	}
}
