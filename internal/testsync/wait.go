package testsync

import (
	"testing"
	"time"
)

// Limit is WaitFor's deadline: generous, because CI is a busy 2-core
// machine and -race slows everything; a passing wait returns at once.
const Limit = 10 * time.Second

// every is how often Poll looks: often enough that a test does not wait
// noticeably, rarely enough not to starve the goroutines it waits on.
const every = 2 * time.Millisecond

// Poll calls cond until it holds (true) or limit has passed (false), for
// callers that word their own failure (the state they were still in).
func Poll(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(every) // polling a condition, not timing anything
	}
	return true
}

// WaitFor fails t when cond does not hold within Limit.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !Poll(Limit, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}
