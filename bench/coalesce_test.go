package bench

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"signet/demo"
)

// Figure 1: N concurrent calls on an expired token, against the demo with a
// refresh that takes 50 ms. Each op is one batch of N calls; ns/op is the
// batch's wall time. The rows:
//
//	live     the baseline: the same batch with a live token
//	expired  the token is dead when the batch starts (Signet's session)
//	naive    the same, through naiveTransport (per-request refresh)
//
// and, once, refresh-alone: one refresh call on its own (api.Client.Refresh,
// no session), the "one refresh latency" of the budget, measured on the same
// backend rather than assumed to be the 50 ms delay.
//
// Budget: refresh requests = 1 for every N; expired ≤ 1.2 × live + one
// refresh latency.

const (
	coalesceRefreshDelay = 50 * time.Millisecond
	coalesceTTL          = time.Hour
)

var coalesceN = []int{10, 100, 1000}

func BenchmarkRefreshCoalescing(b *testing.B) {
	b.Run("refresh-alone", benchRefreshAlone)
	for _, n := range coalesceN {
		b.Run(fmt.Sprintf("N=%d/live", n), func(b *testing.B) { benchCoalescing(b, n, false) })
		b.Run(fmt.Sprintf("N=%d/expired", n), func(b *testing.B) { benchCoalescing(b, n, true) })
		b.Run(fmt.Sprintf("N=%d/naive", n), func(b *testing.B) { benchNaive(b, n) })
	}
}

func benchCoalescing(b *testing.B, n int, expire bool) {
	clock := &offsetClock{}
	e := newEnv(b, envConfig{TokenTTL: coalesceTTL, RefreshDelay: coalesceRefreshDelay,
		ServerNow: clock.Now, ClientNow: clock.Now, AfterFunc: neverFires})
	warm(b, e, n)
	e.srv.ResetStats()
	failed := 0
	b.ResetTimer()
	for range b.N {
		if expire {
			b.StopTimer()
			clock.Jump(coalesceTTL + time.Minute) // the token is now dead on both sides
			b.StartTimer()
		}
		for _, err := range fetchConcurrently(e, n) {
			if err != nil {
				failed++
			}
		}
	}
	b.StopTimer()
	reportServer(b, e.srv.Stats(), failed)
}

func benchNaive(b *testing.B, n int) {
	clock := &offsetClock{}
	e := newEnv(b, envConfig{TokenTTL: coalesceTTL, RefreshDelay: coalesceRefreshDelay,
		ServerNow: clock.Now, ClientNow: clock.Now, AfterFunc: neverFires})
	naive := &naiveTransport{client: e.client, base: e.transport, now: clock.Now}
	hc := &http.Client{Transport: naive}
	warm(b, e, n)
	var stats demo.Stats
	failed := 0
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		// The previous batch spent rotated refresh tokens and got the
		// session revoked: start each batch from a fresh sign-in.
		res, err := e.client.Login(context.Background(), demo.DemoUsername, demo.DemoPassword)
		if err != nil {
			b.Fatal(err)
		}
		naive.tokens = res.Tokens
		clock.Jump(coalesceTTL + time.Minute)
		e.srv.ResetStats()
		b.StartTimer()

		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				<-start
				_, errs[i] = e.client.FetchList(context.Background(), hc, "Items", 0, 10, "")
			})
		}
		close(start)
		wg.Wait()

		b.StopTimer()
		for _, err := range errs {
			if err != nil {
				failed++
			}
		}
		s := e.srv.Stats()
		stats.Refreshes += s.Refreshes
		stats.RefreshRefused += s.RefreshRefused
		stats.Unauthorized += s.Unauthorized
		stats.ListCalls += s.ListCalls
		b.StartTimer()
	}
	b.StopTimer()
	reportServer(b, stats, failed)
}

func benchRefreshAlone(b *testing.B) {
	e := newEnv(b, envConfig{TokenTTL: coalesceTTL, RefreshDelay: coalesceRefreshDelay})
	res, err := e.client.Login(context.Background(), demo.DemoUsername, demo.DemoPassword)
	if err != nil {
		b.Fatal(err)
	}
	tok := res.Tokens
	for b.Loop() {
		// The demo rotates refresh tokens: always spend the newest.
		if tok, err = e.client.Refresh(context.Background(), tok.RefreshToken); err != nil {
			b.Fatal(err)
		}
	}
}

// warm opens the connections the batch needs, so the first timed batch does
// not pay for n TCP handshakes the others don't.
func warm(b *testing.B, e *env, n int) {
	b.Helper()
	if err := firstError(fetchConcurrently(e, n)); err != nil {
		b.Fatal(err)
	}
}

func reportServer(b *testing.B, s demo.Stats, failed int) {
	ops := float64(b.N)
	b.ReportMetric(float64(refreshRequests(s))/ops, "refreshes/op")
	b.ReportMetric(float64(s.Unauthorized)/ops, "401s/op")
	b.ReportMetric(float64(failed)/ops, "failed/op")
}
