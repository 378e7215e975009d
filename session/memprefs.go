package session

import (
	"maps"
	"sync"
)

// MemoryPreferences is an in-memory Preferences, safe for concurrent use.
// Tests use it, and share one between Controllers to imitate a restart.
type MemoryPreferences struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemoryPreferences returns empty preferences.
func NewMemoryPreferences() *MemoryPreferences {
	return &MemoryPreferences{m: map[string]string{}}
}

func (p *MemoryPreferences) String(key string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[key]
}

func (p *MemoryPreferences) SetString(key, value string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[key] = value
}

func (p *MemoryPreferences) RemoveValue(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, key)
}

// All returns a copy of every key and value, so a test can check that no
// secret was stored.
func (p *MemoryPreferences) All() map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.m)
}
