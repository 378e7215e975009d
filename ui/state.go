package ui

import (
	"fyne.io/fyne/v2"

	"signet/api"
)

// The window's own preferences, all under "ui." so they never meet the
// session's ("session.<profile>.…"). Lists are keyed by profile too: two
// backends may both have a list called "Items".
const (
	prefWindowWidth  = "ui.window.width"
	prefWindowHeight = "ui.window.height"
	prefRemember     = "ui.remember_username"
)

func prefLastList(profile string) string { return "ui." + profile + ".list" }

// lastList is the index in lists of the list open when Signet last closed
// (0 when none or unknown).
func lastList(prefs fyne.Preferences, profile string, lists []api.ListSpec) int {
	last := prefs.String(prefLastList(profile))
	for i, l := range lists {
		if l.Name == last {
			return i
		}
	}
	return 0
}

func prefSearch(profile, list string) string {
	return "ui." + profile + ".lists." + list + ".search"
}
func prefScroll(profile, list string) string {
	return "ui." + profile + ".lists." + list + ".scroll"
}

// defaultWindowSize is the first start's window; minWindowSize (app.go) is
// the smallest it may be made.
var defaultWindowSize = fyne.NewSize(960, 680)

// RestoreWindowSize sizes w as it was when Signet last closed, or to a
// comfortable default on the first start. Call it before showing w; New
// then keeps the size up to date as the person resizes.
func RestoreWindowSize(a fyne.App, w fyne.Window) {
	p := a.Preferences()
	size := fyne.NewSize(
		float32(p.FloatWithFallback(prefWindowWidth, float64(defaultWindowSize.Width))),
		float32(p.FloatWithFallback(prefWindowHeight, float64(defaultWindowSize.Height))),
	)
	// A size from another screen, or a hand-edited file, must still leave
	// a usable window.
	size = size.Max(minWindowSize)
	w.Resize(size)
}

// saveWindowSize remembers the window's size if it changed.
func (a *App) saveWindowSize() {
	size := a.win.Canvas().Size()
	if size.Width < minWindowSize.Width || size.Height < minWindowSize.Height {
		return // not laid out yet (or being closed)
	}
	p := a.fyneApp.Preferences()
	if float32(p.Float(prefWindowWidth)) == size.Width && float32(p.Float(prefWindowHeight)) == size.Height {
		return
	}
	p.SetFloat(prefWindowWidth, float64(size.Width))
	p.SetFloat(prefWindowHeight, float64(size.Height))
}

// saveState writes what a restart brings back: the window's size and, when
// the list screen is up, the open list, its search and its scroll position.
// It runs on every tick and at Close, and writes only what changed.
func (a *App) saveState() {
	a.saveWindowSize()
	if a.list != nil {
		a.list.saveState()
	}
}

// setPrefString writes a preference only when it changed: Fyne saves the
// whole preferences file on every write.
func setPrefString(p fyne.Preferences, key, value string) {
	if p.String(key) == value {
		return
	}
	if value == "" {
		p.RemoveValue(key)
		return
	}
	p.SetString(key, value)
}

func setPrefFloat(p fyne.Preferences, key string, value float64) {
	if p.Float(key) == value {
		return
	}
	if value == 0 {
		p.RemoveValue(key)
		return
	}
	p.SetFloat(key, value)
}
