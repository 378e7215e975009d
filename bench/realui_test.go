package bench

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"signet/api"
	"signet/ui"
)

// windowSize is the app's window (main.go).
var windowSize = fyne.NewSize(900, 640)

// openRealList opens the app's own UI (ui.New, Fyne's test driver) in a
// window of the app's size on a signed-in session whose profile has one
// list, listName of bigProfile, and returns the list widget it shows.
func openRealList(tb testing.TB, url, listName string) (*widget.List, fyne.Window) {
	tb.Helper()
	a := test.NewTempApp(tb)
	p := bigProfile(url)
	i := slices.IndexFunc(p.Lists, func(l api.ListSpec) bool { return l.Name == listName })
	p.Lists = p.Lists[i : i+1]
	ctrl := bigSessionFor(tb, p)
	w := test.NewWindow(nil)
	tb.Cleanup(w.Close)
	w.Resize(windowSize)
	app := ui.New(a, w, ctrl, ui.Options{})
	tb.Cleanup(app.Close)
	list := app.ShownList()
	if list == nil {
		tb.Fatal("the app shows no list for a signed-in session")
	}
	return list, w
}

// waitRows waits until list has at least n rows, then paints a frame.
func waitRows(tb testing.TB, list *widget.List, n int) {
	tb.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for list.Length() < n {
		if time.Now().After(deadline) {
			tb.Fatalf("the app's list has %d rows after 60 s, want %d", list.Length(), n)
		}
		// The rows arrive from the app's own fetch, with nothing to
		// wait on from here.
		time.Sleep(5 * time.Millisecond)
	}
	_ = fyne.CurrentApp().Driver().CanvasForObject(list).Capture()
}
