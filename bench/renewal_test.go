package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"signet/demo"
	"signet/session"
)

// Figure 2b: no call waits on a renewal while its token still lives. Four
// callers make list calls back to back for the whole run through one session
// on the demo with 5 s tokens and a 50 ms refresh, in real time, so the
// proactive refresh runs about every 4.5 s while calls are in flight.
// (Shorter tokens meet the demo's whole-second JWT times: the server then
// counts some tokens dead before the session's margin, and the figure
// measures the 401 path instead.) The
// server's refresh handler is timed (start to end); a call is "at a
// renewal" if it overlaps one. Metrics:
//
//	median-ms          median latency of all calls (the baseline)
//	p99-renewal-ms     99th percentile of the calls at a renewal
//	max-renewal-ms     the slowest of them
//	p99-other-ms       99th percentile of the other calls
//	renewal-calls/op   how many calls overlapped a renewal
//	renewals/op        refreshes the server performed
//	401s/op            calls the server refused as expired
//
// Budget: p99-renewal-ms ≤ 3 × median-ms. SIGNET_BENCH_RENEWAL_SECONDS
// sets the length (default 20 s: four renewals).

const (
	renewalTTL     = 5 * time.Second
	renewalCallers = 4
)

func BenchmarkRenewalLatency(b *testing.B) {
	duration := envSeconds("SIGNET_BENCH_RENEWAL_SECONDS", 20*time.Second)
	srv, err := demo.Open(demo.Config{TokenTTL: renewalTTL, RefreshDelay: coalesceRefreshDelay, Stats: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	timed := &refreshTimer{next: srv.Handler()}
	ts := httptest.NewServer(timed)
	b.Cleanup(ts.Close)
	rt := newTransport()
	b.Cleanup(rt.CloseIdleConnections)
	ctrl := newController(b, newAPIClient(b, ts.URL, nil, rt), nil, session.NewMemoryPreferences(), nil, nil, rt)
	ctrl.Restore(context.Background())
	if err := ctrl.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		b.Fatal(err)
	}

	type call struct{ start, end time.Time }
	var calls []call
	for b.Loop() {
		srv.ResetStats()
		timed.reset()
		calls = calls[:0]
		var (
			mu   sync.Mutex
			wg   sync.WaitGroup
			end  = time.Now().Add(duration)
			errs = make(chan error, renewalCallers)
		)
		for range renewalCallers {
			wg.Go(func() {
				var mine []call
				for time.Now().Before(end) {
					start := time.Now()
					if _, err := ctrl.FetchList(context.Background(), "Items", 0, 10, ""); err != nil {
						errs <- err
						return
					}
					mine = append(mine, call{start, time.Now()})
				}
				mu.Lock()
				calls = append(calls, mine...)
				mu.Unlock()
			})
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	renewals := timed.intervals()
	var all, at, other []float64
	for _, c := range calls {
		lat := ms(c.end.Sub(c.start))
		all = append(all, lat)
		if slices.ContainsFunc(renewals, func(r [2]time.Time) bool { return c.start.Before(r[1]) && c.end.After(r[0]) }) {
			at = append(at, lat)
		} else {
			other = append(other, lat)
		}
	}
	b.ReportMetric(percentile(all, 50), "median-ms")
	b.ReportMetric(percentile(at, 99), "p99-renewal-ms")
	b.ReportMetric(percentile(at, 100), "max-renewal-ms")
	b.ReportMetric(percentile(other, 99), "p99-other-ms")
	b.ReportMetric(float64(len(at)), "renewal-calls/op")
	b.ReportMetric(float64(srv.Stats().Refreshes), "renewals/op")
	// A 401 is possible with tokens this short: JWT times are whole
	// seconds, so the server may count a token dead a little before the
	// session does; the session then renews and replays that call.
	b.ReportMetric(float64(srv.Stats().Unauthorized), "401s/op")
	if st := srv.Stats(); st.RefreshRefused != 0 {
		b.Errorf("the server refused %d refreshes", st.RefreshRefused)
	}
}

// percentile is the p-th percentile of vs (nearest rank); 0 when empty.
func percentile(vs []float64, p float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// refreshTimer records when each refresh request was being served.
type refreshTimer struct {
	next http.Handler
	mu   sync.Mutex
	ivs  [][2]time.Time
}

func (t *refreshTimer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/auth/refresh" {
		t.next.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	t.next.ServeHTTP(w, r)
	t.mu.Lock()
	t.ivs = append(t.ivs, [2]time.Time{start, time.Now()})
	t.mu.Unlock()
}

func (t *refreshTimer) reset() {
	t.mu.Lock()
	t.ivs = nil
	t.mu.Unlock()
}

func (t *refreshTimer) intervals() [][2]time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.ivs)
}
