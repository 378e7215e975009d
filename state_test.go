package main

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"signet/backend"
	"signet/ui"
)

// The first start with the state file moves the session and the backend
// choice out of Fyne's preferences (which an in-place rewrite cut short by a
// kill leaves empty) and leaves the window's own settings there; later
// starts never copy again.
func TestOpenState_MovesSessionAndBackendOutOfFynePreferences(t *testing.T) {
	a := test.NewTempApp(t)
	fp := a.Preferences()
	fp.SetString("session.demo@127.0.0.1:8080.saved", "1")
	fp.SetString("session.demo@127.0.0.1:8080.username", "emilys")
	fp.SetString("backend.preset", "oauth2-password")
	fp.SetString("backend.base_url", "https://login.example")
	fp.SetString("ui.last_list.demo", "Items")
	fp.SetBool(ui.FileFallbackPref, true)
	storage := t.TempDir()

	st, err := openState(storage, fp, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := st.All()
	if got["session.demo@127.0.0.1:8080.saved"] != "1" || got["session.demo@127.0.0.1:8080.username"] != "emilys" {
		t.Fatalf("state %v: the session was not moved", got)
	}
	if c := backend.LoadChoice(st); c != (backend.Choice{Preset: "oauth2-password", BaseURL: "https://login.example"}) {
		t.Fatalf("backend choice from the state file: %+v", c)
	}
	if _, ok := got["ui.last_list.demo"]; ok {
		t.Fatal("a window setting was moved into the state file")
	}
	for _, k := range []string{"session.demo@127.0.0.1:8080.saved", "backend.preset", "backend.base_url"} {
		if fp.String(k) != "" {
			t.Errorf("%s is still in Fyne's preferences", k)
		}
	}
	if fp.String("ui.last_list.demo") != "Items" || !fp.Bool(ui.FileFallbackPref) {
		t.Error("the window's own settings were not left in Fyne's preferences")
	}

	// Later starts read only the state file.
	fp.SetString("session.other.saved", "1")
	again, err := openState(storage, fp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.String("session.other.saved") != "" || again.String("session.demo@127.0.0.1:8080.username") != "emilys" {
		t.Fatalf("second start: %v", again.All())
	}
}
