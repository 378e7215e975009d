package session

import (
	"sync/atomic"
	"testing"
	"time"

	"signet/internal/testsync"
	"signet/session/keychain"
)

// blockingSetStore holds Set, once armed, until released.
type blockingSetStore struct {
	*keychain.Memory
	armed   atomic.Bool
	entered chan struct{}
	release chan struct{}
}

func (s *blockingSetStore) Set(key, value string) error {
	if s.armed.Swap(false) {
		s.entered <- struct{}{}
		<-s.release
	}
	return s.Memory.Set(key, value)
}

// A sign-out that lands while a renewal is writing the keychain ends the
// session; the renewal, finding its session gone, returns without
// installing its tokens (and without hanging on the controller's lock).
func TestRefresh_SignOutDuringKeychainWriteEndsBoth(t *testing.T) {
	e := newEnv(t, envOpts{})
	kc := &blockingSetStore{Memory: e.kc, entered: make(chan struct{}, 1), release: make(chan struct{})}
	c := e.signedIn(func(cfg *Config) { cfg.Keychain = kc })
	kc.armed.Store(true)
	e.clock.Skip(2 * time.Minute) // dead: the next call renews first

	fetched := make(chan error, 1)
	go func() { fetched <- fetch(c) }()
	select {
	case <-kc.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the renewal never wrote the keychain")
	}
	c.mu.Lock()
	gen := c.gen
	c.mu.Unlock()
	signedOut := make(chan struct{})
	go func() { c.SignOut(t.Context()); close(signedOut) }()
	// Sign-out has ended the session in memory and now waits for the write.
	testsync.WaitFor(t, "sign-out to start", func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.gen != gen
	})
	close(kc.release)

	select {
	case err := <-fetched:
		if err == nil {
			t.Error("the call succeeded after sign-out")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the renewal hung after sign-out")
	}
	select {
	case <-signedOut:
	case <-time.After(10 * time.Second):
		t.Fatal("sign-out hung")
	}
	if s := c.Snapshot(); s.State != SignedOut {
		t.Errorf("state %v, want SignedOut", s.State)
	}
	if _, ok := e.stored(); ok {
		t.Error("the keychain still holds a session after sign-out")
	}
}
