package bench

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// These are the count halves of figures 1 and 2: what the server sees, on
// an injected clock, so they run in `make test` in a few seconds. The timed
// halves are the benchmarks in coalesce_test.go and steady_test.go.

// fetchConcurrently makes n list calls at once and returns their errors.
func fetchConcurrently(e *env, n int) []error {
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errs  = make([]error, n)
	)
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = e.ctrl.FetchList(context.Background(), "Items", 0, 10, "")
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func firstError(errs []error) error {
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("call %d: %w", i, err)
		}
	}
	return nil
}

func TestCoalescing_ExpiredTokenIsRefreshedOnceForAllConcurrentCalls(t *testing.T) {
	// 1000 runs in the benchmark; under the race detector's goroutine
	// limit, 100 is the most a test can start safely.
	for _, n := range []int{10, 100} {
		t.Run(fmt.Sprintf("N=%d/expiry known", n), func(t *testing.T) {
			clock := newFakeClock()
			e := newEnv(t, envConfig{TokenTTL: 5 * time.Second,
				ServerNow: clock.Now, ClientNow: clock.Now, AfterFunc: neverFires})
			e.srv.ResetStats()
			clock.Skip(6 * time.Second) // dead for both sides

			if err := firstError(fetchConcurrently(e, n)); err != nil {
				t.Fatal(err)
			}
			st := e.srv.Stats()
			if refreshRequests(st) != 1 || st.Refreshes != 1 {
				t.Errorf("server saw %d refresh requests (%d succeeded), want exactly 1", refreshRequests(st), st.Refreshes)
			}
			if st.Unauthorized != 0 {
				t.Errorf("server answered %d 401s; the expiry was known, so none should have gone out", st.Unauthorized)
			}
			if st.ListCalls != int64(n) {
				t.Errorf("server served %d list calls, want %d", st.ListCalls, n)
			}
		})
		t.Run(fmt.Sprintf("N=%d/server says 401", n), func(t *testing.T) {
			server, client := newFakeClock(), newFakeClock()
			e := newEnv(t, envConfig{TokenTTL: 5 * time.Second,
				ServerNow: server.Now, ClientNow: client.Now, AfterFunc: neverFires})
			e.srv.ResetStats()
			server.Skip(6 * time.Second) // dead for the server only: every first try gets a 401

			if err := firstError(fetchConcurrently(e, n)); err != nil {
				t.Fatal(err)
			}
			st := e.srv.Stats()
			if refreshRequests(st) != 1 {
				t.Errorf("server saw %d refresh requests, want exactly 1", refreshRequests(st))
			}
			if st.Unauthorized < 1 || st.Unauthorized > int64(n) {
				t.Errorf("server answered %d 401s, want between 1 and %d (each call at most once)", st.Unauthorized, n)
			}
			if st.ListCalls != int64(n) {
				t.Errorf("server served %d list calls, want %d", st.ListCalls, n)
			}
		})
	}
}

func TestSteadyPolling_RenewsAheadOfExpiryWithoutA401(t *testing.T) {
	const (
		ttl      = 5 * time.Second
		every    = 500 * time.Millisecond
		duration = 60 * time.Second
		polls    = int(duration / every)
	)
	clock := newFakeClock()
	e := newEnv(t, envConfig{TokenTTL: ttl, ServerNow: clock.Now, ClientNow: clock.Now, AfterFunc: clock.AfterFunc})
	e.srv.ResetStats()
	e.kc.Reset()

	for i := range polls {
		clock.AdvanceThrough(every) // runs the proactive refresh when it falls due
		if _, err := e.ctrl.FetchList(context.Background(), "Items", 0, 10, ""); err != nil {
			t.Fatalf("poll %d at %v: %v", i, time.Duration(i+1)*every, err)
		}
	}

	st := e.srv.Stats()
	if st.Unauthorized != 0 {
		t.Errorf("server answered %d 401s, want 0: the token must be renewed before it dies", st.Unauthorized)
	}
	if st.ListCalls != int64(polls) {
		t.Errorf("server served %d list calls, want %d", st.ListCalls, polls)
	}
	// At least one renewal per lifetime (else a poll would have used a
	// dead token), at most one per half lifetime (the session's largest
	// margin for short tokens): anything more means renewing per call.
	lo, hi := int64(duration/ttl), int64(2*duration/ttl)
	if st.Refreshes < lo || st.Refreshes > hi || st.RefreshRefused != 0 {
		t.Errorf("server saw %d refreshes (%d refused), want %d..%d and none refused", st.Refreshes, st.RefreshRefused, lo, hi)
	}
	// Figure 6: a refresh re-reads the one keychain entry (another copy of
	// the app may have rotated it) and writes it once; nothing else.
	kc := e.kc.Counts()
	if kc.Set != st.Refreshes || kc.Get > st.Refreshes || kc.Delete != 0 {
		t.Errorf("keychain calls for %d refreshes: %+v, want at most one read and exactly one write per refresh", st.Refreshes, kc)
	}
	t.Logf("%d polls over %v with a %v token: %d refreshes, %d 401s, keychain %+v",
		polls, duration, ttl, st.Refreshes, st.Unauthorized, kc)
}
