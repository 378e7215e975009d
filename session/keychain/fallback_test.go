package keychain

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"signet/internal/tempdir"
)

func newFallbackRig(t *testing.T, optedIn bool) (*Fallback, *Memory, *File) {
	t.Helper()
	primary := NewMemory()
	file := NewFile(filepath.Join(tempdir.New(t), "cfg", "secrets.json"))
	return NewFallback(primary, file, func() bool { return optedIn }), primary, file
}

func TestFallback_NeverWritesTheFileWithoutOptIn(t *testing.T) {
	f, primary, file := newFallbackRig(t, false)
	primary.FailWith(ErrUnavailable)
	if err := f.Set("demo/tokens", "secret-value"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Set = %v, want ErrUnavailable", err)
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the plaintext file exists without the opt-in (stat: %v)", err)
	}
	if f.Location() != LocationKeychain {
		t.Fatalf("Location = %q", f.Location())
	}
}

func TestFallback_OptedInUsesAPrivateFileAndSignOutRemovesIt(t *testing.T) {
	skipWherePrivateFilesAreUnsupported(t)
	f, primary, file := newFallbackRig(t, true)
	primary.FailWith(ErrUnavailable)
	if err := f.Set("demo/tokens", "secret-value"); err != nil {
		t.Fatalf("Set = %v", err)
	}
	if err := OwnerOnly(file.Path()); err != nil {
		t.Fatalf("the plaintext file is not private: %v", err)
	}
	// Windows has no folder modes; the file's own access list protects it.
	if dir, _ := os.Stat(filepath.Dir(file.Path())); runtime.GOOS != "windows" && dir.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode %v, want 0700", dir.Mode().Perm())
	}
	if f.Location() != LocationFile {
		t.Fatalf("Location = %q, want the file", f.Location())
	}
	if v, err := f.Get("demo/tokens"); err != nil || v != "secret-value" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if err := f.Delete("demo/tokens"); err != nil {
		t.Fatalf("Delete = %v", err)
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file is still there after the last entry was deleted (stat: %v)", err)
	}
}

func TestFallback_KeychainBackMovesTheSecretOutOfTheFile(t *testing.T) {
	skipWherePrivateFilesAreUnsupported(t)
	f, primary, file := newFallbackRig(t, true)
	primary.FailWith(ErrUnavailable)
	if err := f.Set("demo/tokens", "v1"); err != nil {
		t.Fatal(err)
	}
	primary.FailWith(nil)
	if err := f.Set("demo/tokens", "v2"); err != nil {
		t.Fatal(err)
	}
	if _, err := file.Get("demo/tokens"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("file still holds the entry: %v", err)
	}
	if got := primary.Snapshot()["demo/tokens"]; got != "v2" {
		t.Fatalf("keychain holds %q, want v2", got)
	}
	if f.Location() != LocationKeychain {
		t.Fatalf("Location = %q", f.Location())
	}
}

func TestFallback_OtherKeychainErrorsAreNotHiddenByTheFile(t *testing.T) {
	f, primary, _ := newFallbackRig(t, true)
	boom := errors.New("boom")
	primary.FailWith(boom)
	if err := f.Set("k", "v"); !errors.Is(err, boom) {
		t.Fatalf("Set = %v, want the keychain's own error", err)
	}
}

func TestFile_DamagedFileReadsAsEmpty(t *testing.T) {
	skipWherePrivateFilesAreUnsupported(t)
	path := filepath.Join(tempdir.New(t), "secrets.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := NewFile(path)
	if _, err := f.Get("k"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get = %v, want ErrNotFound", err)
	}
	if err := f.Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	if v, err := f.Get("k"); err != nil || v != "v" {
		t.Fatalf("Get = %q, %v", v, err)
	}
}
