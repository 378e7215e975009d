// Command bare is the baseline of the cold-start and idle figures: the
// smallest Fyne app built the same way as Signet (same module, same go
// build, no tags), with a window of Signet's size showing one label.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.signet.bench.bare")
	w := a.NewWindow("Signet bare")
	w.Resize(fyne.NewSize(900, 640))
	w.SetContent(widget.NewLabel("Hello"))
	w.ShowAndRun()
}
