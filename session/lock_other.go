//go:build !unix

package session

import "context"

// lockFile is a no-op where flock doesn't exist; the R11 keychain re-read
// still protects against most overlaps.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	return func() {}, nil
}

// readStamp and writeStamp keep no stamp where there is no lock to guard
// it: a copy that can't read the keychain goes ahead, as runRefresh says
// of one that has not seen the stamp yet.
func readStamp(path string) string { return "" }

func writeStamp(path string) (string, error) { return "", nil }
