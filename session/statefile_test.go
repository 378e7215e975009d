package session

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"signet/internal/tempdir"
)

func openState(t *testing.T, path string) *StateFile {
	t.Helper()
	s, err := OpenStateFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStateFile_KeepsValuesAcrossOpensOwnerOnly(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "state", "state.json")
	s := openState(t, path)
	if !s.Created() {
		t.Error("a new file does not report Created")
	}
	s.SetString("session.demo.saved", "1")
	s.Update(func(p Preferences) {
		p.SetString("session.demo.username", "emilys")
		p.SetString("backend.preset", "demo")
		p.RemoveValue("session.demo.saved")
	})
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// Unix file modes only: Windows keeps the file in the user's own
	// profile folder, and it holds no secret.
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v; want 0600", st.Mode().Perm())
	}
	again := openState(t, path)
	if again.Created() {
		t.Error("an existing file reports Created")
	}
	want := map[string]string{"session.demo.username": "emilys", "backend.preset": "demo"}
	if got := again.All(); len(got) != len(want) || got["session.demo.username"] != "emilys" || got["backend.preset"] != "demo" {
		t.Fatalf("reopened: %v, want %v", got, want)
	}
	if tmps, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.tmp")); len(tmps) != 0 {
		t.Fatalf("temporary files left: %v", tmps)
	}
}

// A damaged file (what an in-place rewrite cut short leaves, or a disk
// error) is set aside and the state starts empty, instead of the app
// failing or silently overwriting the evidence.
func TestStateFile_DamagedFileIsSetAsideAndStartsEmpty(t *testing.T) {
	for name, content := range map[string]string{"empty": "", "truncated": `{"session.demo.saved": "1", "sess`, "not an object": `[1,2]`, "null": `null`} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(tempdir.New(t), "state.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			s := openState(t, path)
			if len(s.All()) != 0 {
				t.Fatalf("state %v, want empty", s.All())
			}
			b, err := os.ReadFile(path + ".corrupt")
			if err != nil || string(b) != content {
				t.Fatalf("copy: %q, %v; want the damaged content kept", b, err)
			}
			s.SetString("k", "v")
			if openState(t, path).String("k") != "v" {
				t.Fatal("writing after a damaged file failed")
			}
		})
	}
}

// A write killed before its rename leaves a temporary file; the state is
// the last complete one, and the leftover is removed.
func TestStateFile_KilledWriteLeavesTheOldState(t *testing.T) {
	dir := tempdir.New(t)
	path := filepath.Join(dir, "state.json")
	openState(t, path).SetString("session.demo.saved", "1")
	leftover := filepath.Join(dir, ".state.json-123.tmp")
	if err := os.WriteFile(leftover, []byte(`{"session.demo`), 0o600); err != nil {
		t.Fatal(err)
	}
	if s := openState(t, path); s.String("session.demo.saved") != "1" {
		t.Fatalf("state %v, want the last complete write", s.All())
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Fatal("the leftover temporary file was not removed")
	}
}

// Two copies of the app each hold the file open: a change by one does not
// undo the other's change to another key.
func TestStateFile_TwoWritersKeepEachOthersKeys(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "state.json")
	a, b := openState(t, path), openState(t, path)
	a.SetString("session.one.saved", "1")
	b.SetString("session.two.saved", "1")
	got := openState(t, path).All()
	if got["session.one.saved"] != "1" || got["session.two.saved"] != "1" {
		t.Fatalf("state %v, want both keys", got)
	}
}

// A damaged state file says nothing about a saved session, so the start
// asks the keychain: an entry there is restored (and marked again), never
// left orphaned; no entry is a clean sign-out.
func TestRestore_DamagedStateFileAsksTheKeychain(t *testing.T) {
	e := newEnv(t, envOpts{})
	path := filepath.Join(tempdir.New(t), "state.json")
	st := openState(t, path)
	first := e.signedIn(func(cfg *Config) { cfg.Prefs = st })
	first.Close()
	if err := os.WriteFile(path, []byte(`{"session.demo.sav`), 0o600); err != nil {
		t.Fatal(err)
	}

	damaged := openState(t, path)
	if !damaged.Damaged() {
		t.Fatal("a damaged file is not reported")
	}
	c := e.controller(func(cfg *Config) { cfg.Prefs = damaged })
	c.Restore(t.Context())
	if s := c.Snapshot(); s.State != SignedIn {
		t.Fatalf("restart: %s; want the session in the keychain restored", s.State)
	}
	mustFetch(t, c)
	if openState(t, path).String("session.demo.saved") != "1" {
		t.Fatal("the restored session is not marked saved again")
	}
	c.SignOut(t.Context())
	c.Close()

	// Damaged again, and nothing in the keychain: signed out, no notice.
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c = e.controller(func(cfg *Config) { cfg.Prefs = openState(t, path) })
	c.Restore(t.Context())
	if s := c.Snapshot(); s.State != SignedOut || s.MemoryOnly {
		t.Fatalf("restart: %s (memory only %v), want SignedOut", s.State, s.MemoryOnly)
	}
	if v := openState(t, path).String("session.demo.saved"); v != "" {
		t.Fatal("a saved marker is left with no entry")
	}
}
