package keychain

import "time"

// TimeoutStore is a Store whose calls are bounded by a timeout that can be
// lengthened, for calls made while the user is signing in and an unlock
// prompt may be on screen (rule R2). *OS and *Counting implement it.
type TimeoutStore interface {
	Store
	WithTimeout(d time.Duration) Store
}

// WithTimeout returns s with its calls bounded by d if s supports that, and
// s itself otherwise (a Memory store has nothing to wait for).
func WithTimeout(s Store, d time.Duration) Store {
	if ts, ok := s.(TimeoutStore); ok {
		return ts.WithTimeout(d)
	}
	return s
}
