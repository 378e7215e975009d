// Package keychain is a thin, honest wrapper around go-keyring for Signet's
// secrets: every call is bounded by a timeout, values too long for some
// platforms are stored in chunks, and every way the OS keychain can be
// missing (no D-Bus session bus, a locked collection, no Secret Service, a
// call that never returns) is reported as ErrUnavailable.
package keychain

import "errors"

var (
	// ErrNotFound: no entry under that key.
	ErrNotFound = errors.New("keychain: no such entry")
	// ErrUnavailable: the OS keychain cannot be used right now.
	ErrUnavailable = errors.New("the system keychain is not available")
)

// Store keeps secrets under a key. Implementations are safe for concurrent
// use.
type Store interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
}
