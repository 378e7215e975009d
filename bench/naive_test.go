package bench

import (
	"net/http"
	"sync"
	"time"

	"signet/api"
)

// naiveTransport is the comparison row of figure 1, and exists only here:
// what a client without coalescing does. Every request that finds the token
// expired refreshes on its own, with the refresh token it last saw, and keeps
// whatever answer it gets. Against a server that rotates refresh tokens and
// detects reuse (the demo does), N such requests make N refresh calls, and
// all but the first spend a token that is already rotated away, which
// revokes the session.
type naiveTransport struct {
	client *api.Client
	base   http.RoundTripper
	now    func() time.Time

	mu     sync.Mutex
	tokens api.Tokens
}

func (t *naiveTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	tok := t.tokens
	t.mu.Unlock()
	if !tok.Expiry.IsZero() && !t.now().Before(tok.Expiry) {
		fresh, err := t.client.Refresh(req.Context(), tok.RefreshToken)
		if err == nil {
			t.mu.Lock()
			t.tokens = fresh
			t.mu.Unlock()
			tok = fresh
		}
		// On failure, send the dead token anyway, as such clients do.
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	return t.base.RoundTrip(r)
}
