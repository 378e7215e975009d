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

// kcFault is what refusingStore does to one call.
type kcFault int

const (
	kcOK     kcFault = iota
	refused          // errRefused, the call not made
	lostCall         // a timeout; the call never reached the keychain
	lateCall         // a timeout; the call reached the keychain all the same
)

// refusingStore fails about one call in every `every` of its inner
// store's (a seeded random choice, so a run can be replayed), so the kill
// loop meets a keychain that refuses a read, a write or a delete at any
// step, not only on a loaded machine. Half the failures are refusals; the
// others are timeouts (*keychain.TimeoutError, at once, to keep the loop
// fast), and half of those let the call land: a write or delete that timed
// out may still happen (design R14).
type refusingStore struct {
	inner keychain.Store
	dice  *dice // shared with WithTimeout's copies
	log   *slog.Logger
	// mayLeave, when set, hears before the caller does of each call after
	// which the session may be memory only (a write that failed, a read
	// that timed out: design R2, R3) or is saved again (a write that
	// worked): keep is false for the first, true for the second.
	mayLeave func(keep bool)
}

type dice struct {
	every int
	mu    sync.Mutex
	rng   *rand.Rand
}

func newRefusingStore(inner keychain.Store, every int, seed uint64, log *slog.Logger) *refusingStore {
	return &refusingStore{inner: inner, dice: &dice{every: every, rng: rand.New(rand.NewPCG(seed, 1))}, log: log}
}

func (s *refusingStore) roll(op string) kcFault {
	d := s.dice
	d.mu.Lock()
	f := kcOK
	if d.rng.IntN(d.every) == 0 {
		f = []kcFault{refused, refused, lostCall, lateCall}[d.rng.IntN(4)]
	}
	d.mu.Unlock()
	if f != kcOK {
		s.log.Info("test keychain fails a call", "op", op, "how", f)
	}
	return f
}

// do runs call under the fault rolled for op.
func (s *refusingStore) do(op, key string, call func() error) error {
	timeout := &keychain.TimeoutError{Op: op, Key: key, Timeout: time.Second}
	switch s.roll(op) {
	case refused:
		return errRefused
	case lostCall:
		return timeout
	case lateCall:
		_ = call()
		return timeout
	}
	return call()
}

func (s *refusingStore) Get(key string) (v string, err error) {
	err = s.do("get", key, func() error { v, err = s.inner.Get(key); return err })
	var te *keychain.TimeoutError
	if errors.As(err, &te) && s.mayLeave != nil {
		s.mayLeave(false)
	}
	if err != nil {
		v = ""
	}
	return v, err
}

func (s *refusingStore) Set(key, value string) error {
	err := s.do("set", key, func() error { return s.inner.Set(key, value) })
	if s.mayLeave != nil {
		s.mayLeave(err == nil)
	}
	return err
}

func (s *refusingStore) Delete(key string) error {
	return s.do("delete", key, func() error { return s.inner.Delete(key) })
}

func (s *refusingStore) WithTimeout(d time.Duration) keychain.Store {
	return &refusingStore{inner: keychain.WithTimeout(s.inner, d), dice: s.dice, log: s.log, mayLeave: s.mayLeave}
}
