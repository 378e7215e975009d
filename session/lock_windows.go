//go:build windows

package session

import (
	"context"
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// lockPoll is how often a waiting lockOpened asks again. A refresh holds the
// lock for one HTTP round trip, so a few milliseconds of extra wait is
// nothing next to it.
const lockPoll = 5 * time.Millisecond

// lockOpened takes an exclusive lock (LockFileEx on the file's first byte)
// on f. The lock belongs to the handle, so it excludes other processes and
// other Controllers in this one alike, as flock does on Unix; Windows
// releases it if the process dies. f is closed when the lock is released or
// not taken.
//
// It asks with LOCKFILE_FAIL_IMMEDIATELY and polls rather than blocking in
// LockFileEx: os.OpenFile gives a synchronous handle, and a blocked
// synchronous call cannot be abandoned when ctx ends.
func lockOpened(ctx context.Context, f *os.File) (unlock func(), err error) {
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
			return nil, &os.PathError{Op: "lock", Path: f.Name(), Err: err}
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		}
	}
}
