package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/assets"
	"signet/session"
)

// signOutTimeout bounds the sign-out call; the session ends locally at once
// whatever the server does (rule R10), this only stops a goroutine from
// waiting forever.
const signOutTimeout = 15 * time.Second

// reloadShortcut is Ctrl+R (Cmd+R on macOS).
var reloadShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}

// signOutShortcut is Ctrl+Shift+L (Cmd+Shift+L on macOS): sign out without
// the mouse.
var signOutShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

// listScreen is shown while a session is held: who is signed in, the
// session's countdown, the offline banner, and the profile's lists. One is
// built per session and closed when the session ends, so nothing from one
// session can show in the next.
type listScreen struct {
	app  *App
	snap session.Snapshot

	who        *widget.Label
	renewal    *widget.RichText
	reloadBtn  *widget.Button
	signOutBtn *widget.Button
	offline    *banner
	notice     *banner
	tabs       *container.AppTabs // nil with a single list
	views      []*listView
	content    fyne.CanvasObject

	stopTicker func()
	closed     bool
}

func newListScreen(app *App) *listScreen {
	l := &listScreen{app: app}
	l.buildUI()
	l.app.win.Canvas().AddShortcut(reloadShortcut, func(fyne.Shortcut) { l.onReload() })
	l.app.win.Canvas().AddShortcut(signOutShortcut, func(fyne.Shortcut) { l.onSignOut() })
	l.stopTicker = startTicker(app.do, time.Second, l.onTick)
	if len(l.views) > 0 {
		l.views[0].start()
	}
	return l
}

func (l *listScreen) buildUI() {
	logo := canvas.NewImageFromResource(assets.Icon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(36))

	l.who = widget.NewLabel("")
	l.who.TextStyle = fyne.TextStyle{Bold: true}
	l.who.Truncation = fyne.TextTruncateEllipsis
	l.renewal = newMuted("", fyne.TextAlignLeading)
	l.renewal.Truncation = fyne.TextTruncateEllipsis
	identity := container.New(tightVBox(), l.who, l.renewal)

	l.reloadBtn = widget.NewButtonWithIcon("Reload", theme.ViewRefreshIcon(), l.onReload)
	l.signOutBtn = widget.NewButtonWithIcon("Sign out", theme.LogoutIcon(), l.onSignOut)
	topBar := container.NewBorder(nil, nil,
		container.NewHBox(logo),
		container.NewCenter(container.NewHBox(l.reloadBtn, l.signOutBtn)),
		identity)

	l.offline = newBanner(theme.WarningIcon())
	l.notice = newBanner(theme.InfoIcon())

	var body fyne.CanvasObject
	for _, spec := range l.app.session.Profile().Lists {
		l.views = append(l.views, newListView(l.app, spec))
	}
	switch len(l.views) {
	case 0:
		// A profile without lists still signs in; say so rather than
		// show an empty window.
		body = container.NewCenter(newMuted("This server has no lists to show.", fyne.TextAlignCenter))
	case 1:
		body = l.views[0].content
	default:
		items := make([]*container.TabItem, len(l.views))
		for i, v := range l.views {
			items[i] = container.NewTabItem(v.spec.Name, v.content)
		}
		l.tabs = container.NewAppTabs(items...)
		l.tabs.OnSelected = l.onTabSelected
		body = l.tabs
	}

	header := container.NewVBox(container.NewPadded(topBar), widget.NewSeparator())
	banners := container.NewVBox(l.offline.content, l.notice.content)
	l.content = container.NewBorder(header, nil, nil, nil,
		container.NewPadded(container.NewBorder(banners, nil, nil, nil, body)))
}

// update follows the session: name, countdown, offline banner, notice.
func (l *listScreen) update(s session.Snapshot) {
	l.snap = s
	l.who.SetText("Signed in as " + displayName(s))
	if s.MemoryOnly && s.Notice != "" {
		l.notice.show(s.Notice)
	} else {
		l.notice.hide()
	}
	l.onTick()
}

// onTick redraws what depends on the clock.
func (l *listScreen) onTick() {
	if l.closed {
		return
	}
	now := l.app.now()
	setMuted(l.renewal, renewalText(l.snap, now))
	if l.snap.State != session.Offline {
		l.offline.hide()
		return
	}
	l.offline.show(offlineText(l.snap.RetryAt, now))
}

func (l *listScreen) onReload() {
	if l.closed {
		return
	}
	for _, v := range l.views {
		if v.started {
			v.reload()
		}
	}
}

func (l *listScreen) onTabSelected(item *container.TabItem) {
	for _, v := range l.views {
		if v.content == item.Content {
			v.start()
		}
	}
}

func (l *listScreen) onSignOut() {
	if l.signOutBtn.Disabled() {
		return // already signing out (button and shortcut)
	}
	l.signOutBtn.Disable()
	l.reloadBtn.Disable()
	l.signOutBtn.SetText("Signing out…")
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), signOutTimeout)
		defer cancel()
		l.app.session.SignOut(ctx)
		// The SignedOut state change switches the screen; nothing to do
		// here.
	}()
}

// close stops the ticker, the shortcut and every fetch.
func (l *listScreen) close() {
	if l.closed {
		return
	}
	l.closed = true
	l.stopTicker()
	l.app.win.Canvas().RemoveShortcut(reloadShortcut)
	l.app.win.Canvas().RemoveShortcut(signOutShortcut)
	for _, v := range l.views {
		v.close()
	}
}

// startTicker calls fn through do every period until stop is called.
func startTicker(do func(func()), period time.Duration, fn func()) (stop func()) {
	t := time.NewTicker(period)
	done := make(chan struct{})
	go func() {
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				do(fn)
			}
		}
	}()
	return sync.OnceFunc(func() { close(done) })
}
