//go:build !windows

package tempdir

import "testing"

func newDir(t testing.TB) string { return t.TempDir() }
