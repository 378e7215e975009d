package backend

import (
	"path/filepath"
	"testing"

	"signet/demo"
	"signet/session"
)

// Sign-in state and the chosen backend live in the state file main gives
// the switcher (design R14), so a new start that reads only that file finds
// both: losing Fyne's preferences.json (a kill during its in-place rewrite)
// loses neither.
func TestSwitcher_SessionAndChoiceLiveInTheStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	st, err := session.OpenStateFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := testBackends(t)
	b.cfg.Prefs = st
	ctrl, err := b.Switch(Choice{Preset: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, ctrl, "restored", restored)
	if err := ctrl.SignIn(t.Context(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}

	again, err := session.OpenStateFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := LoadChoice(again); c.Preset != "demo" {
		t.Fatalf("backend choice after a restart: %+v", c)
	}
	if again.String("session.demo.saved") != "1" || again.String("session.demo.username") != demo.DemoUsername {
		t.Fatalf("session state after a restart: %v", again.All())
	}
}
