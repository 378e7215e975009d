package keychain

import (
	"fmt"
	"maps"
	"sync"
)

// Memory is a Store in a map, for tests. It follows OS's contract (bare
// ErrNotFound, Delete of a missing key is ErrNotFound, '#' is not allowed in
// keys) and can be made to fail, to stand in for a locked or missing
// keychain.
type Memory struct {
	mu      sync.Mutex
	entries map[string]string
	fail    map[Op]error
}

// Op names Memory's operations, to make some of them fail.
type Op uint8

// The operations, combinable with |.
const (
	OpGet Op = 1 << iota
	OpSet
	OpDelete
	AllOps = OpGet | OpSet | OpDelete
)

// NewMemory returns an empty Memory store.
func NewMemory() *Memory {
	return &Memory{entries: map[string]string{}, fail: map[Op]error{}}
}

// FailWith makes every later call return err; nil makes calls work again.
// For a keychain that cannot be used, pass ErrUnavailable or an error that
// wraps it.
func (m *Memory) FailWith(err error) { m.Fail(AllOps, err) }

// Fail makes later calls of the operations in ops return err (nil: work
// again), e.g. Fail(OpSet, ErrUnavailable) for a keychain that reads but
// does not write.
func (m *Memory) Fail(ops Op, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, op := range []Op{OpGet, OpSet, OpDelete} {
		if ops&op == 0 {
			continue
		}
		if err == nil {
			delete(m.fail, op)
		} else {
			m.fail[op] = err
		}
	}
}

// Snapshot returns a copy of what the store holds, for assertions.
func (m *Memory) Snapshot() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.entries)
}

// Get returns the value under key, or ErrNotFound.
func (m *Memory) Get(key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check(OpGet, "get", key); err != nil {
		return "", err
	}
	v, ok := m.entries[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set stores value under key.
func (m *Memory) Set(key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check(OpSet, "set", key); err != nil {
		return err
	}
	m.entries[key] = value
	return nil
}

// Delete removes key, or returns ErrNotFound.
func (m *Memory) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check(OpDelete, "delete", key); err != nil {
		return err
	}
	if _, ok := m.entries[key]; !ok {
		return ErrNotFound
	}
	delete(m.entries, key)
	return nil
}

func (m *Memory) check(op Op, name, key string) error {
	if err := checkKey(key); err != nil {
		return fmt.Errorf("keychain: %s: %w", name, err)
	}
	return m.fail[op]
}
