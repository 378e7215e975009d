package keychain

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"signet/internal/tempdir"
)

// skipWherePrivateFilesAreUnsupported skips a test of the plaintext file
// where no file can be made private (Wine ignores Windows access lists);
// TestFile_RefusesToWriteWhereItCannotBePrivate covers that case.
func skipWherePrivateFilesAreUnsupported(t *testing.T) {
	t.Helper()
	if err := PrivateFilesSupported(tempdir.New(t)); err != nil {
		t.Skipf("the plaintext file is refused here: %v", err)
	}
}

// The check that guards the plaintext file must be able to fail: a file
// made the ordinary way (0644 on Unix; the folder's inherited access list on
// Windows) is not private, and restrictToOwner makes it so.
func TestOwnerOnly_OrdinaryFileIsNotPrivateUntilRestricted(t *testing.T) {
	skipWherePrivateFilesAreUnsupported(t)
	path := filepath.Join(tempdir.New(t), "plain.json")
	if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := OwnerOnly(path); err == nil {
		t.Fatal("an ordinary new file counts as private")
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := restrictToOwner(f); err != nil {
		t.Fatalf("restrictToOwner: %v", err)
	}
	if err := OwnerOnly(path); err != nil {
		t.Fatalf("after restrictToOwner: %v", err)
	}
}

// Where a file cannot be made private, the secrets never reach one.
func TestFile_RefusesToWriteWhereItCannotBePrivate(t *testing.T) {
	dir := tempdir.New(t)
	if PrivateFilesSupported(dir) == nil {
		t.Skip("files can be made private here (TestOwnerOnly_OrdinaryFileIsNotPrivateUntilRestricted covers it)")
	}
	file := NewFile(filepath.Join(dir, "secrets.json"))
	if err := file.Set("demo/tokens", "secret-value"); err == nil {
		t.Fatal("Set wrote the secrets to a file others may read")
	} else {
		t.Logf("Set refused: %v", err)
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a secrets file exists (stat: %v)", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}
