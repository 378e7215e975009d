//go:build unix

package session

import (
	"context"
	"os"
	"syscall"
)

// lockOpened takes an exclusive advisory lock (flock) on f. flock belongs to
// the open file, so it excludes other processes and other Controllers in
// this one alike. f is closed when the lock is released or not taken.
func lockOpened(ctx context.Context, f *os.File) (unlock func(), err error) {
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
