package demotest

import (
	"os"
	"path/filepath"
	"testing"

	"signet/demo"
	"signet/internal/tempdir"
)

// seed is the seeded file of this test binary, set by Main.
var seed string

// Main seeds the data file, runs the tests and exits; call it from TestMain.
func Main(m *testing.M) {
	dir, err := os.MkdirTemp("", "signet-demotest")
	if err != nil {
		panic(err)
	}
	seed = filepath.Join(dir, "seed.db")
	s, err := demo.Open(demo.Config{DataPath: seed})
	if err != nil {
		panic(err)
	}
	if err := s.Close(); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// DataFile returns a fresh copy of the seeded file in t's temporary folder.
func DataFile(t testing.TB) string {
	t.Helper()
	if seed == "" {
		t.Fatal("demotest: call demotest.Main from TestMain first")
	}
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(tempdir.New(t), "demo.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
