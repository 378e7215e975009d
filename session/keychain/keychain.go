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
