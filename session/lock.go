package session

import (
	"context"
	"os"
)

// lockFile takes the cross-process lock held from the keychain re-read to
// the write of a refresh (design R11) on path, waiting at most until ctx is
// done. It excludes other processes and other Controllers in this one alike
// (flock on Unix, LockFileEx on Windows: see lockOpened). Empty path: no lock.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	return lockOpened(ctx, f)
}
