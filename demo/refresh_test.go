package demo

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRefresh_RotatesTheRefreshTokenAndRenewsAccess(t *testing.T) {
	s, base := startServer(t, Config{})
	first := login(t, base, DemoUsername, DemoPassword)
	second := mustRefresh(t, base, first.RefreshToken)

	if second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
		t.Fatal("refresh did not hand out a new refresh token")
	}
	if second.AccessToken == first.AccessToken {
		t.Fatal("refresh did not hand out a new access token")
	}
	if second.TokenType != "Bearer" || second.ExpiresIn != 60 || second.User.ID != "u-1001" {
		t.Errorf("answer %+v lacks the sign-in shape", second.User)
	}
	c1, c2 := claimsOf(t, first.AccessToken), claimsOf(t, second.AccessToken)
	if c2.SessionID != c1.SessionID || c2.Generation != 1 {
		t.Errorf("renewed token sid %q gen %d, want sid %q gen 1", c2.SessionID, c2.Generation, c1.SessionID)
	}
	third := mustRefresh(t, base, second.RefreshToken)
	if g := claimsOf(t, third.AccessToken).Generation; g != 2 {
		t.Errorf("second refresh gives gen %d, want 2", g)
	}

	// Only list calls made with a renewed token count as renewed.
	wantStatus(t, getWithToken(t, base+"/api/items", first.AccessToken), http.StatusOK)
	wantStatus(t, getWithToken(t, base+"/api/items", third.AccessToken), http.StatusOK)
	st := s.Stats()
	if st.Refreshes != 2 || st.ListCalls != 2 || st.ListCallsRenewed != 1 {
		t.Errorf("stats %+v, want 2 refreshes, 2 list calls, 1 renewed", st)
	}
}

func TestRefresh_ReusedTokenIsRefusedAndEndsTheWholeSession(t *testing.T) {
	s, base := startServer(t, Config{})
	first := login(t, base, DemoUsername, DemoPassword)
	second := mustRefresh(t, base, first.RefreshToken)
	bystander := login(t, base, "ada", "lovelace1815")

	r := refresh(t, base, first.RefreshToken)
	wantRefused(t, r)
	if e := r.errorBody(t); e.Description != descRefreshReused {
		t.Errorf("description %q, want the reuse message", e.Description)
	}
	// The family is dead: its current refresh token and every access token.
	wantRefused(t, refresh(t, base, second.RefreshToken))
	wantInvalidToken(t, getWithToken(t, base+"/api/items", second.AccessToken))
	wantInvalidToken(t, getWithToken(t, base+"/api/items", first.AccessToken))
	// Other sessions are untouched.
	wantStatus(t, getWithToken(t, base+"/api/items", bystander.AccessToken), http.StatusOK)
	mustRefresh(t, base, bystander.RefreshToken)

	st := s.Stats()
	if st.RefreshRefused != 2 || st.RefreshReuse != 1 || st.Refreshes != 2 {
		t.Errorf("stats %+v, want 2 refused (1 reuse) and 2 successful refreshes", st)
	}
}

func TestRefresh_ConcurrentUseOfOneTokenLetsExactlyOneWin(t *testing.T) {
	// Two copies of an app refreshing with the same token at once: the
	// loser is a reuse, which ends the session (the reason clients must
	// refresh single-flight and re-read the keychain first).
	_, base := startServer(t, Config{})
	tok := login(t, base, DemoUsername, DemoPassword)
	var wg sync.WaitGroup
	results := make([]response, 2)
	for i := range results {
		wg.Go(func() { results[i] = refresh(t, base, tok.RefreshToken) })
	}
	wg.Wait()
	var winner *tokenResponse
	for _, r := range results {
		switch r.status {
		case http.StatusOK:
			if winner != nil {
				t.Fatal("both concurrent refreshes succeeded")
			}
			w := decode[tokenResponse](t, r)
			winner = &w
		case http.StatusUnauthorized:
		default:
			t.Fatalf("status %d, want 200 or 401", r.status)
		}
	}
	if winner == nil {
		t.Fatal("neither concurrent refresh succeeded")
	}
	wantRefused(t, refresh(t, base, winner.RefreshToken))
}

func TestRefresh_RefusesUnknownTokensAndRejectsMalformedRequests(t *testing.T) {
	s, base := startServer(t, Config{})
	r := refresh(t, base, "never-issued")
	wantRefused(t, r)
	if e := r.errorBody(t); e.Description != descRefreshUnknown {
		t.Errorf("description %q, want %q", e.Description, descRefreshUnknown)
	}
	wantStatus(t, postJSON(t, base+"/auth/refresh", `{}`), http.StatusBadRequest)
	wantStatus(t, postJSON(t, base+"/auth/refresh", `{"refresh_token":`), http.StatusBadRequest)
	if got := s.Stats().RefreshRefused; got != 1 {
		t.Errorf("RefreshRefused = %d, want 1 (malformed requests are not refusals)", got)
	}
}

func TestRefresh_TokenExpiresAfterRefreshTTLAndEachRotationRenewsIt(t *testing.T) {
	clock := newFakeClock()
	_, base := startServer(t, Config{Now: clock.Now, RefreshTTL: 24 * time.Hour})
	tok := login(t, base, DemoUsername, DemoPassword)
	clock.Advance(23 * time.Hour)
	tok = mustRefresh(t, base, tok.RefreshToken)
	clock.Advance(23 * time.Hour) // 46h after sign-in, 23h after the rotation
	tok = mustRefresh(t, base, tok.RefreshToken)

	clock.Advance(24 * time.Hour)
	r := refresh(t, base, tok.RefreshToken)
	wantRefused(t, r)
	if e := r.errorBody(t); e.Description != descRefreshExpired {
		t.Errorf("description %q, want %q", e.Description, descRefreshExpired)
	}
}

func TestRefresh_WaitsRefreshDelay(t *testing.T) {
	const delay = 150 * time.Millisecond
	_, base := startServer(t, Config{RefreshDelay: delay})
	tok := login(t, base, DemoUsername, DemoPassword)
	start := time.Now()
	mustRefresh(t, base, tok.RefreshToken)
	if took := time.Since(start); took < delay {
		t.Errorf("refresh took %v, want at least the %v delay", took, delay)
	}
}

func TestClose_EndsARefreshWaitingInItsDelay(t *testing.T) {
	s, err := Open(Config{RefreshDelay: time.Hour, hashIterations: testHashIterations})
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, base, DemoUsername, DemoPassword)

	sent := make(chan struct{})
	answered := make(chan int, 1)
	go func() {
		trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { close(sent) }}
		body := strings.NewReader(`{"refresh_token":"` + tok.RefreshToken + `"}`)
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace),
			http.MethodPost, base+"/auth/refresh", body)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		res.Body.Close()
		answered <- res.StatusCode
	}()
	<-sent

	// Without the cancelled request context, Shutdown would time out
	// after 5s and Close would report it.
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close is stuck behind a refresh in its delay")
	}
	if st := <-answered; st != http.StatusServiceUnavailable && st != 0 {
		t.Errorf("the waiting refresh got status %d, want 503 or a dropped connection", st)
	}
	if st := s.Stats(); st.Refreshes != 0 {
		t.Errorf("stats %+v: the interrupted refresh must not rotate", st)
	}
}
