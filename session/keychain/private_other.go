//go:build !windows

package keychain

import (
	"fmt"
	"os"
)

// restrictToOwner makes f readable and writable by its owner only (0600).
func restrictToOwner(f *os.File) error { return f.Chmod(0o600) }

// OwnerOnly reports whether only the file's owner may open the file at
// path: nil, or an error saying who else may.
func OwnerOnly(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("the file's mode is %v: others than its owner may open it", perm)
	}
	return nil
}
