package keychain

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// fakeBackend is an in-memory go-keyring for OS's tests. Unlike
// keyring.MockInit it is safe for concurrent use, belongs to one test, and
// can fail on a chosen call or block until released.
type fakeBackend struct {
	mu     sync.Mutex
	items  map[string]string // by user (key); one service per fake
	calls  []string          // "set k#1", in order
	failOn map[string]error  // by "op key"
	block  chan struct{}     // when set, every call waits for it to close
	// onCall, when set, is called with "op key" as each call starts.
	onCall func(call string)
	// echo makes a failing Set quote the value it was given, as a
	// careless library might.
	echo bool
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{items: map[string]string{}, failOn: map[string]error{}}
}

func (f *fakeBackend) start(op, user string) error {
	call := op + " " + user
	f.mu.Lock()
	f.calls = append(f.calls, call)
	block, onCall, err := f.block, f.onCall, f.failOn[call]
	f.mu.Unlock()
	if onCall != nil {
		onCall(call)
	}
	if block != nil {
		<-block
	}
	return err
}

func (f *fakeBackend) Get(_, user string) (string, error) {
	if err := f.start("get", user); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.items[user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeBackend) Set(_, user, password string) error {
	if err := f.start("set", user); err != nil {
		if f.echo {
			return fmt.Errorf("could not store %q: %w", password, err)
		}
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items[user] = password
	return nil
}

func (f *fakeBackend) Delete(_, user string) error {
	if err := f.start("delete", user); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.items[user]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.items, user)
	return nil
}

// hang makes every later call block until the returned function is called,
// and returns a channel that receives "op key" as each call starts.
func (f *fakeBackend) hang() (entered <-chan string, release func()) {
	ch, gate := make(chan string, 16), make(chan struct{})
	f.mu.Lock()
	f.block, f.onCall = gate, func(call string) { ch <- call }
	f.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			f.mu.Lock()
			f.block, f.onCall = nil, nil
			f.mu.Unlock()
			close(gate)
		})
	}
}

func (f *fakeBackend) fail(call string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failOn[call] = err
}

// snapshot returns the stored items and the calls made since the last
// snapshot.
func (f *fakeBackend) snapshot() (items map[string]string, calls []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	items = make(map[string]string, len(f.items))
	for k, v := range f.items {
		items[k] = v
	}
	calls, f.calls = f.calls, nil
	return items, calls
}

// fakeClock hands every call the same timer channel: a send on fire expires
// the one call waiting on it, and returns only once a call has taken it.
type fakeClock struct {
	fire chan time.Time

	mu        sync.Mutex
	durations []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{fire: make(chan time.Time)} }

func (c *fakeClock) timer(d time.Duration) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	c.durations = append(c.durations, d)
	c.mu.Unlock()
	return c.fire, func() bool { return true }
}

func (c *fakeClock) expire() { c.fire <- time.Now() }

func (c *fakeClock) lastDuration(t *testing.T) time.Duration {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.durations) == 0 {
		t.Fatal("no timer was started")
	}
	return c.durations[len(c.durations)-1]
}

func noBusCheck() error { return nil }

// newTestOS returns an OS store over a fake backend and a fake clock whose
// timers only expire when the test says so.
func newTestOS(opts Options) (*OS, *fakeBackend, *fakeClock) {
	b, clock := newFakeBackend(), newFakeClock()
	return newOS("signet-test", opts, b, noBusCheck, clock.timer), b, clock
}
