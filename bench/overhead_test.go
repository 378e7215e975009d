package bench

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"signet/demo"
	"signet/session"
)

// Figure 3: calls through the session's authenticated client against a plain
// http.Client (same base transport settings, same loopback handler). The
// handler is the cheapest possible, so the session's share of each call is
// as large as it can be. Budget: session calls/s ≥ 0.95 × plain calls/s.
// allocs/op count both ends of the call (client and handler share the
// process); the difference between the rows is the session's.

func BenchmarkTransportOverhead(b *testing.B) {
	d, err := demo.Open(demo.Config{TokenTTL: coalesceTTL})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = d.Close() })
	mux := http.NewServeMux()
	mux.HandleFunc("GET /bench/ping", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
	mux.Handle("/", d.Handler()) // sign-in and refresh
	ts := httptest.NewServer(mux)
	b.Cleanup(ts.Close)

	rt := newTransport()
	b.Cleanup(rt.CloseIdleConnections)
	ctrl := newController(b, newAPIClient(b, ts.URL, nil, rt), nil, session.NewMemoryPreferences(), nil, nil, rt)
	ctrl.Restore(context.Background())
	if err := ctrl.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		b.Fatal(err)
	}
	clients := []struct {
		name string
		hc   *http.Client
	}{
		{"plain", &http.Client{Transport: rt}},
		{"session", ctrl.HTTPClient()},
	}
	url := ts.URL + "/bench/ping"
	for _, c := range clients {
		b.Run("serial/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				call(b, c.hc, url)
			}
		})
	}
	for _, c := range clients {
		b.Run("parallel/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					call(b, c.hc, url)
				}
			})
		})
	}
}

func call(b *testing.B, hc *http.Client, url string) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d", resp.StatusCode)
	}
}
