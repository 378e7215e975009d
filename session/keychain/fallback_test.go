package keychain

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// Once the keychain answers again, the entry the file kept while it was
// away moves into the keychain, and the file goes, its bytes overwritten:
// no refresh token stays in plaintext after it needn't.
func TestFallback_KeychainBackMovesTheFileEntryInAndOverwritesTheFile(t *testing.T) {
	skipWherePrivateFilesAreUnsupported(t)
	f, primary, file := newFallbackRig(t, true)
	primary.FailWith(ErrUnavailable)
	if err := f.Set("demo/tokens", "secret-value"); err != nil {
		t.Fatal(err)
	}
	// A second name for the file's blocks, to see what happens to them.
	peek := filepath.Join(filepath.Dir(file.Path()), "peek")
	if err := os.Link(file.Path(), peek); err != nil {
		t.Fatal(err)
	}

	primary.FailWith(nil)
	v, err := f.Get("demo/tokens")
	if err != nil || v != "secret-value" {
		t.Fatalf("Get = %q, %v; want the session the file kept", v, err)
	}
	if primary.Snapshot()["demo/tokens"] != "secret-value" {
		t.Fatal("the entry did not move into the keychain")
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the plaintext file is still there (stat: %v)", err)
	}
	if b, _ := os.ReadFile(peek); strings.Contains(string(b), "secret") || len(b) == 0 {
		t.Fatalf("the removed file's bytes were not overwritten: %q", b)
	}
	if f.Location() != LocationKeychain {
		t.Fatalf("Location = %q", f.Location())
	}
}

// A keychain that holds its own entry has the newer one (the file is
// written only while the keychain fails): the file's copy just goes.
func TestFallback_KeychainsOwnEntryWinsAndTheFileCopyGoes(t *testing.T) {
	skipWherePrivateFilesAreUnsupported(t)
	f, primary, file := newFallbackRig(t, true)
	if err := file.Set("demo/tokens", "older"); err != nil {
		t.Fatal(err)
	}
	if err := primary.Set("demo/tokens", "newer"); err != nil {
		t.Fatal(err)
	}
	if v, err := f.Get("demo/tokens"); err != nil || v != "newer" {
		t.Fatalf("Get = %q, %v; want the keychain's", v, err)
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the file's stale copy is still there")
	}
}

// A rewrite that drops one entry (another backend's remains) overwrites
// the replaced file too.
func TestFile_RewriteOverwritesTheReplacedFile(t *testing.T) {
	skipWherePrivateFilesAreUnsupported(t)
	file := NewFile(filepath.Join(tempdir.New(t), "secrets.json"))
	for _, k := range []string{"a/tokens", "b/tokens"} {
		if err := file.Set(k, "secret-"+k); err != nil {
			t.Fatal(err)
		}
	}
	peek := file.Path() + ".peek"
	if err := os.Link(file.Path(), peek); err != nil {
		t.Fatal(err)
	}
	if err := file.Delete("a/tokens"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(peek); strings.Contains(string(b), "secret") {
		t.Fatalf("the replaced file still holds the secrets: %q", b)
	}
	if v, err := file.Get("b/tokens"); err != nil || v != "secret-b/tokens" {
		t.Fatalf("the other entry: %q, %v", v, err)
	}
}
