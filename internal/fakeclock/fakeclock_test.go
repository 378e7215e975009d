package fakeclock

import (
	"testing"
	"time"
)

var start = time.Date(2025, time.March, 14, 12, 0, 0, 0, time.UTC)

func TestAdvance_RunsDueTimersInOrderAndLeavesTheirChildren(t *testing.T) {
	c := New(start)
	var got []string
	c.AfterFunc(2*time.Second, func() { got = append(got, "b") })
	c.AfterFunc(time.Second, func() {
		got = append(got, "a")
		c.AfterFunc(time.Second, func() { got = append(got, "child") })
	})
	stopped := c.AfterFunc(time.Second, func() { got = append(got, "stopped") })
	if !stopped() {
		t.Fatal("stop of a planned timer reported false")
	}
	c.Advance(3 * time.Second)
	if len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("ran %v, want [a b]", got)
	}
	if c.Pending() != 1 {
		t.Fatalf("pending %d, want the child", c.Pending())
	}
	c.Advance(time.Second) // the child was planned from the advanced time
	if len(got) != 3 || got[2] != "child" {
		t.Fatalf("ran %v, want the child next", got)
	}
}

func TestAdvanceThrough_RunsTimersSetByTimersAtTheirTime(t *testing.T) {
	c := New(start)
	var at []time.Duration
	var tick func()
	tick = func() {
		at = append(at, c.Now().Sub(start))
		c.AfterFunc(time.Second, tick)
	}
	c.AfterFunc(time.Second, tick)
	c.AdvanceThrough(3500 * time.Millisecond)
	if len(at) != 3 || at[0] != time.Second || at[2] != 3*time.Second {
		t.Fatalf("ticks at %v, want 1s 2s 3s", at)
	}
	if got := c.Now().Sub(start); got != 3500*time.Millisecond {
		t.Fatalf("now %v, want 3.5s", got)
	}
	c.Skip(time.Hour)
	if len(at) != 3 {
		t.Fatal("Skip ran a timer")
	}
}
