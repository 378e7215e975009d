package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/demo"
	"signet/session"
)

// Figure 2b: no call waits on a renewal while its token still lives. Four
// callers poll with list calls (each one every renewalPace, out of step)
// for the whole run through one session on the demo with 5 s tokens and a
// 50 ms refresh, in real time, so the proactive refresh runs about every
// 4.5 s while calls are in flight. (Shorter tokens meet the demo's
// whole-second JWT times: the server then counts some tokens dead before
// the session's margin, and the figure measures the 401 path instead.)
//
// Like with like: the demo runs in a child process, as a real server runs
// elsewhere, so its work (signing tokens, its collector) is not in the
// client's latencies; and the callers poll rather than call back to back,
// which would keep both cores busy and make every call's tail the
// scheduler's. The refresh is timed on the client's side of the wire (the
// request going out to its answer read); a call is "at a renewal" if it
// overlaps one. Metrics:
//
//	median-ms          median latency of all calls (the baseline)
//	p99-renewal-ms     99th percentile of the calls at a renewal
//	max-renewal-ms     the slowest of them
//	p99-other-ms       99th percentile of the other calls
//	renewal-calls/op   how many calls overlapped a renewal
//	waited/op          calls at a renewal that took half the refresh delay
//	                   or more: the calls that waited for it
//	renewals/op        refreshes the session made
//	401s/op            calls the server refused as expired
//
// Budget: p99-renewal-ms ≤ 3 × median-ms. SIGNET_BENCH_RENEWAL_SECONDS
// sets the length (default 20 s: four renewals).

const (
	renewalTTL     = 5 * time.Second
	renewalCallers = 4
	renewalPace    = 5 * time.Millisecond
)

func BenchmarkRenewalLatency(b *testing.B) {
	duration := envSeconds("SIGNET_BENCH_RENEWAL_SECONDS", 20*time.Second)
	url := renewalServer(b)
	rt := newTransport()
	b.Cleanup(rt.CloseIdleConnections)
	timed := &refreshTimer{next: rt}
	ctrl := newController(b, newAPIClient(b, url, nil, timed), nil, session.NewMemoryPreferences(), nil, nil, timed)
	ctrl.Restore(context.Background())
	if err := ctrl.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		b.Fatal(err)
	}

	type call struct{ start, end time.Time }
	var calls []call
	for b.Loop() {
		timed.reset()
		calls = calls[:0]
		var (
			mu   sync.Mutex
			wg   sync.WaitGroup
			end  = time.Now().Add(duration)
			errs = make(chan error, renewalCallers)
		)
		for i := range renewalCallers {
			wg.Go(func() {
				var mine []call
				time.Sleep(time.Duration(i) * renewalPace / renewalCallers)
				tick := time.NewTicker(renewalPace)
				defer tick.Stop()
				for ; time.Now().Before(end); <-tick.C {
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
	waited := 0
	for _, lat := range at {
		if lat >= ms(coalesceRefreshDelay/2) {
			waited++
		}
	}
	b.ReportMetric(float64(waited), "waited/op")
	refreshes, refused, unauthorized := timed.counts()
	b.ReportMetric(float64(refreshes), "renewals/op")
	// A 401 is possible with tokens this short: JWT times are whole
	// seconds, so the server may count a token dead a little before the
	// session does; the session then renews and replays that call.
	b.ReportMetric(float64(unauthorized), "401s/op")
	if refused != 0 {
		b.Errorf("the server refused %d refreshes", refused)
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

// refreshTimer is the client's RoundTripper, timing each refresh from its
// request going out to its answer read, and counting the list calls the
// server refused as expired.
type refreshTimer struct {
	next http.RoundTripper
	mu   sync.Mutex
	ivs  [][2]time.Time
	// refused: refreshes answered with an error status; unauthorized: other
	// calls answered 401.
	refused, unauthorized int
}

func (t *refreshTimer) RoundTrip(r *http.Request) (*http.Response, error) {
	refresh := r.URL.Path == "/auth/refresh"
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case refresh && resp.StatusCode >= 400:
		t.refused++
	case !refresh && resp.StatusCode == http.StatusUnauthorized:
		t.unauthorized++
	}
	if !refresh {
		return resp, nil
	}
	// The refresh ends when the session has its answer: read it here.
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	t.ivs = append(t.ivs, [2]time.Time{start, time.Now()})
	return resp, err
}

func (t *refreshTimer) reset() {
	t.mu.Lock()
	t.ivs, t.refused, t.unauthorized = nil, 0, 0
	t.mu.Unlock()
}

func (t *refreshTimer) intervals() [][2]time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.ivs)
}

func (t *refreshTimer) counts() (refreshes, refused, unauthorized int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.ivs), t.refused, t.unauthorized
}

const renewalServerEnv = "SIGNET_BENCH_RENEWAL_SERVER"

// renewalServer starts the demo (5 s tokens, 50 ms refresh) in a child
// process and returns its URL; the child ends with the benchmark.
func renewalServer(b *testing.B) string {
	cmd := exec.Command(os.Args[0], "-test.run=^TestRenewalServerChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), renewalServerEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = stdin.Close() // the child's cue to stop
		_ = cmd.Wait()
	})
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "renewal-server "); ok {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return u
		}
	}
	b.Fatalf("the demo child printed no URL: %v", sc.Err())
	return ""
}

// TestRenewalServerChild is BenchmarkRenewalLatency's server; on its own it
// skips.
func TestRenewalServerChild(t *testing.T) {
	if os.Getenv(renewalServerEnv) == "" {
		t.Skip("run by BenchmarkRenewalLatency")
	}
	srv, err := demo.Open(demo.Config{TokenTTL: renewalTTL, RefreshDelay: coalesceRefreshDelay})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	fmt.Printf("renewal-server %s\n", ts.URL)
	_, _ = io.Copy(io.Discard, os.Stdin)
}
