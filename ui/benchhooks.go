package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// The hooks below exist for bench/ (the app never calls them): it drives
// the app's real screens in Fyne's test driver and measures them.

// NewWithDo is New with do in place of fyne.Do, so a benchmark can run the
// UI's work on its own goroutine, the way the real driver's loop does (the
// test driver would run it on whichever goroutine posts it).
func NewWithDo(a fyne.App, w fyne.Window, s Session, opts Options, do func(func())) *App {
	return newApp(a, w, s, opts, do, time.Now)
}

// ShownList is the list widget of the list tab on screen, or nil while no
// list screen is shown. Call it on the UI goroutine.
func (a *App) ShownList() *widget.List {
	if a.list == nil {
		return nil
	}
	if v := a.list.currentView(); v != nil {
		return &v.list.List
	}
	return nil
}
