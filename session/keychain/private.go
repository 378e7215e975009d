package keychain

import (
	"fmt"
	"os"
)

// PrivateFilesSupported reports whether files in dir can be made private
// to the current user (see restrictToOwner): nil, or why not. Where they
// cannot (Windows access lists on a file system or emulator that ignores
// them, such as Wine), File refuses to write, so the plaintext fallback is
// never used there.
func PrivateFilesSupported(dir string) error {
	f, err := os.CreateTemp(dir, ".private-check-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := restrictToOwner(f); err != nil {
		return fmt.Errorf("keychain file: cannot make a file private to you here: %w", err)
	}
	return nil
}
