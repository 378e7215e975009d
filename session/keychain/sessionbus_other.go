//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package keychain

// sessionBusCheck has nothing to check where go-keyring does not use D-Bus
// (macOS, Windows): the OS keychain is a system service there.
func sessionBusCheck() error { return nil }
