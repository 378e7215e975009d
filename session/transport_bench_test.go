package session

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

// BenchmarkTransport is the session transport's cost per call against the
// raw http.Transport under it, on one loopback server: allocs/op and B/op
// of the rows differ by what the session adds (the bearer header, the
// session's context, the token check). "background" requests carry no
// context of their own; "cancellable" ones carry a context with a timeout,
// as every api.Client call does.
func BenchmarkTransport(b *testing.B) {
	e := newTokenEnv(b, nil)
	e.signIn(b)
	raw := &http.Transport{MaxIdleConnsPerHost: 16}
	b.Cleanup(raw.CloseIdleConnections)
	e.c.httpClient.Transport.(*Transport).Base = raw
	url := e.srv.srv.URL + "/api/items"
	for _, cl := range []struct {
		name string
		hc   *http.Client
	}{
		{"raw", &http.Client{Transport: raw}},
		{"session", e.c.HTTPClient()},
	} {
		for _, cancellable := range []bool{false, true} {
			name := cl.name + "/background"
			if cancellable {
				name = cl.name + "/cancellable"
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ctx, cancel := context.Background(), context.CancelFunc(func() {})
					if cancellable {
						ctx, cancel = context.WithTimeout(ctx, time.Minute)
					}
					req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
					if err != nil {
						b.Fatal(err)
					}
					req.Header.Set("Authorization", "Bearer "+e.c.tokensForTest().AccessToken) // raw needs it; session replaces it
					resp, err := cl.hc.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
					cancel()
					if resp.StatusCode != http.StatusOK {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
		}
	}
}
