package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// sessionPanelWidth keeps the panel's lines readable without wrapping.
const sessionPanelWidth = 380

// avatar is a round badge with the person's initials.
type avatar struct {
	circle *canvas.Circle
	text   *canvas.Text
	size   float32
	box    *fyne.Container
}

func newAvatar(size float32) *avatar {
	a := &avatar{size: size}
	a.circle = canvas.NewCircle(theme.Color(theme.ColorNamePrimary))
	a.text = canvas.NewText("", theme.Color(theme.ColorNameForegroundOnPrimary))
	a.text.TextStyle = fyne.TextStyle{Bold: true}
	a.text.TextSize = size * 0.4
	a.text.Alignment = fyne.TextAlignCenter
	strut := canvas.NewRectangle(color.Transparent)
	strut.SetMinSize(fyne.NewSquareSize(size))
	a.box = container.NewStack(strut, a.circle, container.NewCenter(a.text))
	return a
}

func (a *avatar) set(initials string) {
	// Colours are read again on every change, so a theme switch shows.
	a.circle.FillColor = theme.Color(theme.ColorNamePrimary)
	a.text.Color = theme.Color(theme.ColorNameForegroundOnPrimary)
	a.text.Text = initials
	a.circle.Refresh()
	a.text.Refresh()
}

// accountButton is the top bar's avatar and name; tapping it opens the
// session panel.
type accountButton struct {
	button  *keyButton // gives the tap, the hover and the focus ring
	avatar  *avatar
	name    *widget.Label
	content fyne.CanvasObject
}

func newAccountButton(onTap func()) *accountButton {
	b := &accountButton{}
	b.button = newButton("", onTap)
	b.button.Importance = widget.LowImportance
	b.avatar = newAvatar(28)
	b.name = widget.NewLabel("")
	chevron := widget.NewIcon(theme.MenuDropDownIcon())
	b.content = container.NewStack(b.button,
		container.NewHBox(container.NewCenter(b.avatar.box), b.name, chevron))
	return b
}

func (b *accountButton) set(f sessionFacts) {
	if b.name.Text == f.Name && b.avatar.text.Text == f.Initials {
		return
	}
	b.avatar.set(f.Initials)
	b.name.SetText(f.Name)
}

// sessionPanel shows the session as it is: who, where, since when, how long
// the auth token has left, renewals, where the secrets are, and Sign out.
type sessionPanel struct {
	avatar      *avatar
	name        *widget.Label
	detail      *widget.RichText
	server      *widget.Label
	signedIn    *widget.Label
	lifetime    *widget.ProgressBar
	lifeText    *widget.RichText
	renewal     *widget.RichText
	lastRenewed *widget.Label
	storage     *widget.Label
	method      *widget.Label
	methodKey   *widget.RichText
	signOut     *keyButton
	content     fyne.CanvasObject
	popup       *widget.PopUp
	facts       sessionFacts
}

func newSessionPanel(onSignOut func()) *sessionPanel {
	p := &sessionPanel{}
	p.avatar = newAvatar(48)
	p.name = widget.NewLabel("")
	p.name.TextStyle = fyne.TextStyle{Bold: true}
	p.name.SizeName = theme.SizeNameSubHeadingText
	p.name.Truncation = fyne.TextTruncateEllipsis
	p.detail = newMuted("", fyne.TextAlignLeading)
	p.detail.Truncation = fyne.TextTruncateEllipsis
	who := container.NewBorder(nil, nil, container.NewCenter(p.avatar.box), nil,
		container.New(tightVBox(), p.name, p.detail))

	value := func() *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	p.server = value()
	p.signedIn = value()
	p.lastRenewed = value()
	p.storage = value()
	p.method = value()

	p.lifetime = widget.NewProgressBar()
	p.lifetime.TextFormatter = func() string { return "" }
	p.lifeText = newMuted("", fyne.TextAlignLeading)
	p.renewal = newMuted("", fyne.TextAlignLeading)
	p.renewal.Wrapping = fyne.TextWrapWord

	key := func(text string) fyne.CanvasObject { return newMuted(text, fyne.TextAlignTrailing) }
	p.methodKey = newMuted("Signed in with", fyne.TextAlignTrailing)
	facts := container.New(layout.NewFormLayout(),
		key("Server"), p.server,
		p.methodKey, p.method,
		key("Signed in"), p.signedIn,
		key("Last renewed"), p.lastRenewed,
		key("Secrets kept in"), p.storage,
	)
	tokenTitle := widget.NewLabel("Auth token")
	tokenTitle.TextStyle = fyne.TextStyle{Bold: true}
	token := container.NewVBox(
		container.NewBorder(nil, nil, tokenTitle, nil, p.lifeText),
		p.lifetime,
		p.renewal,
	)

	p.signOut = newIconButton("Sign out", theme.LogoutIcon(), onSignOut)
	p.signOut.Importance = widget.DangerImportance
	hint := newMuted("Ctrl+Shift+L", fyne.TextAlignTrailing)

	strut := canvas.NewRectangle(color.Transparent)
	strut.SetMinSize(fyne.NewSize(sessionPanelWidth, 0))
	p.content = container.NewStack(strut, container.NewPadded(container.NewVBox(
		who,
		widget.NewSeparator(),
		token,
		widget.NewSeparator(),
		facts,
		widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, hint, p.signOut),
	)))
	return p
}

// update shows s as of now.
func (p *sessionPanel) update(f sessionFacts) {
	p.facts = f
	p.avatar.set(f.Initials)
	p.name.SetText(f.Name)
	setMuted(p.detail, f.Detail)
	p.detail.Hidden = f.Detail == ""
	p.server.SetText(f.Server)
	p.signedIn.SetText(f.SignedIn)
	p.lastRenewed.SetText(f.LastRenewed)
	p.storage.SetText(f.Storage)
	p.method.SetText(f.Method)
	p.method.Hidden, p.methodKey.Hidden = f.Method == "", f.Method == ""
	setMuted(p.lifeText, f.LifetimeText)
	p.lifetime.Hidden = f.Lifetime < 0
	if f.Lifetime >= 0 {
		p.lifetime.SetValue(f.Lifetime)
	}
	setMuted(p.renewal, f.Renewal)
}

// visible reports whether the panel is open.
func (p *sessionPanel) visible() bool { return p.popup != nil && p.popup.Visible() }

// toggle opens the panel under anchor, or closes it when it is open.
func (p *sessionPanel) toggle(c fyne.Canvas, anchor fyne.CanvasObject) {
	if p.visible() {
		p.hide()
		return
	}
	if p.popup == nil {
		p.popup = widget.NewPopUp(p.content, c)
	}
	// Right-aligned under the account button, as account menus are.
	width := p.content.MinSize().Width + 2*theme.Padding()
	pos := fyne.NewPos(anchor.Size().Width-width, anchor.Size().Height)
	p.popup.ShowAtRelativePosition(pos, anchor)
}

func (p *sessionPanel) hide() {
	if p.popup != nil {
		p.popup.Hide()
	}
}

// sessionFacts is the panel's and the top bar's view of the session.
func (l *listScreen) sessionFacts() sessionFacts {
	f := sessionFactsAt(l.snap, l.app.now())
	f.Method = signInMethodText(l.snap.SignInMethod, l.snap.SignInProvider)
	return f
}
