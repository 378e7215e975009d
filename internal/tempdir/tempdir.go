package tempdir

import "testing"

// New returns a fresh folder for t, removed (with all it holds) when t ends.
func New(t testing.TB) string {
	t.Helper()
	return newDir(t)
}
