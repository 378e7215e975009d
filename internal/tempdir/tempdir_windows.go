//go:build windows

package tempdir

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func newDir(t testing.TB) string {
	dir, err := os.MkdirTemp("", "signet-test-*")
	if err != nil {
		t.Fatalf("tempdir: %v", err)
	}
	t.Cleanup(func() {
		if err := removeTree(dir); err != nil {
			t.Errorf("tempdir: clean-up: %v", err)
		}
	})
	return dir
}

// removeTree removes dir and everything under it, deepest entries first,
// with os.Remove only (see the package comment for why not os.RemoveAll).
func removeTree(dir string) error {
	var paths []string
	err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		paths = append(paths, path)
		return nil
	})
	if err != nil {
		return err
	}
	// WalkDir lists a folder before its contents: undo in reverse.
	for _, p := range slices.Backward(paths) {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	return nil
}
