//go:build !unix && !windows

package session

import (
	"context"
	"os"
)

// lockOpened takes no lock where neither flock nor LockFileEx exists (Plan 9,
// js/wasm); the R11 keychain re-read still protects against most overlaps.
func lockOpened(ctx context.Context, f *os.File) (unlock func(), err error) {
	return func() { f.Close() }, nil
}
