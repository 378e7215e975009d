package session

import (
	"testing"
	"time"

	"signet/api"
)

// bornDeadCases are token answers whose expiry has passed on arrival, by
// this machine's clock, although the server accepts the tokens.
func bornDeadCases() []struct {
	name  string
	setup func(*tokenServer)
} {
	return []struct {
		name  string
		setup func(*tokenServer)
	}{
		{"expires_in 0", func(s *tokenServer) {
			s.answer = func(time.Time) map[string]any { return map[string]any{"expires_in": 0} }
		}},
		{"expires_in negative", func(s *tokenServer) {
			s.answer = func(time.Time) map[string]any { return map[string]any{"expires_in": -30} }
		}},
		{"expires_at in the past", func(s *tokenServer) {
			s.answer = func(now time.Time) map[string]any {
				return map[string]any{"expires_at": now.Add(-5 * time.Minute).Unix()}
			}
		}},
		{"JWT exp before the local clock", func(s *tokenServer) {
			// One-minute tokens, on a machine whose clock runs 10 minutes
			// ahead of the server's.
			s.jwtExp = func(now time.Time) time.Time { return now.Add(-9 * time.Minute) }
		}},
	}
}

// Tokens that arrive already expired must not make the session refresh
// without end: at most 3 refreshes in any minute, idle or busy, and the
// calls keep working with the tokens as they are.
func TestRenewal_BornDeadTokensRefreshAtMostThreeTimesAMinute(t *testing.T) {
	const simulated = 5 * time.Minute
	for _, tc := range bornDeadCases() {
		for _, busy := range []bool{false, true} {
			name := tc.name + "/idle"
			if busy {
				name = tc.name + "/calls every second"
			}
			t.Run(name, func(t *testing.T) {
				e := newTokenEnv(t, tc.setup, withExpiresAt)
				e.signIn(t)
				if s := e.c.Snapshot(); !s.Expiry.Before(e.clock.Now().Add(time.Second)) {
					t.Fatalf("expiry %v after arrival: the case does not arrive dead", s.Expiry.Sub(e.clock.Now()))
				}
				for elapsed := time.Duration(0); elapsed < simulated; elapsed += time.Second {
					e.clock.Advance(time.Second)
					if busy {
						if _, err := e.c.FetchList(t.Context(), "Items", 0, 5, ""); err != nil {
							t.Fatalf("call at %v: %v", elapsed, err)
						}
					}
				}
				at := e.srv.refreshTimes()
				for i, t0 := range at {
					n := 0
					for _, t1 := range at[i:] {
						if t1.Sub(t0) < time.Minute {
							n++
						}
					}
					if n > 3 {
						t.Fatalf("%d refreshes in the minute from %v (%d in %v in all)",
							n, t0.Sub(at[0]), len(at), simulated)
					}
				}
				// The floor slows renewal down; it doesn't stop it.
				if len(at) < 5 {
					t.Errorf("%d refreshes in %v, want the session still renewed about twice a minute", len(at), simulated)
				}
				if s := e.c.Snapshot(); s.State != SignedIn || s.Err != nil {
					t.Errorf("state %v (err %v), want SignedIn", s.State, s.Err)
				}
			})
		}
	}
}

// withExpiresAt lets the profile read an absolute expires_at too.
func withExpiresAt(cfg *Config) {
	p := cfg.Client.Profile()
	p.Login.Tokens.Expiry = append(p.Login.Tokens.Expiry, api.ExpirySpec{Path: "expires_at", Unit: "unix"})
	client, err := api.New(api.Config{Profile: p, Now: cfg.Now, Timeout: 5 * time.Second})
	if err != nil {
		panic(err)
	}
	cfg.Client = client
}

// A token of a normal lifetime, even a short one, still renews once per
// lifetime: the floor is for tokens born dead only.
func TestRenewal_ShortLivedTokensStillRenewOncePerLifetime(t *testing.T) {
	e := newTokenEnv(t, func(s *tokenServer) {
		s.answer = func(time.Time) map[string]any { return map[string]any{"expires_in": 5} }
	})
	e.signIn(t)
	for range 60 {
		e.clock.Advance(time.Second)
		if _, err := e.c.FetchList(t.Context(), "Items", 0, 5, ""); err != nil {
			t.Fatal(err)
		}
	}
	// Every 4.5 s: 13 in a minute.
	if n := len(e.srv.refreshTimes()); n < 12 || n > 14 {
		t.Errorf("%d refreshes in a minute of 5 s tokens, want 13", n)
	}
}

// A born-dead token from a backend that can't renew it is used until the
// server refuses it; the local clock alone doesn't end the session.
func TestRenewal_BornDeadTokenWithoutRefreshIsUsedUntilRefused(t *testing.T) {
	e := newTokenEnv(t, func(s *tokenServer) {
		s.answer = func(time.Time) map[string]any { return map[string]any{"expires_in": 0} }
	}, func(cfg *Config) {
		p := cfg.Client.Profile()
		p.Refresh = nil
		client, err := api.New(api.Config{Profile: p, Now: cfg.Now, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Client = client
	})
	e.signIn(t)
	for range 3 {
		e.clock.Advance(time.Minute)
		if _, err := e.c.FetchList(t.Context(), "Items", 0, 5, ""); err != nil {
			t.Fatalf("FetchList: %v", err)
		}
	}
	e.srv.set(func(s *tokenServer) { clear(s.access) }) // the server now refuses it
	if _, err := e.c.FetchList(t.Context(), "Items", 0, 5, ""); err != ErrSessionExpired {
		t.Errorf("FetchList after the server refused the token = %v, want ErrSessionExpired", err)
	}
	if s := e.c.Snapshot(); s.State != Expired {
		t.Errorf("state %v, want Expired", s.State)
	}
}
