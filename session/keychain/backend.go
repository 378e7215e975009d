package keychain

import "github.com/zalando/go-keyring"

// backend is the part of go-keyring that OS uses. It is an interface so tests
// can put a store behind OS that blocks, fails on a given key, or counts
// calls, without touching go-keyring's process-wide provider.
type backend interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// goKeyring calls go-keyring's package functions, so keyring.MockInit in a
// test reaches OS through it too.
type goKeyring struct{}

func (goKeyring) Get(service, user string) (string, error) {
	return keyring.Get(service, user)
}

func (goKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}

func (goKeyring) Delete(service, user string) error {
	return keyring.Delete(service, user)
}
