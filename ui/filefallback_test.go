package ui

import (
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"signet/demo"
	"signet/session/keychain"
)

// With no keychain, the notice offers the plaintext file; only after the
// warning is accepted is anything written, and sign-out removes it: nothing
// is written in plaintext unless the person opted in (design R3).
func TestFileFallback_OfferedWithWarningWrittenOnlyAfterYesRemovedOnSignOut(t *testing.T) {
	primary := keychain.NewMemory()
	primary.FailWith(keychain.ErrUnavailable)
	file := keychain.NewFile(filepath.Join(t.TempDir(), "secrets.json"))
	var prefs atomic.Pointer[fyne.Preferences]
	enabled := func() bool { p := prefs.Load(); return p != nil && (*p).Bool(FileFallbackPref) }
	s := newRealSessionWithStore(t, demo.Config{}, keychain.NewFallback(primary, file, enabled))
	h := newHarness(t, s, Options{})
	p := h.ui.fyneApp.Preferences()
	prefs.Store(&p)

	h.signIn(demo.DemoUsername, demo.DemoPassword)
	h.waitFor("the list with the memory-only notice", func() bool {
		return h.onList() && h.ui.list.notice.visible()
	})
	if !h.ui.list.keepBtn.Visible() {
		t.Fatal("the memory-only notice does not offer to keep the session in a file")
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the plaintext file was written before the person was asked")
	}

	test.Tap(h.ui.list.keepBtn)
	test.Tap(findButton(t, h.win.Canvas().Overlays().Top(), "Use a file"))
	h.waitFor("the session kept in the file", func() bool {
		_, err := os.Stat(file.Path())
		return err == nil && s.Snapshot().SecretsIn == keychain.LocationFile && !h.ui.list.notice.visible()
	})
	if err := keychain.OwnerOnly(file.Path()); err != nil {
		t.Fatalf("the plaintext file is not private to its owner: %v", err)
	}

	test.Tap(h.ui.list.signOutBtn)
	h.waitFor("the sign-in form", h.onSignIn)
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("sign-out left the plaintext file behind")
	}
}
