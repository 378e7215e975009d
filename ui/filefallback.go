package ui

import (
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// FileFallbackPref is the preference that holds the person's opt-in to keep
// the session in a plaintext file while the OS keychain can't be used (rule
// R3). main reads it to enable keychain.Fallback; only this UI sets it, after
// a warning, and nothing is ever written to the file without it.
const FileFallbackPref = "security.file_fallback"

// sessionSaver is a session that can try again to keep itself beyond this
// run (session.Controller.SaveNow).
type sessionSaver interface{ SaveNow() bool }

const fileFallbackWarning = "The system keychain can't be used right now, so Signet keeps your session " +
	"in memory only and you will have to sign in again next time.\n\n" +
	"Signet can instead keep it in a file in its settings folder that only your user account can read. " +
	"The file is NOT encrypted: anyone or anything that can read your files could use your session. " +
	"It is deleted when you sign out."

// canOfferFileFallback reports whether the memory-only notice should offer
// the file: the session can save again and the person hasn't opted in yet.
func (a *App) canOfferFileFallback() bool {
	_, ok := a.innerSession().(sessionSaver)
	return ok && !a.fyneApp.Preferences().Bool(FileFallbackPref)
}

// onOfferFileFallback asks, with the warning, and on yes records the opt-in
// and has the session save itself at once.
func (a *App) onOfferFileFallback() {
	d := dialog.NewConfirm("Stay signed in using a file?", fileFallbackWarning, func(yes bool) {
		if !yes {
			return
		}
		a.fyneApp.Preferences().SetBool(FileFallbackPref, true)
		saver, ok := a.innerSession().(sessionSaver)
		if !ok {
			return
		}
		go func() {
			if saved := saver.SaveNow(); !saved {
				a.do(func() {
					dialog.ShowInformation("Not saved",
						"Signet couldn't write the file either; this session still ends when you quit.", a.win)
				})
			}
		}()
	}, a.win)
	d.SetConfirmText("Use a file")
	d.SetDismissText("Not now")
	d.Show()
}

// newFileFallbackButton is the notice's action; update shows it only while
// the offer stands.
func newFileFallbackButton(a *App) *keyButton {
	b := newButton("Keep me signed in…", a.onOfferFileFallback)
	b.Importance = widget.LowImportance
	b.Hide()
	return b
}
