package bench

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"golang.org/x/oauth2"

	"signet/demo"
	"signet/session"
)

// Figure 3: the cost of the session's authenticated transport. The same GET
// of a 12-byte JSON answer from a loopback handler goes through
//
//	raw      a plain http.Client on the *http.Transport below (the baseline)
//	raw-bearer  the same, the caller setting the same Authorization header
//	         itself: what the token alone costs on the wire, no wrapper
//	oauth2   golang.org/x/oauth2's Transport with a static token source on
//	         the same *http.Transport: the usual way to add a bearer token
//	session  Controller.HTTPClient() on the same *http.Transport
//
// each with a real token from the demo's sign-in, and each request with a
// cancellable context, as the app's calls have (a context.Background
// request would skip the session's per-request context). serial is one caller;
// parallel is 8 callers (RunParallel with GOMAXPROCS × parallelism = 8).
// The handler is the cheapest possible, so the wrapper's share of each call
// is as large as it can be. allocs/op count both ends of the call (client
// and handler share the process); a wrapper's cost is its difference from
// raw. Budget: session calls/s ≥ 0.97 × raw, allocations ≤ oauth2's + 2.
// scripts/bench.sh runs this in separate processes, one after another, so
// the rows interleave and their medians are over pairs.

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
	ac := newAPIClient(b, ts.URL, nil, rt)
	ctrl := newController(b, ac, nil, session.NewMemoryPreferences(), nil, nil, rt)
	ctrl.Restore(context.Background())
	if err := ctrl.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		b.Fatal(err)
	}
	login, err := ac.Login(context.Background(), demo.DemoUsername, demo.DemoPassword)
	if err != nil {
		b.Fatal(err)
	}
	tok := &oauth2.Token{AccessToken: login.Tokens.AccessToken, TokenType: "Bearer", Expiry: login.Tokens.Expiry}
	clients := []struct {
		name, auth string // auth: set by the caller
		hc         *http.Client
	}{
		{"raw", "", &http.Client{Transport: rt}},
		{"raw-bearer", "Bearer " + tok.AccessToken, &http.Client{Transport: rt}},
		{"oauth2", "", &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(tok), Base: rt}}},
		{"session", "", ctrl.HTTPClient()},
	}
	url := ts.URL + "/bench/ping"
	for _, c := range clients {
		b.Run("serial/"+c.name, func(b *testing.B) {
			ctx := cancellable(b)
			b.ReportAllocs()
			for b.Loop() {
				call(ctx, b, c.hc, url, c.auth)
			}
		})
	}
	for _, c := range clients {
		b.Run("parallel/"+c.name, func(b *testing.B) {
			ctx := cancellable(b)
			b.ReportAllocs()
			b.SetParallelism(max(1, 8/runtime.GOMAXPROCS(0)))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					call(ctx, b, c.hc, url, c.auth)
				}
			})
		})
	}
}

func cancellable(b *testing.B) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	return ctx
}

func call(ctx context.Context, b *testing.B, hc *http.Client, url, auth string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
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
