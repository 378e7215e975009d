package ui

import (
	"fmt"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"signet/assets"
)

// shortcutHelp is the Help → Keyboard shortcuts table, in the order people
// look for them. Keys are written as on a PC keyboard; macOS uses Cmd.
var shortcutHelp = []struct{ Keys, What string }{
	{"Ctrl+R", "Reload the list"},
	{"Ctrl+F", "Search the list"},
	{"Escape", "Clear the search, then close the detail or session panel"},
	{"Ctrl+I", "Show the session panel"},
	{"Ctrl+Shift+L", "Sign out"},
	{"Tab / Shift+Tab", "Move between fields and buttons"},
	{"Enter", "Sign in (in the sign-in form)"},
	{"↑ / ↓, Space", "Move through the rows, open the row's detail"},
	{"F1", "This list of shortcuts"},
	{"Ctrl+Q", "Quit"},
}

// Links in the About dialog.
const (
	linkFyne    = "https://fyne.io"
	linkKeyring = "https://github.com/zalando/go-keyring"
)

// buildMainMenu is the window's menu bar. Its shortcuts work wherever the
// keyboard is, a text field included (Fyne gives menu shortcuts first go).
func (a *App) buildMainMenu() *fyne.MainMenu {
	signet := fyne.NewMenu("Signet",
		&fyne.MenuItem{Label: "Session…", Shortcut: sessionShortcut, Action: a.withList((*listScreen).onAccount)},
		&fyne.MenuItem{Label: "Sign out", Shortcut: signOutShortcut, Action: a.withList((*listScreen).onSignOut)},
	)
	view := fyne.NewMenu("View",
		&fyne.MenuItem{Label: "Reload", Shortcut: reloadShortcut, Action: a.withList((*listScreen).onReload)},
		&fyne.MenuItem{Label: "Search", Shortcut: searchShortcut, Action: a.withList((*listScreen).onSearch)},
	)
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("Keyboard shortcuts", a.showShortcuts),
		fyne.NewMenuItem("About Signet", a.showAbout),
	)
	return fyne.NewMainMenu(signet, view, help)
}

// withList runs f on the list screen, when one is up.
func (a *App) withList(f func(*listScreen)) func() {
	return func() {
		if a.list != nil && !a.closed {
			f(a.list)
		}
	}
}

// onTypedKey handles the keys that reach the window when no field has the
// keyboard: Escape closes the innermost panel, F1 opens the shortcuts.
func (a *App) onTypedKey(k *fyne.KeyEvent) {
	if a.sheet.visible() {
		return // the sign-in sheet is modal: nothing under it reacts
	}
	switch k.Name {
	case fyne.KeyEscape:
		switch {
		case a.dialog != nil:
			a.dialog.Hide()
		case a.list != nil:
			a.list.onEscape()
		}
	case fyne.KeyF1:
		a.showShortcuts()
	}
}

// onTypedRune gets the characters typed while nothing has the keyboard: on
// the list screen they start a search.
func (a *App) onTypedRune(r rune) {
	if a.sheet.visible() || a.list == nil || !a.list.active() {
		return
	}
	if v := a.list.currentView(); v != nil {
		v.typeToSearch(r)
	}
}

// showDialog shows d, one at a time, and remembers it so Escape closes it.
func (a *App) showDialog(d dialog.Dialog) {
	if a.dialog != nil {
		a.dialog.Hide()
	}
	a.dialog = d
	d.SetOnClosed(func() {
		if a.dialog == d {
			a.dialog = nil
		}
	})
	d.Show()
}

func (a *App) showShortcuts() {
	rows := make([]fyne.CanvasObject, 0, 2*len(shortcutHelp))
	for _, s := range shortcutHelp {
		keys := widget.NewLabel(s.Keys)
		keys.TextStyle = fyne.TextStyle{Bold: true}
		rows = append(rows, keys, widget.NewLabel(s.What))
	}
	d := dialog.NewCustom("Keyboard shortcuts", "Close", container.New(layout.NewFormLayout(), rows...), a.win)
	a.showDialog(d)
}

// version is the app's version: the packaged metadata (FyneApp.toml) when
// there is some, else what main was built with.
func (a *App) version() string {
	md := a.fyneApp.Metadata()
	// Without packaging metadata Fyne reports a placeholder version with
	// an empty ID; only a real ID vouches for the version.
	if md.ID != "" && md.Version != "" {
		if md.Build > 0 {
			return fmt.Sprintf("%s (build %d)", md.Version, md.Build)
		}
		return md.Version
	}
	if a.opts.Version != "" {
		return a.opts.Version
	}
	return "development build"
}

func (a *App) showAbout() {
	icon := canvas.NewImageFromResource(assets.Icon256)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(72))
	name := widget.NewLabel("Signet")
	name.Alignment = fyne.TextAlignCenter
	name.TextStyle = fyne.TextStyle{Bold: true}
	name.SizeName = theme.SizeNameHeadingText
	version := newMuted("Version "+a.version(), fyne.TextAlignCenter)
	about := widget.NewLabel("Signs you in to your account, keeps your session safe in the system keychain, " +
		"renews it before it runs out, and shows your protected lists.")
	about.Wrapping = fyne.TextWrapWord
	about.Alignment = fyne.TextAlignCenter

	links := container.NewVBox()
	if server := a.session.Snapshot().Server; server != "" {
		if u, err := url.Parse(server); err == nil {
			links.Add(container.NewCenter(widget.NewHyperlink("Server: "+server, u)))
		}
	}
	for _, l := range []struct{ text, url string }{
		{"Built with Fyne", linkFyne},
		{"Secrets kept with go-keyring", linkKeyring},
	} {
		u, _ := url.Parse(l.url)
		links.Add(container.NewCenter(widget.NewHyperlink(l.text, u)))
	}

	strut := canvas.NewRectangle(nil)
	strut.SetMinSize(fyne.NewSize(360, 0))
	content := container.NewStack(strut, container.NewVBox(
		container.NewCenter(icon), name, version, about, widget.NewSeparator(), links))
	a.showDialog(dialog.NewCustom("About Signet", "Close", content, a.win))
}

// showHelpMenu is the top bar's "?" button: the Help menu, for people who
// look for it there rather than in the menu bar.
func (a *App) showHelpMenu(anchor fyne.CanvasObject) {
	m := fyne.NewMenu("",
		fyne.NewMenuItem("Keyboard shortcuts", a.showShortcuts),
		fyne.NewMenuItem("About Signet", a.showAbout),
	)
	widget.ShowPopUpMenuAtRelativePosition(m, a.win.Canvas(), fyne.NewPos(0, anchor.Size().Height), anchor)
}
