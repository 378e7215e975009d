package keychain

import (
	"sync/atomic"
	"time"
)

// Counting passes calls on to another Store and counts them, to measure how
// many keychain calls a sign-in, a refresh or a start-up takes. Every call
// counts, failed ones too.
type Counting struct {
	inner Store
	n     *counters
}

type counters struct{ get, set, delete atomic.Int64 }

// Counts is how many calls of each kind a Counting store has seen.
type Counts struct{ Get, Set, Delete int64 }

// Total is the number of calls of any kind.
func (c Counts) Total() int64 { return c.Get + c.Set + c.Delete }

// NewCounting returns s with its calls counted.
func NewCounting(s Store) *Counting { return &Counting{inner: s, n: &counters{}} }

// Counts returns the calls seen so far.
func (c *Counting) Counts() Counts {
	return Counts{Get: c.n.get.Load(), Set: c.n.set.Load(), Delete: c.n.delete.Load()}
}

// Reset sets the counts back to zero and returns what they were.
func (c *Counting) Reset() Counts {
	return Counts{Get: c.n.get.Swap(0), Set: c.n.set.Swap(0), Delete: c.n.delete.Swap(0)}
}

// Get counts the call and passes it on.
func (c *Counting) Get(key string) (string, error) {
	c.n.get.Add(1)
	return c.inner.Get(key)
}

// Set counts the call and passes it on.
func (c *Counting) Set(key, value string) error {
	c.n.set.Add(1)
	return c.inner.Set(key, value)
}

// Delete counts the call and passes it on.
func (c *Counting) Delete(key string) error {
	c.n.delete.Add(1)
	return c.inner.Delete(key)
}

// WithTimeout returns a Counting store over the inner store's WithTimeout
// variant (or the inner store itself) that adds to the same counts.
func (c *Counting) WithTimeout(d time.Duration) Store {
	return &Counting{inner: WithTimeout(c.inner, d), n: c.n}
}
