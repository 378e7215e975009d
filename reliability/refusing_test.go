package reliability

import (
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"signet/session/keychain"
)

// errRefused is a keychain refusing one call, as gnome-keyring on a busy
// machine now and then does ("failed to unlock correct collection"): an
// answer, at once, not a timeout.
var errRefused = errors.New("keychain: the call was refused")

// refusingStore refuses about one call in every `every` of its inner
// store's (a seeded random choice, so a run can be replayed), so the kill
// loop meets a keychain that refuses a read, a write or a delete at any
// step, not only on a loaded machine.
type refusingStore struct {
	inner keychain.Store
	dice  *dice // shared with WithTimeout's copies
	log   *slog.Logger
	// wrote, when set, hears each write's outcome (refused or failed:
	// false) before the caller does.
	wrote func(ok bool)
}

type dice struct {
	every int
	mu    sync.Mutex
	rng   *rand.Rand
}

func newRefusingStore(inner keychain.Store, every int, seed uint64, log *slog.Logger) *refusingStore {
	return &refusingStore{inner: inner, dice: &dice{every: every, rng: rand.New(rand.NewPCG(seed, 1))}, log: log}
}

func (s *refusingStore) refuse(op string) bool {
	d := s.dice
	d.mu.Lock()
	no := d.rng.IntN(d.every) == 0
	d.mu.Unlock()
	if no {
		s.log.Info("test keychain refuses", "op", op)
	}
	return no
}

func (s *refusingStore) Get(key string) (string, error) {
	if s.refuse("get") {
		return "", errRefused
	}
	return s.inner.Get(key)
}

func (s *refusingStore) Set(key, value string) error {
	err := errRefused
	if !s.refuse("set") {
		err = s.inner.Set(key, value)
	}
	if s.wrote != nil {
		s.wrote(err == nil)
	}
	return err
}

func (s *refusingStore) Delete(key string) error {
	if s.refuse("delete") {
		return errRefused
	}
	return s.inner.Delete(key)
}

func (s *refusingStore) WithTimeout(d time.Duration) keychain.Store {
	return &refusingStore{inner: keychain.WithTimeout(s.inner, d), dice: s.dice, log: s.log, wrote: s.wrote}
}
