package session

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"signet/api"
)

// In this package's tests a state change the diagram doesn't have panics.
func init() {
	refusedTransition = func(_ *Controller, from, to State) { panic(errRefused(from, to)) }
}

// diagram is docs/design.md's "Session states", arrow by arrow, written out
// apart from the table in state.go so that each checks the other.
var diagram = map[[2]State]bool{
	{Restoring, SignedOut}: true, {Restoring, SignedIn}: true, {Restoring, Refreshing}: true, {Restoring, Expired}: true,
	{SignedOut, SignedOut}: true, {SignedOut, SigningIn}: true,
	{SigningIn, SignedOut}: true, {SigningIn, SignedIn}: true, {SigningIn, Expired}: true,
	{SignedIn, SignedOut}: true, {SignedIn, Refreshing}: true, {SignedIn, Expired}: true,
	{Refreshing, SignedOut}: true, {Refreshing, SignedIn}: true, {Refreshing, Offline}: true, {Refreshing, Expired}: true,
	{Offline, SignedOut}: true, {Offline, Refreshing}: true, {Offline, Expired}: true,
	{Expired, SignedOut}: true, {Expired, SigningIn}: true,
}

var allStates = []State{Restoring, SignedOut, SigningIn, SignedIn, Refreshing, Offline, Expired}

func tableController(t *testing.T, logs *strings.Builder) *Controller {
	t.Helper()
	client, err := api.New(api.Config{Profile: api.DemoProfile("http://127.0.0.1:1")})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Client: client, Prefs: NewMemoryPreferences(), Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// Every arrow of the diagram is taken, every other change is refused and
// leaves the state as it was.
func TestState_TransitionTableMatchesDiagram(t *testing.T) {
	var logs strings.Builder
	c := tableController(t, &logs)
	taken := 0
	for _, from := range allStates {
		for _, to := range allStates {
			t.Run(fmt.Sprintf("%v→%v", from, to), func(t *testing.T) {
				c.mu.Lock()
				defer c.mu.Unlock()
				c.snap.State = from
				var refused any
				func() {
					defer func() { refused = recover() }()
					c.transitionLocked(to)
				}()
				switch {
				case diagram[[2]State{from, to}]:
					if refused != nil || c.snap.State != to {
						t.Fatalf("refused an arrow of the diagram: %v", refused)
					}
					taken++
				case refused == nil:
					t.Fatalf("took a change the diagram doesn't have (state now %v)", c.snap.State)
				case c.snap.State != from:
					t.Fatalf("a refused change moved the state to %v", c.snap.State)
				}
			})
		}
	}
	if taken != len(diagram) {
		t.Errorf("took %d arrows, the diagram has %d", taken, len(diagram))
	}
}

// Outside the tests a refused change is logged at error level and the
// state is kept.
func TestState_RefusedTransitionLogsAndKeepsState(t *testing.T) {
	var logs strings.Builder
	c := tableController(t, &logs)
	saved := refusedTransition
	defer func() { refusedTransition = saved }()
	refusedTransition = logRefusedTransition
	c.mu.Lock()
	c.snap.State = SignedOut
	ok := c.transitionLocked(Offline)
	st := c.snap.State
	c.mu.Unlock()
	if ok || st != SignedOut {
		t.Errorf("transition to Offline from SignedOut: ok=%v, state %v", ok, st)
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "from=SignedOut to=Offline") {
		t.Errorf("not logged at error level: %q", logs.String())
	}
}
