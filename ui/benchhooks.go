package ui

import "fyne.io/fyne/v2/widget"

// ShownList is the list widget of the list tab on screen, or nil while no
// list screen is shown. It exists for bench/, which counts the rows the
// app's own list creates (it wraps the widget's CreateItem); the app never
// calls it. Call it on the UI goroutine.
func (a *App) ShownList() *widget.List {
	if a.list == nil {
		return nil
	}
	if v := a.list.currentView(); v != nil {
		return &v.list.List
	}
	return nil
}
