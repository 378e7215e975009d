package session

import (
	"context"
	"slices"
	"testing"
	"time"

	"signet/demo"
)

func TestSubscribe_SeesEveryTransitionInOrderAndASlowSubscriberBlocksNothing(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.controller()
	release := make(chan struct{})
	stuck := c.Subscribe(func(Snapshot) { <-release }) // never returns until the end
	defer stuck()
	defer close(release)

	got := make(chan State, 32)
	cancel := c.Subscribe(func(s Snapshot) { got <- s.State })
	defer cancel()

	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Restore(context.Background())
		if err := c.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
			t.Error(err)
		}
		e.advance(renewDue)
		c.SignOut(context.Background())
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a stuck subscriber blocked the controller")
	}
	want := []State{SignedOut, SigningIn, SignedIn, Refreshing, SignedIn, SignedOut}
	var states []State
	for len(states) < len(want) {
		select {
		case s := <-got:
			if len(states) == 0 || states[len(states)-1] != s {
				states = append(states, s)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("got %v, want %v", states, want)
		}
	}
	if !slices.Equal(states, want) {
		t.Errorf("transitions %v, want %v", states, want)
	}
}

func TestSubscribe_CancelStopsDelivery(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.controller()
	calls := make(chan Snapshot, 8)
	cancel := c.Subscribe(func(s Snapshot) { calls <- s })
	cancel()
	c.Restore(context.Background())
	select {
	case <-calls:
		t.Error("a cancelled subscriber was called")
	case <-time.After(50 * time.Millisecond):
	}
}
