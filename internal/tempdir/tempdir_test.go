package tempdir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestNew_FolderWithNestedFilesIsGoneAfterTheTest(t *testing.T) {
	var dir string
	t.Run("user", func(t *testing.T) {
		dir = New(t)
		nested := filepath.Join(dir, "a", "b")
		if err := os.MkdirAll(nested, 0o700); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{filepath.Join(dir, "top.txt"), filepath.Join(nested, "deep.txt")} {
			if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("after the test %s: %v; want it removed", dir, err)
	}
}
