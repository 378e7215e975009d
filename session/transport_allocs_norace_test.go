//go:build !race

package session

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"golang.org/x/oauth2"

	"signet/api"
)

// The session's Transport adds no more allocations per call than
// golang.org/x/oauth2's, the usual way to add a bearer token: on its own (a
// Base that answers at once) not one more; on a real loopback call, where
// the request's merged context also costs net/http's per-request context
// its own registration, at most 2 more. Not under the race detector, which
// changes what allocates.
func TestTransport_AllocatesNoMoreThanOAuth2(t *testing.T) {
	e := newTokenEnv(t, nil)
	e.signIn(t)
	tok := &oauth2.Token{AccessToken: e.c.tokensForTest().AccessToken, TokenType: "Bearer"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	loopback := &http.Transport{MaxIdleConnsPerHost: 4}
	t.Cleanup(loopback.CloseIdleConnections)
	for _, base := range []struct {
		name  string
		rt    http.RoundTripper
		slack float64
	}{
		{"alone", answerAtOnce{}, 0},
		{"loopback", loopback, 2},
	} {
		raw := allocsPerCall(t, &http.Client{Transport: base.rt}, srv.URL)
		o := allocsPerCall(t, &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(tok), Base: base.rt}}, srv.URL)
		s := allocsPerCall(t, &http.Client{Transport: &Transport{Source: source{e.c}, Base: base.rt, Origins: []string{api.Origin(u)}}}, srv.URL)
		t.Logf("%s: raw %v, oauth2 +%v, session +%v allocations per call", base.name, raw, o-raw, s-raw)
		if s-raw > o-raw+base.slack {
			t.Errorf("%s: the session transport adds %v allocations per call, x/oauth2's %v (budget: +%v)", base.name, s-raw, o-raw, base.slack)
		}
	}
}

// allocsPerCall is the allocations of one GET of url through hc with a
// cancellable context, as the app's calls have, both ends of the call
// counted.
func allocsPerCall(t *testing.T, hc *http.Client, url string) float64 {
	t.Helper()
	return testing.AllocsPerRun(200, func() {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
}
