package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"signet/internal/tempdir"
	"signet/session/keychain"
)

// The plaintext file is used only after the person opts in, the session
// panel says where the secrets are, and sign-out removes the file.
func TestSaveNow_OptInToFileKeepsTheSessionAndSignOutRemovesIt(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.kc.FailWith(keychain.ErrUnavailable)
	dir := tempdir.New(t)
	if err := keychain.PrivateFilesSupported(dir); err != nil {
		t.Skipf("the plaintext file is refused here (keychain's TestFile_RefusesToWriteWhereItCannotBePrivate): %v", err)
	}
	file := keychain.NewFile(filepath.Join(dir, "secrets.json"))
	var optedIn atomic.Bool
	store := keychain.NewFallback(e.kc, file, optedIn.Load)
	c := e.signedIn(func(cfg *Config) { cfg.Keychain = store })
	s := c.Snapshot()
	if !s.MemoryOnly || s.SecretsIn != keychain.LocationMemory {
		t.Fatalf("before opt-in: memory only %v, secrets in %v", s.MemoryOnly, s.SecretsIn)
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the plaintext file was written before the person opted in")
	}

	optedIn.Store(true)
	if !c.SaveNow() {
		t.Fatal("SaveNow after opting in did not store the session")
	}
	s = c.Snapshot()
	if s.MemoryOnly || s.SecretsIn != keychain.LocationFile {
		t.Fatalf("after opt-in: memory only %v, secrets in %v", s.MemoryOnly, s.SecretsIn)
	}
	if err := keychain.OwnerOnly(file.Path()); err != nil {
		t.Fatalf("the plaintext file is not private to its owner: %v", err)
	}

	c.SignOut(t.Context())
	if st := c.Snapshot().State; st != SignedOut {
		t.Fatalf("state after sign-out = %v", st)
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("sign-out left the plaintext file behind")
	}
}

// A session kept in the plaintext file while the keychain was unavailable
// is restored from it at the next start with the real keychain back, and
// moves there: signed in, the secrets in the keychain, the file gone.
func TestRestore_KeychainBackMovesTheFileSessionIntoTheKeychain(t *testing.T) {
	if os.Getenv("SIGNET_REQUIRE_KEYCHAIN") != "1" {
		t.Skip("set SIGNET_REQUIRE_KEYCHAIN=1 with a Secret Service (scripts/with-keyring.sh)")
	}
	e := newEnv(t, envOpts{})
	dir := tempdir.New(t)
	if err := keychain.PrivateFilesSupported(dir); err != nil {
		t.Skipf("the plaintext file is refused here (keychain's TestFile_RefusesToWriteWhereItCannotBePrivate): %v", err)
	}
	file := keychain.NewFile(filepath.Join(dir, "secrets.json"))
	optedIn := func() bool { return true }

	// First run: no keychain (its bus is gone), the person opted in.
	e.kc.FailWith(keychain.ErrUnavailable)
	first := e.signedIn(func(cfg *Config) { cfg.Keychain = keychain.NewFallback(e.kc, file, optedIn) })
	if s := first.Snapshot(); s.SecretsIn != keychain.LocationFile {
		t.Fatalf("first run keeps the secrets in %v, want the file", s.SecretsIn)
	}
	first.Close()
	b, err := os.ReadFile(file.Path())
	if err != nil {
		t.Fatal(err)
	}
	var entry map[string]string
	if err := json.Unmarshal(b, &entry); err != nil {
		t.Fatal(err)
	}
	tokens, err := decodeTokens(entry["demo/tokens"])
	if err != nil {
		t.Fatal(err)
	}

	// Next start: the real keychain is back.
	service := fmt.Sprintf("io.signet.test.fallback.%d", time.Now().UnixNano())
	osStore := keychain.NewOS(service, keychain.Options{})
	t.Cleanup(func() { _ = osStore.Delete("demo/tokens") })
	c := e.controller(func(cfg *Config) {
		cfg.Keychain = keychain.NewFallback(osStore, file, optedIn)
		cfg.Service = service
	})
	c.Restore(t.Context())
	s := c.Snapshot()
	if s.State != SignedIn || s.MemoryOnly || s.SecretsIn != keychain.LocationKeychain {
		t.Fatalf("restart: %s, memory only %v, secrets in %v; want SignedIn with the secrets in the keychain",
			s.State, s.MemoryOnly, s.SecretsIn)
	}
	mustFetch(t, c)
	got, err := osStore.Get("demo/tokens")
	if err != nil {
		t.Fatalf("the keychain: %v", err)
	}
	if moved, _ := decodeTokens(got); moved.RefreshToken != tokens.RefreshToken {
		t.Fatal("the keychain does not hold the file's session")
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the plaintext file outlived the keychain's return")
	}
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		if b, _ := os.ReadFile(filepath.Join(dir, f.Name())); strings.Contains(string(b), tokens.RefreshToken) {
			t.Fatalf("%s still holds the refresh token", f.Name())
		}
	}
	if st := e.demo.Stats(); st.Logins != 1 {
		t.Errorf("%d sign-ins, want 1: the session should have been restored", st.Logins)
	}
}
