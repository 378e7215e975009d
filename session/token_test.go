package session

import (
	"testing"
	"time"

	"signet/api"
)

func TestToken_Expiry(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tok := func(life time.Duration, renewed bool) Token {
		k := NewToken(api.Tokens{AccessToken: "access-1", RefreshToken: "refresh-1", Expiry: t0.Add(life)}, t0)
		if life == 0 {
			k.Expiry = time.Time{}
		}
		if renewed {
			k.Renewed = t0
		}
		return k
	}
	const margin = 30 * time.Second
	for _, tc := range []struct {
		name                          string
		tok                           Token
		at                            time.Duration // after t0
		valid, dead, within, bornDead bool
		due                           bool
		wantMargin                    time.Duration
		wantRenewAt                   time.Duration // after t0; -1: zero
	}{
		{name: "unknown expiry lives and is never due", tok: tok(0, false), at: time.Hour,
			valid: true, wantMargin: margin, wantRenewAt: -1},
		{name: "hour token fresh", tok: tok(time.Hour, false), at: time.Minute,
			valid: true, wantMargin: margin, wantRenewAt: time.Hour - margin},
		{name: "hour token inside the margin", tok: tok(time.Hour, false), at: time.Hour - 10*time.Second,
			valid: true, within: true, due: true, wantMargin: margin, wantRenewAt: time.Hour - margin},
		{name: "hour token at expiry is dead", tok: tok(time.Hour, false), at: time.Hour,
			dead: true, within: true, due: true, wantMargin: margin, wantRenewAt: time.Hour - margin},
		{name: "short token: margin is a tenth of its life", tok: tok(5*time.Second, false), at: 4400 * time.Millisecond,
			valid: true, wantMargin: 500 * time.Millisecond, wantRenewAt: 4500 * time.Millisecond},
		{name: "short token due at nine tenths", tok: tok(5*time.Second, false), at: 4500 * time.Millisecond,
			valid: true, within: true, due: true, wantMargin: 500 * time.Millisecond, wantRenewAt: 4500 * time.Millisecond},
		{name: "born dead from sign-in is due at once", tok: tok(-time.Second, false), at: 0,
			dead: true, within: true, bornDead: true, due: true, wantMargin: margin, wantRenewAt: -time.Second - margin},
		{name: "born dead from a refresh waits for the floor", tok: tok(time.Second, true), at: 10 * time.Second,
			dead: true, within: true, bornDead: true, wantMargin: 100 * time.Millisecond, wantRenewAt: bornDeadRenewEvery},
		{name: "born dead from a refresh is due after the floor", tok: tok(time.Second, true), at: bornDeadRenewEvery,
			dead: true, within: true, bornDead: true, due: true, wantMargin: 100 * time.Millisecond, wantRenewAt: bornDeadRenewEvery},
		{name: "zero token is not valid", tok: Token{}, at: 0, wantMargin: margin, wantRenewAt: -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := t0.Add(tc.at)
			k := tc.tok
			if got := k.Valid(now); got != tc.valid {
				t.Errorf("Valid = %v, want %v", got, tc.valid)
			}
			if got := k.Dead(now); got != tc.dead {
				t.Errorf("Dead = %v, want %v", got, tc.dead)
			}
			if got := k.ExpiresWithin(k.Margin(margin), now); got != tc.within {
				t.Errorf("ExpiresWithin = %v, want %v", got, tc.within)
			}
			if got := k.BornDead(); got != tc.bornDead {
				t.Errorf("BornDead = %v, want %v", got, tc.bornDead)
			}
			if got := k.RenewDue(margin, now); got != tc.due {
				t.Errorf("RenewDue = %v, want %v", got, tc.due)
			}
			if got := k.Margin(margin); got != tc.wantMargin {
				t.Errorf("Margin = %v, want %v", got, tc.wantMargin)
			}
			want := time.Time{}
			if tc.wantRenewAt != -1 {
				want = t0.Add(tc.wantRenewAt)
			}
			if got := k.RenewAt(margin); !got.Equal(want) {
				t.Errorf("RenewAt = %v, want %v", got, want)
			}
		})
	}
}

// Which tokens go out while their renewal runs, rather than wait for it.
func TestToken_SendWhileRenewing(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tok := func(life time.Duration, renewed bool) Token {
		k := NewToken(api.Tokens{AccessToken: "access-1", Expiry: t0.Add(life)}, t0)
		if renewed {
			k.Renewed = t0
		}
		return k
	}
	unknown := NewToken(api.Tokens{AccessToken: "access-1"}, t0)
	const margin = 30 * time.Second
	for _, tc := range []struct {
		name string
		tok  Token
		at   time.Duration // after t0
		send bool
	}{
		{"unknown expiry: the server decides", unknown, time.Hour, true},
		{"hour token inside its margin", tok(time.Hour, false), time.Hour - 10*time.Second, true},
		{"hour token with the slack left", tok(time.Hour, false), time.Hour - sendSlack, false},
		{"hour token dead", tok(time.Hour, false), time.Hour, false},
		{"5 s token due at nine tenths", tok(5*time.Second, false), 4500 * time.Millisecond, true},
		{"5 s token with half its margin left", tok(5*time.Second, false), 4750 * time.Millisecond, false},
		{"born dead from sign-in: renewed before use", tok(-time.Second, false), 0, false},
		{"born dead from a refresh: the server decides", tok(time.Second, true), bornDeadRenewEvery, true},
		{"no token", Token{}, 0, false},
	} {
		if got := tc.tok.SendWhileRenewing(margin, t0.Add(tc.at)); got != tc.send {
			t.Errorf("%s: SendWhileRenewing = %v, want %v", tc.name, got, tc.send)
		}
	}
}

func TestToken_Authorization(t *testing.T) {
	for _, tc := range []struct {
		typ, want string
	}{
		{"", "Bearer access-1"},
		{"bearer", "Bearer access-1"},
		{"BEARER", "Bearer access-1"},
		{"MAC", "MAC access-1"},
	} {
		tok := NewToken(api.Tokens{AccessToken: "access-1", TokenType: tc.typ}, time.Time{})
		if got := tok.Authorization(); got != tc.want {
			t.Errorf("type %q: Authorization = %q, want %q", tc.typ, got, tc.want)
		}
		if got := (Token{Tokens: tok.Tokens}).Authorization(); got != tc.want {
			t.Errorf("type %q, not built by NewToken: Authorization = %q, want %q", tc.typ, got, tc.want)
		}
	}
	if got := (Token{}).Authorization(); got != "" {
		t.Errorf("zero Token: Authorization = %q", got)
	}
}
