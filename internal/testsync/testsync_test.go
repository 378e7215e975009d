package testsync

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPoll_TrueOnceTheConditionHoldsFalseAtTheDeadline(t *testing.T) {
	var n atomic.Int32
	go func() {
		for range 3 {
			n.Add(1)
		}
	}()
	if !Poll(Limit, func() bool { return n.Load() == 3 }) {
		t.Fatal("Poll gave up on a condition that came true")
	}
	start := time.Now()
	if Poll(20*time.Millisecond, func() bool { return false }) {
		t.Fatal("Poll reported a condition that never held")
	}
	if waited := time.Since(start); waited < 20*time.Millisecond {
		t.Fatalf("Poll gave up after %v, before its limit", waited)
	}
}

func TestBuffer_TakesConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() { fmt.Fprintf(&b, "%d\n", i) })
	}
	wg.Wait()
	if got := len(b.String()); got != 16 {
		t.Fatalf("%d bytes written, want 16", got)
	}
}
