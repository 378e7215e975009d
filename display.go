package main

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"strings"

	"fyne.io/fyne/v2"
)

// errNoDisplay: there is no graphical display to open the window on.
var errNoDisplay = errors.New("no graphical display was found")

// noDisplayMessage is the one line Signet prints, instead of the driver's
// panic, when it can't open its window. display is $DISPLAY, if set.
func noDisplayMessage(display string) string {
	where := ""
	if display != "" {
		where = " (DISPLAY=" + display + " can't be opened)"
	}
	return fmt.Sprintf("signet: %v%s: run Signet in a desktop session, or set DISPLAY (X11) or WAYLAND_DISPLAY (Wayland) to a running display",
		errNoDisplay, where)
}

// displayMissing reports that a desktop on X11 or Wayland has no display to
// draw on: neither DISPLAY nor WAYLAND_DISPLAY is set (an ssh session, a
// service, a container). macOS and Windows always have one.
func displayMissing(goos string, getenv func(string) string) bool {
	switch goos {
	case "darwin", "windows", "ios", "android", "js", "wasip1":
		return false
	}
	return getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == ""
}

// openWindow creates the first window, which is when Fyne's desktop driver
// connects to the display. When that fails (DISPLAY names no running X
// server) GLFW logs its reasons and then panics; the panic becomes
// errNoDisplay and the log lines are dropped, so the person reads one line.
// Other panics are not Signet's to hide.
func openWindow(a fyne.App, title string) (w fyne.Window, err error) {
	var logged bytes.Buffer // log serialises writes; read once restored
	prev := log.Writer()
	log.SetOutput(&logged)
	defer func() {
		log.SetOutput(prev)
		r := recover()
		if r != nil && strings.Contains(fmt.Sprint(r), "GLFW library is not initialized") {
			w, err = nil, errNoDisplay
			return
		}
		_, _ = prev.Write(logged.Bytes()) // what the driver said while all went well
		if r != nil {
			panic(r)
		}
	}()
	return a.NewWindow(title), nil
}
