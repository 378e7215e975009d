package keychain

import (
	"errors"
	"testing"
	"time"
)

func TestCounting_CountsEveryCallIncludingFailures(t *testing.T) {
	m := NewMemory()
	c := NewCounting(m)
	mustSet(t, c, "k", "v")
	mustGet(t, c, "k")
	mustGet(t, c, "k")
	m.FailWith(ErrUnavailable)
	if err := c.Delete("k"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Delete error = %v, want the inner store's error", err)
	}

	if got, want := c.Counts(), (Counts{Get: 2, Set: 1, Delete: 1}); got != want {
		t.Fatalf("Counts = %+v, want %+v", got, want)
	}
	if got := c.Counts().Total(); got != 4 {
		t.Fatalf("Total = %d, want 4", got)
	}
}

func TestCounting_ResetReturnsAndClearsCounts(t *testing.T) {
	c := NewCounting(NewMemory())
	mustSet(t, c, "k", "v")
	if got := c.Reset(); got.Set != 1 {
		t.Fatalf("Reset returned %+v, want Set 1", got)
	}
	if got := c.Counts(); got.Total() != 0 {
		t.Fatalf("Counts after Reset = %+v, want zero", got)
	}
}

func TestCounting_WithTimeoutPassesTheTimeoutOnAndSharesCounts(t *testing.T) {
	s, _, clock := newTestOS(Options{})
	c := NewCounting(s)

	long := WithTimeout(c, time.Minute)
	mustSet(t, long, "k", "v")
	if got := clock.lastDuration(t); got != time.Minute {
		t.Fatalf("Set through WithTimeout used a %s timer, want 1m", got)
	}
	mustGet(t, c, "k")

	if got := c.Counts(); got != (Counts{Get: 1, Set: 1}) {
		t.Fatalf("Counts = %+v, want one Get and one Set", got)
	}
}
