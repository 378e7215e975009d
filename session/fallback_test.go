package session

import (
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"signet/internal/tempdir"
	"signet/session/keychain"
)

// The plaintext file is used only after the person opts in, the session
// panel says where the secrets are, and sign-out removes the file (issue 4).
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
	if !s.MemoryOnly || s.SecretsIn != SecretsInMemory {
		t.Fatalf("before opt-in: memory only %v, secrets in %q", s.MemoryOnly, s.SecretsIn)
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
		t.Fatalf("after opt-in: memory only %v, secrets in %q", s.MemoryOnly, s.SecretsIn)
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
