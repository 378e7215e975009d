//go:build !unix && !windows

package session

import "context"

// lockFile is a no-op where neither flock nor LockFileEx exists (Plan 9,
// js/wasm); the R11 keychain re-read still protects against most overlaps.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	return func() {}, nil
}
