package session

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
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

// The stamp (design R11) sits beside the lock file, not in it: on Windows
// LockFileEx locks the lock file's bytes for every other handle, so the
// file itself can't be read by the copy that waits for it.
func stampPath(lockPath string) string { return lockPath + ".stamp" }

// readStamp is the stamp another copy wrote after its last renewal ("" when
// there is none). Read it while holding the lock.
func readStamp(lockPath string) string {
	if lockPath == "" {
		return ""
	}
	b, err := os.ReadFile(stampPath(lockPath))
	if err != nil {
		return ""
	}
	return string(b)
}

// writeStamp puts a new stamp beside the lock file and returns it. Write it
// while holding the lock. A write cut short leaves a stamp that differs
// from every other, which only makes other copies more careful.
func writeStamp(lockPath string) (string, error) {
	if lockPath == "" {
		return "", nil
	}
	st := strconv.Itoa(os.Getpid()) + "-" + strconv.FormatUint(rand.Uint64(), 36)
	return st, os.WriteFile(stampPath(lockPath), []byte(st), 0o600)
}
