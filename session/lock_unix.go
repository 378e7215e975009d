//go:build unix

package session

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
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

// readStamp is the stamp in the lock file ("" when there is none). Read it
// while holding the lock.
func readStamp(path string) string {
	if path == "" {
		return ""
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

// writeStamp puts a new stamp in the lock file and returns it. Write it
// while holding the lock. A write cut short leaves a stamp that differs
// from every other, which only makes other copies more careful.
func writeStamp(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	st := strconv.Itoa(os.Getpid()) + "-" + strconv.FormatUint(rand.Uint64(), 36)
	return st, os.WriteFile(path, []byte(st), 0o600)
}
