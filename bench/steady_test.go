package bench

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"signet/demo"
	"signet/session"
)

// Figure 2: 60 s of polling the list every 500 ms with a 5 s token, in real
// time, against the demo with a 50 ms refresh. Three sessions poll side by
// side, so one minute gives three runs (their median and spread are the
// figure); the op is the whole minute.
//
// Metrics, per session (medians over the three, -min/-max their spread):
//
//	401s/op       401s the server answered (budget 0)
//	refreshes/op  refreshes the server performed (budget ≈ 12)
//	crossed/op    polls during which a renewal completed
//	poll-ms       median latency of the other polls: the baseline
//	crossed-ms    median latency of the polls that crossed a renewal
//	added-ms      crossed-ms − poll-ms
//
// SIGNET_BENCH_STEADY_SECONDS shortens the minute for a quick look.

const (
	steadyTTL      = 5 * time.Second
	steadyEvery    = 500 * time.Millisecond
	steadySessions = 3
)

type pollRun struct {
	latencies, crossed []time.Duration
	failed             int
}

func BenchmarkSteadyPolling(b *testing.B) {
	duration := envSeconds("SIGNET_BENCH_STEADY_SECONDS", 60*time.Second)
	srv, url := startDemo(b, envConfig{TokenTTL: steadyTTL, RefreshDelay: coalesceRefreshDelay})
	envs := make([]*env, steadySessions)
	for i := range envs {
		// One backend, one session each: as three copies of the app on
		// three machines would be.
		e := &env{srv: srv, url: url, transport: newTransport()}
		e.client = newAPIClient(b, url, nil, e.transport)
		e.ctrl = newController(b, e.client, nil, session.NewMemoryPreferences(), nil, nil, e.transport)
		e.ctrl.Restore(context.Background())
		if err := e.ctrl.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
			b.Fatal(err)
		}
		envs[i] = e
	}

	var refreshes []float64
	var unauthorized int64
	runs := make([]pollRun, steadySessions)
	for range b.N {
		srv.ResetStats()
		before := make([]int, steadySessions)
		for i, e := range envs {
			before[i] = e.ctrl.Snapshot().Renewals
		}
		var wg sync.WaitGroup
		for i, e := range envs {
			wg.Go(func() { runs[i] = pollFor(e, duration) })
		}
		wg.Wait()
		// The server counts all sessions together; the controllers count
		// their own renewals, and every renewal is one server refresh.
		for i, e := range envs {
			refreshes = append(refreshes, float64(e.ctrl.Snapshot().Renewals-before[i]))
		}
		st := srv.Stats()
		unauthorized += st.Unauthorized
		if st.RefreshRefused != 0 {
			b.Errorf("the server refused %d refreshes", st.RefreshRefused)
		}
	}
	b.StopTimer()

	var crossedN, base, crossed, added []float64
	for _, r := range runs {
		crossedN = append(crossedN, float64(len(r.crossed)))
		p, c := medianDur(r.latencies), medianDur(r.crossed)
		base = append(base, ms(p))
		crossed = append(crossed, ms(c))
		if len(r.crossed) > 0 {
			added = append(added, ms(c-p))
		}
		if r.failed > 0 {
			b.Errorf("%d polls failed", r.failed)
		}
	}
	// The server's count, over all sessions: any 401 is a miss.
	b.ReportMetric(float64(unauthorized)/float64(b.N), "401s/op")
	reportSpread(b, refreshes, "refreshes/op")
	reportSpread(b, crossedN, "crossed/op")
	reportSpread(b, base, "poll-ms")
	reportSpread(b, crossed, "crossed-ms")
	reportSpread(b, added, "added-ms")
}

// pollFor polls every steadyEvery for d and sorts the latencies into polls
// that crossed a renewal and the others.
func pollFor(e *env, d time.Duration) pollRun {
	var r pollRun
	tick := time.NewTicker(steadyEvery)
	defer tick.Stop()
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		<-tick.C
		before := e.ctrl.Snapshot().Renewals
		start := time.Now()
		_, err := e.ctrl.FetchList(context.Background(), "Items", 0, 10, "")
		lat := time.Since(start)
		if err != nil {
			r.failed++
			continue
		}
		if e.ctrl.Snapshot().Renewals != before {
			r.crossed = append(r.crossed, lat)
		} else {
			r.latencies = append(r.latencies, lat)
		}
	}
	return r
}

func medianDur(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// reportSpread reports the median of vs under unit, and its extremes under
// unit-min and unit-max.
func reportSpread(b *testing.B, vs []float64, unit string) {
	if len(vs) == 0 {
		return
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	b.ReportMetric(s[len(s)/2], unit)
	if len(s) > 1 {
		b.ReportMetric(s[0], unit+"-min")
		b.ReportMetric(s[len(s)-1], unit+"-max")
	}
}
