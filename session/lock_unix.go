//go:build unix

package session

import (
	"context"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock (flock) on path, waiting at most
// until ctx is done. flock belongs to the open file, so it excludes other
// processes and other Controllers in this one alike. Empty path: no lock.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	got := make(chan error, 1)
	go func() { got <- syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }()
	select {
	case err := <-got:
		if err != nil {
			f.Close()
			return nil, err
		}
		return func() {
			_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			f.Close()
		}, nil
	case <-ctx.Done():
		// Closing the file releases the lock if it is taken later.
		go func() { <-got; f.Close() }()
		return nil, ctx.Err()
	}
}
