//go:build windows

package session

import (
	"context"
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// lockPoll is how often a waiting lockFile asks again. A refresh holds the
// lock for one HTTP round trip, so a few milliseconds of extra wait is
// nothing next to it.
const lockPoll = 5 * time.Millisecond

// lockFile takes an exclusive lock (LockFileEx on the file's first byte) on
// path, waiting at most until ctx is done. The lock belongs to the handle,
// so it excludes other processes and other Controllers in this one alike,
// as flock does on Unix; Windows releases it if the process dies. Empty
// path: no lock.
//
// It asks with LOCKFILE_FAIL_IMMEDIATELY and polls rather than blocking in
// LockFileEx: os.OpenFile gives a synchronous handle, and a blocked
// synchronous call cannot be abandoned when ctx ends.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	h := windows.Handle(f.Fd())
	const flags = windows.LOCKFILE_EXCLUSIVE_LOCK | windows.LOCKFILE_FAIL_IMMEDIATELY
	tick := time.NewTicker(lockPoll)
	defer tick.Stop()
	for {
		err := windows.LockFileEx(h, flags, 0, 1, 0, new(windows.Overlapped))
		if err == nil {
			return func() {
				_ = windows.UnlockFileEx(h, 0, 1, 0, new(windows.Overlapped))
				f.Close()
			}, nil
		}
		if !errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			f.Close()
			return nil, &os.PathError{Op: "lock", Path: path, Err: err}
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		}
	}
}
