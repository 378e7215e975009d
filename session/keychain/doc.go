// Package keychain is a thin, honest wrapper around go-keyring for Signet's
// secrets: every call is bounded by a timeout, values too long for some
// platforms are stored in chunks, and every way the OS keychain can be
// missing (no D-Bus session bus, a locked collection, no Secret Service, a
// call that never returns) is reported as ErrUnavailable.
package keychain
