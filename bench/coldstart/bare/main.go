// Command bare is the baseline of the cold-start figure: the smallest Fyne
// app built the same way as Signet (same module, same go build, no tags),
// with a window of Signet's size. With SIGNET_TRACE_STARTUP=1 it prints
// "startup: first-frame" to stderr from the app's OnStarted callback: the
// window has been shown with its content and the driver's loop is about to
// draw it (the first frame follows on the loop's first 60 Hz tick).
package main

import (
	"fmt"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.signet.bench.bare")
	w := a.NewWindow("Signet bare")
	w.Resize(fyne.NewSize(900, 640))
	w.SetContent(widget.NewLabel("Hello"))
	if os.Getenv("SIGNET_TRACE_STARTUP") == "1" {
		a.Lifecycle().SetOnStarted(func() { fmt.Fprintln(os.Stderr, "startup: first-frame") })
	}
	w.ShowAndRun()
}
