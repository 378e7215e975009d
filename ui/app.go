package ui

import (
	"context"
	"image/color"
	"log/slog"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"signet/session"
)

// Options are the few things main knows that the screens show.
type Options struct {
	// DemoHint is shown under the sign-in form, e.g. "Demo account:
	// demo / demo1234". Empty hides it.
	DemoHint string
	// Backends lets the person choose the backend on the Server screen;
	// nil hides the "Server…" button.
	Backends Backends
	// Version is main's version, shown in About when the app carries no
	// packaging metadata (a plain go build).
	Version string
	// OpenURL opens a link in the system browser (browser sign-in); nil
	// means Fyne's App.OpenURL. Tests put a scripted browser here.
	OpenURL func(*url.URL) error
	// Logger gets what the window does not show, such as a server's own
	// words for a failure (debug level). Nil discards.
	Logger *slog.Logger
}

// App is Signet's window content. It follows the session: every screen
// change comes from a session state change, never from a button directly.
type App struct {
	fyneApp fyne.App
	win     fyne.Window
	session Session
	opts    Options
	log     *slog.Logger

	// do runs a function on the UI goroutine (fyne.Do; tests swap in a
	// queue they drain themselves) and now is the clock for countdowns.
	do  func(func())
	now func() time.Time

	// ctx is cancelled by Close; work started by the screens derives
	// from it.
	ctx    context.Context
	cancel context.CancelFunc

	unsubscribe func()

	// Touched only on the UI goroutine.
	restoring *restoringScreen
	signIn    *signInScreen // nil until first needed (see form)
	firstPage *firstPage    // asked for by New, until the list view takes it
	list      *listScreen   // nil unless a session is held
	current   fyne.CanvasObject
	closed    bool

	// sheet is the sign-in form over the list screen when the session
	// ends mid-use; held is the last snapshot with a session, to tell
	// whether the same person came back.
	sheet  *reauthSheet
	held   session.Snapshot
	dialog dialog.Dialog // the Help or About dialog on screen, if any
	// reauth: the person chose Sign in again because the server refused
	// the session; the sign-out that follows keeps the list under the
	// sheet.
	reauth bool
	// forgetUsernameOnSignOut: the sign-out under way was asked for with
	// "Remember username" unticked.
	forgetUsernameOnSignOut bool
	// searchDelay and after debounce server-side searches (tests shorten
	// the delay).
	searchDelay time.Duration
	after       func(d time.Duration, f func()) (stop func() bool)
}

// New builds the screens into w, subscribes to s and shows the screen for the
// session's current state; with a session held, it waits a moment for the
// list's first page, so that the window's first frame has the rows. Call it
// on the UI goroutine before ShowAndRun.
func New(a fyne.App, w fyne.Window, s Session, opts Options) *App {
	return startApp(a, w, s, opts, fyne.Do, time.Now, firstPageWait)
}

func newApp(a fyne.App, w fyne.Window, s Session, opts Options, do func(func()), now func() time.Time) *App {
	return newAppWith(a, w, s, opts, do, now, nil)
}

// newAppWith is newApp with the first page already asked for (pre, nil if
// not).
func newAppWith(a fyne.App, w fyne.Window, s Session, opts Options, do func(func()), now func() time.Time, pre *firstPage) *App {
	ctx, cancel := context.WithCancel(context.Background())
	app := &App{
		fyneApp: a, win: w, session: newSwitchableSession(s), opts: opts, log: opts.Logger,
		do: do, now: now,
		ctx: ctx, cancel: cancel,
		firstPage: pre,
	}
	if app.log == nil {
		app.log = slog.New(slog.DiscardHandler)
	}
	app.searchDelay = searchDelay
	app.after = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	app.restoring = newRestoringScreen()
	app.sheet = newReauthSheet(app)
	w.SetMainMenu(app.buildMainMenu())
	w.Canvas().SetOnTypedKey(app.onTypedKey)
	w.Canvas().SetOnTypedRune(app.onTypedRune)
	// Remember the place when the window closes, for the next start.
	w.SetOnClosed(app.saveState)

	w.SetTitle("Signet")
	// The callback may come from any goroutine and carries a snapshot
	// that may already be stale by the time the UI goroutine runs; the
	// newest state is read there instead, so out-of-order notifications
	// can never move the window back to an older screen.
	app.unsubscribe = app.session.Subscribe(func(session.Snapshot) {
		do(app.refresh)
	})
	app.apply(app.session.Snapshot())
	return app
}

// Close stops following the session and cancels the screens' work (list
// fetches, the countdown ticker). The session itself is the caller's to
// close.
func (a *App) Close() {
	if a.closed {
		return
	}
	a.saveState()
	a.closed = true
	a.unsubscribe()
	a.cancel()
	a.sheet.hide()
	if a.list != nil {
		a.list.close()
		a.list = nil
	}
	a.restoring.hide()
}

func (a *App) refresh() {
	if a.closed {
		return
	}
	a.apply(a.session.Snapshot())
}

// apply shows the screen for s and passes s on to it.
func (a *App) apply(s session.Snapshot) {
	switch {
	case s.State == session.Restoring:
		a.leaveList()
		a.show(a.restoring.content)
		a.restoring.show()
	case s.State.HasSession():
		a.reauth = false
		a.restoring.hide()
		resumed := a.sheet.visible()
		if resumed {
			// Signed in again over the list: carry on where they were.
			a.sheet.hide()
			a.signIn.leave()
			a.list.resume(a.held, s)
		}
		if a.list == nil {
			a.signIn.leave()
			a.list = newListScreen(a)
			a.show(a.list.content)
		}
		a.list.update(s)
		a.held = s
		if v := a.list.currentView(); resumed && v != nil {
			a.sheet.giveFocusBack()
			v.takeIdleFocus()
		}
	case a.list != nil && (s.State == session.Expired || s.State == session.SigningIn ||
		s.State == session.SignedOut && a.reauth):
		// The session ended mid-use (a cold start in Expired has no list
		// and gets the full screen below): the form goes over the list,
		// which stays exactly as it is.
		a.list.update(s)
		if !a.sheet.visible() {
			a.list.panel.hide()
			a.sheet.show()
			a.form().enter(s)
			if a.reauth {
				a.form().showMessage(msgSignInAgain)
			}
		}
		a.form().update(s)
	default: // SignedOut, SigningIn, Expired
		a.restoring.hide()
		a.leaveList()
		if f := a.form(); a.current != f.content {
			a.show(f.content)
			f.enter(s)
		}
		a.form().update(s)
		if s.State == session.SignedOut {
			a.afterSignOut()
		}
	}
}

// form is the sign-in form, built the first time it is needed: a start that
// restores a session may never show it, and building it (text measuring,
// font loading) costs a good part of the first frame.
func (a *App) form() *signInScreen {
	if a.signIn == nil {
		a.signIn = newSignInScreen(a)
	}
	return a.signIn
}

func (a *App) leaveList() {
	a.reauth = false
	a.sheet.hide()
	if a.list != nil {
		a.list.close()
		a.list = nil
	}
}

// minWindowSize keeps every screen usable however small the window is made:
// the sign-in card fits, and so do a list row and the top bar.
var minWindowSize = fyne.NewSize(560, 480)

// show puts a screen in the window.
func (a *App) show(content fyne.CanvasObject) {
	if a.current == content {
		return
	}
	// The screen that goes takes the keyboard with it: a field left
	// focused off screen would keep its cursor blinking (redrawing the
	// window) and would get what is typed next. Fyne does not do this
	// itself when the content changes.
	a.win.Canvas().Unfocus()
	a.current = content
	strut := canvas.NewRectangle(color.Transparent)
	strut.SetMinSize(minWindowSize)
	a.win.SetContent(container.NewStack(strut, content))
}

// restoringScreen is the quiet screen shown while the saved session is read.
type restoringScreen struct {
	activity *widget.Activity
	label    *widget.RichText
	content  fyne.CanvasObject
}

func newRestoringScreen() *restoringScreen {
	r := &restoringScreen{}
	r.buildUI()
	return r
}

func (r *restoringScreen) buildUI() {
	r.activity = widget.NewActivity()
	r.label = newMuted(msgRestoring, fyne.TextAlignLeading)
	r.content = container.NewCenter(container.NewHBox(r.activity, r.label))
}

func (r *restoringScreen) show() { r.activity.Start() }
func (r *restoringScreen) hide() { r.activity.Stop() }
