//go:build !unix

package session

import "context"

// lockFile is a no-op where flock doesn't exist; the R11 keychain re-read
// still protects against most overlaps.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	return func() {}, nil
}
