package keychain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

const (
	// DefaultTimeout bounds a call when Options.Timeout is zero: long
	// enough for a Secret Service round trip (5–20 ms) and a busy machine,
	// short enough that a hung keychain does not freeze start-up.
	DefaultTimeout = 3 * time.Second
	// PromptTimeout is a suggested limit for calls made while the user is
	// at the window signing in, when the OS may show an unlock prompt and
	// wait for them to type a password. Use it with WithTimeout.
	PromptTimeout = 2 * time.Minute
	// DefaultChunkSize is the longest value stored in one piece when
	// Options.ChunkSize is zero. Windows refuses secrets over 2560 bytes;
	// on macOS go-keyring base64-encodes the value into a command line
	// limited to 4096 bytes.
	DefaultChunkSize = 2000
)

// Options tune an OS store. The zero value gives the defaults.
type Options struct {
	// Timeout bounds each Get, Set and Delete, including the several
	// keychain calls a chunked value takes. Zero means DefaultTimeout.
	Timeout time.Duration
	// ChunkSize is the longest value, in bytes, stored in one piece; longer
	// ones are stored in chunks of at most this size. Zero means
	// DefaultChunkSize; values under 16 are raised to 16.
	ChunkSize int
}

// OS is the Store backed by the operating system's keychain through
// go-keyring: the Secret Service over D-Bus on Linux and the BSDs, the login
// keychain on macOS, the Credential Manager on Windows.
//
// Calls on one OS store (and on the stores its WithTimeout returns) run one
// at a time, so the several keychain calls a chunked value takes never
// interleave within the process. Use one OS store per service.
//
// What OS adds to go-keyring:
//   - every call is bounded by a timeout (*TimeoutError, which is
//     ErrUnavailable);
//   - on Linux, no call is made when there is no D-Bus session bus;
//   - errors are mapped to ErrNotFound / ErrUnavailable and never quote a
//     value;
//   - values over the chunk size are stored in chunks (see chunk.go).
//
// It does not remember that the keychain was unavailable. Each call asks
// again, because the usual reasons go away while the app runs (the user
// unlocks the keychain, the daemon finishes starting), and a remembered
// "unavailable" would keep the session memory only after that. What a cache
// would protect against, calls piling up on a keychain that hangs, cannot
// happen here: a call that timed out keeps the keychain busy, and later
// calls wait for it within their own timeout instead of starting new work.
// Failing calls that do return, return fast: the session-bus check is an
// environment lookup and a stat, and a missing Secret Service answers in
// milliseconds.
type OS struct {
	c       *shared
	timeout time.Duration
}

// shared is the part of an OS store that its WithTimeout variants share.
type shared struct {
	service   string
	chunkSize int
	backend   backend
	busCheck  func() error
	timer     func(time.Duration) (<-chan time.Time, func() bool)
	// busy holds a token while a call is talking to the keychain.
	busy chan struct{}
}

// NewOS returns the OS keychain store for service, the app ID.
func NewOS(service string, opts Options) *OS {
	return newOS(service, opts, goKeyring{}, sessionBusCheck, realTimer)
}

func newOS(service string, opts Options, b backend, busCheck func() error, timer func(time.Duration) (<-chan time.Time, func() bool)) *OS {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	switch {
	case opts.ChunkSize <= 0:
		opts.ChunkSize = DefaultChunkSize
	case opts.ChunkSize < minChunkSize:
		opts.ChunkSize = minChunkSize
	}
	return &OS{
		c: &shared{
			service:   service,
			chunkSize: opts.ChunkSize,
			backend:   b,
			busCheck:  busCheck,
			timer:     timer,
			busy:      make(chan struct{}, 1),
		},
		timeout: opts.Timeout,
	}
}

func realTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// WithTimeout returns a store for the same keychain whose calls may take up
// to d (a d of zero or less keeps this store's timeout). Use it for calls
// made while the user is signing in: an unlock prompt may be on screen.
func (o *OS) WithTimeout(d time.Duration) Store {
	if d <= 0 {
		d = o.timeout
	}
	return &OS{c: o.c, timeout: d}
}

// Get returns the value stored under key, or ErrNotFound.
func (o *OS) Get(key string) (string, error) {
	return run(o, "get", key, func() (string, error) { return o.c.get(key) })
}

// Set stores value under key, replacing what was there.
func (o *OS) Set(key, value string) error {
	_, err := run(o, "set", key, func() (struct{}, error) { return struct{}{}, o.c.set(key, value) })
	return err
}

// Delete removes key and its chunks. It returns ErrNotFound if there was
// nothing to remove.
func (o *OS) Delete(key string) error {
	_, err := run(o, "delete", key, func() (struct{}, error) { return struct{}{}, o.c.delete(key) })
	return err
}

// probeKey is an entry that is never written; reading it exercises the
// whole path to the keychain.
const probeKey = "signet-keychain-probe"

// Available reports whether the keychain can be used now: nil, or an error
// that is ErrUnavailable (or, rarely, another failure). It costs one
// keychain read. On Linux the read unlocks the collection first, so on a
// locked keychain it may show an unlock prompt; give it a longer timeout
// (WithTimeout) where that is expected.
func (o *OS) Available() error {
	_, err := o.Get(probeKey)
	if err == nil || errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// run does fn within o's timeout, at most one call on the keychain at a
// time. fn runs on its own goroutine so the caller can give up on it; the
// channel it answers on is buffered so it can finish and exit even then.
func run[T any](o *OS, op, key string, fn func() (T, error)) (T, error) {
	var zero T
	if err := checkKey(key); err != nil {
		return zero, fmt.Errorf("keychain: %s: %w", op, err)
	}
	if err := o.c.busCheck(); err != nil {
		return zero, fmt.Errorf("keychain: %s %q: %w: %w", op, key, ErrUnavailable, err)
	}
	expired, stop := o.c.timer(o.timeout)
	defer stop()

	select {
	case o.c.busy <- struct{}{}:
	case <-expired:
		return zero, &TimeoutError{Op: op, Key: key, Timeout: o.timeout, Queued: true}
	}

	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-o.c.busy }()
		v, err := fn()
		done <- result{v, err}
	}()

	select {
	case r := <-done:
		return r.v, r.err
	case <-expired:
		return zero, &TimeoutError{Op: op, Key: key, Timeout: o.timeout}
	}
}

// checkKey rejects keys this package cannot store faithfully: '#' is how
// chunk keys are told apart from their entry.
func checkKey(key string) error {
	if key == "" {
		return errors.New("empty key")
	}
	if strings.Contains(key, "#") {
		return fmt.Errorf("key %q contains '#', which is reserved for chunks", key)
	}
	return nil
}
