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

// msgSessionEndedBar is the top bar's line while the sign-in sheet is up.
const msgSessionEndedBar = "Session ended — sign in again to carry on"

// signOutTimeout bounds the sign-out call; the session ends locally at once
// whatever the server does (rule R10), this only stops a goroutine from
// waiting forever.
const signOutTimeout = 15 * time.Second

// The window's shortcuts (Cmd instead of Ctrl on macOS). They are on the
// main menu too (menu.go): menu shortcuts work even while a text field has
// the keyboard, canvas ones only when nothing does.
var (
	reloadShortcut  = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	searchShortcut  = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	signOutShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	sessionShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault}
)

// listScreen is shown while a session is held: who is signed in, the
// session's countdown, the offline banner, and the profile's lists. One is
// built per session and closed when the session ends, so nothing from one
// session can show in the next. A session that ends by expiring keeps it:
// the sign-in sheet goes over it, and signing in again carries on here.
type listScreen struct {
	app  *App
	snap session.Snapshot

	who        *widget.Label
	renewal    *widget.RichText
	reloadBtn  *keyButton
	account    *accountButton
	panel      *sessionPanel
	signOutBtn *keyButton // the session panel's
	offline    *banner
	notice     *banner
	keepBtn    *keyButton         // in the memory-only notice: opt in to the file
	tabs       *container.AppTabs // nil with a single list
	views      []*listView
	images     *imageLoader // the pictures of every list, for this session only
	content    fyne.CanvasObject

	stopTicker func()
	closed     bool
	// ended: the session ended under this screen and the sign-in sheet
	// is over it; snap still describes the session that was.
	ended bool
}

func newListScreen(app *App) *listScreen {
	l := &listScreen{app: app}
	l.buildUI()
	c := l.app.win.Canvas()
	c.AddShortcut(reloadShortcut, func(fyne.Shortcut) { l.onReload() })
	c.AddShortcut(signOutShortcut, func(fyne.Shortcut) { l.onSignOut() })
	c.AddShortcut(searchShortcut, func(fyne.Shortcut) { l.onSearch() })
	c.AddShortcut(sessionShortcut, func(fyne.Shortcut) { l.onAccount() })
	l.stopTicker = startTicker(app.do, time.Second, l.onTick)
	if v := l.currentView(); v != nil {
		v.start()
	}
	return l
}

func (l *listScreen) buildUI() {
	logo := canvas.NewImageFromResource(assets.Icon256)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(36))

	l.who = widget.NewLabel("")
	l.who.TextStyle = fyne.TextStyle{Bold: true}
	l.who.Truncation = fyne.TextTruncateEllipsis
	l.renewal = newMuted("", fyne.TextAlignLeading)
	l.renewal.Truncation = fyne.TextTruncateEllipsis
	identity := container.New(tightVBox(), l.who, l.renewal)

	l.reloadBtn = newIconButton("Reload", theme.ViewRefreshIcon(), l.onReload)
	l.panel = newSessionPanel(l.onSignOut)
	l.signOutBtn = l.panel.signOut
	l.account = newAccountButton(l.onAccount)
	help := newIconButton("", theme.HelpIcon(), nil)
	help.Importance = widget.LowImportance
	help.OnTapped = func() { l.app.showHelpMenu(help) }
	topBar := container.NewBorder(nil, nil,
		container.NewHBox(logo),
		container.NewCenter(container.NewHBox(l.reloadBtn, l.account.content, help)),
		identity)

	l.offline = newBanner(theme.WarningIcon())
	l.keepBtn = newFileFallbackButton(l.app)
	l.notice = newBanner(theme.InfoIcon(), l.keepBtn)

	var body fyne.CanvasObject
	l.images = newImageLoader(l.app.ctx, l.app.session.FetchImage, l.app.do)
	for _, spec := range l.app.session.Profile().Lists {
		l.views = append(l.views, newListView(l.app, spec, l.images))
	}
	switch len(l.views) {
	case 0:
		// A profile without lists still signs in; say so rather than
		// show an empty window.
		body = container.NewCenter(newMuted("This server has no lists to show.", fyne.TextAlignCenter))
	case 1:
		body = l.views[0].root
	default:
		items := make([]*container.TabItem, len(l.views))
		for i, v := range l.views {
			items[i] = container.NewTabItem(v.spec.Name, v.root)
		}
		l.tabs = container.NewAppTabs(items...)
		// The list open when Signet last closed comes back.
		p := l.app.session.Profile()
		l.tabs.SelectIndex(lastList(l.app.fyneApp.Preferences(), p.Name, p.Lists))
		l.tabs.OnSelected = l.onTabSelected
		body = l.tabs
	}

	header := container.NewVBox(container.NewPadded(topBar), widget.NewSeparator())
	banners := container.NewVBox(l.offline.content, l.notice.content)
	l.content = container.NewBorder(header, nil, nil, nil,
		container.NewPadded(container.NewBorder(banners, nil, nil, nil, body)))
}

// currentView is the list on screen (nil without lists).
func (l *listScreen) currentView() *listView {
	switch {
	case len(l.views) == 0:
		return nil
	case l.tabs == nil:
		return l.views[0]
	}
	return l.views[l.tabs.SelectedIndex()]
}

// update follows the session: name, countdown, offline banner, notice.
func (l *listScreen) update(s session.Snapshot) {
	if !s.State.HasSession() {
		// The top bar keeps who it was and says the session ended.
		l.ended = true
		l.onTick()
		return
	}
	l.ended = false
	l.snap = s
	l.who.SetText("Signed in as " + displayName(s))
	if s.MemoryOnly && s.Notice != "" {
		l.notice.show(s.Notice)
		if l.app.canOfferFileFallback() {
			l.keepBtn.Show()
		} else {
			l.keepBtn.Hide()
		}
	} else {
		l.notice.hide()
	}
	l.onTick()
}

// onTick redraws what depends on the clock, and keeps the place for the
// next start.
func (l *listScreen) onTick() {
	if l.closed {
		return
	}
	now := l.app.now()
	if l.ended {
		setMuted(l.renewal, msgSessionEndedBar)
		l.offline.hide()
		l.app.sheet.fit()
		l.app.saveState()
		return
	}
	setMuted(l.renewal, renewalText(l.snap, now))
	// Only what changed is redrawn: an idle window draws no frames.
	facts := l.sessionFacts()
	l.account.set(facts)
	if l.panel.visible() {
		l.panel.update(facts)
	}
	for _, v := range l.views {
		v.onTick()
	}
	l.app.saveState()
	if l.snap.State != session.Offline {
		l.offline.hide()
		return
	}
	l.offline.show(offlineText(l.snap.RetryAt, now))
}

// active reports whether the session is held, so actions that need it make
// sense (not while the sign-in sheet is up).
func (l *listScreen) active() bool { return !l.closed && !l.ended }

func (l *listScreen) onReload() {
	if !l.active() {
		return
	}
	if v := l.currentView(); v != nil {
		v.reload()
	}
}

func (l *listScreen) onSearch() {
	if !l.active() {
		return
	}
	if v := l.currentView(); v != nil {
		v.focusSearch()
	}
}

func (l *listScreen) onAccount() {
	if !l.active() {
		return
	}
	l.panel.update(l.sessionFacts())
	l.panel.toggle(l.app.win.Canvas(), l.account.content)
}

// onEscape closes the innermost panel: the session panel, then the detail
// pane. It reports whether there was one.
func (l *listScreen) onEscape() bool {
	if l.panel.visible() {
		l.panel.hide()
		return true
	}
	if v := l.currentView(); v != nil {
		return v.closeDetail()
	}
	return false
}

func (l *listScreen) onTabSelected(item *container.TabItem) {
	for _, v := range l.views {
		if v.root == item.Content {
			v.start()
		}
	}
}

func (l *listScreen) onSignOut() {
	if l.closed || l.signOutBtn.Disabled() {
		return // already signing out (button and shortcut)
	}
	l.signOutBtn.Disable()
	l.reloadBtn.Disable()
	l.signOutBtn.SetText("Signing out…")
	l.app.forgetUsernameOnSignOut = !l.app.rememberUsername()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), signOutTimeout)
		defer cancel()
		l.app.signOut(ctx)
		// The SignedOut state change switches the screen; nothing to do
		// here.
	}()
}

// resume follows the session back after a sign-in over this screen; prev is
// the session as it was before it ended.
func (l *listScreen) resume(prev, now session.Snapshot) {
	same := prev.Username == now.Username && prev.User.ID == now.User.ID
	for _, v := range l.views {
		v.resume(same)
	}
}

// saveState remembers the open list and each list's search and scroll.
func (l *listScreen) saveState() {
	if v := l.currentView(); v != nil && l.tabs != nil {
		setPrefString(l.app.fyneApp.Preferences(), prefLastList(l.app.session.Profile().Name), v.spec.Name)
	}
	for _, v := range l.views {
		if v.started {
			v.saveState()
		}
	}
}

// close stops the ticker, the shortcuts and every fetch.
func (l *listScreen) close() {
	if l.closed {
		return
	}
	l.saveState()
	l.closed = true
	l.stopTicker()
	l.panel.hide()
	c := l.app.win.Canvas()
	for _, s := range []fyne.Shortcut{reloadShortcut, signOutShortcut, searchShortcut, sessionShortcut} {
		c.RemoveShortcut(s)
	}
	for _, v := range l.views {
		v.close()
	}
	l.images.close()
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
