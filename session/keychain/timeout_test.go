package keychain

import (
	"errors"
	"testing"
	"time"
)

func TestOS_CallThatHangsTimesOutAsUnavailable(t *testing.T) {
	s, b, clock := newTestOS(Options{Timeout: 5 * time.Second})
	entered, release := b.hang()
	defer release()

	errc := make(chan error, 1)
	go func() { _, err := s.Get("k"); errc <- err }()
	<-entered
	clock.expire()
	err := <-errc

	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Get error = %v, want a *TimeoutError that is ErrUnavailable", err)
	}
	if te.Op != "get" || te.Key != "k" || te.Timeout != 5*time.Second || te.Queued {
		t.Fatalf("TimeoutError = %+v", te)
	}
	if got := clock.lastDuration(t); got != 5*time.Second {
		t.Fatalf("timer set for %s, want 5s", got)
	}
}

func TestOS_CallsWaitForAHungCallInsteadOfPilingOnTheKeychain(t *testing.T) {
	s, b, clock := newTestOS(Options{})
	entered, release := b.hang()
	defer release()

	first := make(chan error, 1)
	go func() { first <- s.Set("k", "v") }()
	<-entered
	clock.expire()
	if err := <-first; !errors.Is(err, ErrUnavailable) {
		t.Fatalf("first Set error = %v, want a timeout", err)
	}

	// The first call is still stuck in the keychain: the second waits its
	// turn and times out without reaching the backend.
	second := make(chan error, 1)
	go func() { _, err := s.Get("k"); second <- err }()
	clock.expire()
	var te *TimeoutError
	if err := <-second; !errors.As(err, &te) || !te.Queued {
		t.Fatalf("second call error = %v, want a queued *TimeoutError", err)
	}
	if _, calls := b.snapshot(); len(calls) != 1 {
		t.Fatalf("backend calls = %q, want only the hung one", calls)
	}

	// Once the hung call returns, the keychain is usable again at once,
	// and the late write did land.
	release()
	if got := mustGet(t, s, "k"); got != "v" {
		t.Fatalf("Get = %q, want v", got)
	}
}

func TestOS_WithTimeoutLengthensCallsAndSharesTheKeychain(t *testing.T) {
	s, b, clock := newTestOS(Options{Timeout: time.Second})
	long := s.WithTimeout(2 * time.Minute)

	mustSet(t, long, "k", "v")
	if got := clock.lastDuration(t); got != 2*time.Minute {
		t.Fatalf("WithTimeout store's timer = %s, want 2m", got)
	}
	if got := mustGet(t, s, "k"); got != "v" {
		t.Fatalf("original store reads %q, want v", got)
	}
	if got := clock.lastDuration(t); got != time.Second {
		t.Fatalf("original store's timer = %s, want 1s", got)
	}

	// One keychain, one call at a time, whichever variant asks.
	entered, release := b.hang()
	defer release()
	go func() { _ = s.Delete("k") }()
	<-entered
	clock.expire()
	errc := make(chan error, 1)
	go func() { _, err := long.Get("k"); errc <- err }()
	clock.expire()
	var te *TimeoutError
	if err := <-errc; !errors.As(err, &te) || !te.Queued || te.Timeout != 2*time.Minute {
		t.Fatalf("long Get error = %v, want a queued 2m *TimeoutError", err)
	}
}

func TestWithTimeout_LeavesStoresWithoutTimeoutsAlone(t *testing.T) {
	m := NewMemory()
	if got := WithTimeout(m, time.Minute); got != Store(m) {
		t.Fatalf("WithTimeout(Memory) = %T, want the Memory store itself", got)
	}
	s, _, clock := newTestOS(Options{})
	mustSet(t, WithTimeout(s, 42*time.Second), "k", "v")
	if got := clock.lastDuration(t); got != 42*time.Second {
		t.Fatalf("timer = %s, want 42s", got)
	}
}

func TestOS_WallClockTimerBoundsAHungCall(t *testing.T) {
	b := newFakeBackend()
	_, release := b.hang()
	defer release()
	s := newOS("signet-test", Options{Timeout: 20 * time.Millisecond}, b, noBusCheck, realTimer)

	start := time.Now()
	_, err := s.Get("k")

	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("Get error = %v, want *TimeoutError", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("Get returned after %s, want about 20ms", elapsed)
	}
}
