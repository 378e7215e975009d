package session

import (
	"strings"
	"time"

	"signet/api"
)

// Token is a session's token pair with what this machine observed about it:
// when it arrived and whether it came from a refresh. Like oauth2.Token it
// answers, for a given time, whether it is still good and whether it is due
// for renewal (design R5, R8), and what to send. Its String, GoString and
// LogValue are api.Tokens's: they never show the secrets.
type Token struct {
	api.Tokens
	// Obtained is when the pair arrived here: the start of the token's
	// lifetime on this machine's clock (zero: unknown).
	Obtained time.Time
	// Renewed is when the pair came from a refresh; zero: from a sign-in or
	// a restore.
	Renewed time.Time

	auth string // the Authorization value, built once per token
}

// NewToken wraps t, obtained at obtained, with its Authorization value
// built once rather than once per request.
func NewToken(t api.Tokens, obtained time.Time) Token {
	tok := Token{Tokens: t, Obtained: obtained}
	if t.AccessToken != "" {
		tok.auth = authValue(t)
	}
	return tok
}

// Renewal timing (design R8). A token lives from its arrival to its expiry
// on this machine's clock; it is renewed a margin before it dies, once per
// lifetime. A token whose lifetime is shorter than shortestLifetime is
// "born dead" (expires_in 0 or negative, a past expires_at, a JWT exp
// behind a clock that runs ahead): its expiry says more about clocks and
// quirks than about the token, which the server may well accept for a long
// time yet. Renewing it "before it dies" would renew it the moment it
// arrives, and the next one too: a refresh storm. So a born-dead token
//   - from a sign-in or a restore is renewed once, before it is first used
//     (the server may confirm it is dead; that costs one call);
//   - from a refresh is used as it is: the server decides, with a 401. It
//     is renewed proactively at most every bornDeadRenewEvery, and a
//     request never renews it before sending;
//   - without any way to renew it, is used until the server refuses it,
//     never expired by the local clock alone.
//
// Tokens of a normal lifetime, however short (a 5 s token renews every
// 4.5 s), are not slowed down by any of this.
const (
	shortestLifetime   = 2 * time.Second
	bornDeadRenewEvery = 30 * time.Second
)

// sendSlack is how long a token must still live for a request to go out
// with it while its renewal runs, rather than wait for the renewal: the
// request must reach the server, which may count whole seconds, before the
// token dies. At most half the token's margin, so a short token renewed on
// time never makes anyone wait.
const sendSlack = 2 * time.Second

// Authorization is the header value to send: "Bearer <token>" unless the
// server named another type; empty for the zero Token.
func (t Token) Authorization() string {
	if t.auth == "" && t.AccessToken != "" {
		return authValue(t.Tokens)
	}
	return t.auth
}

// authValue is the Authorization header for t ("Bearer" unless the server
// named another type).
func authValue(t api.Tokens) string {
	typ := t.TokenType
	if typ == "" || strings.EqualFold(typ, "bearer") {
		typ = "Bearer"
	}
	return typ + " " + t.AccessToken
}

// Valid reports whether there is an access token not known to be dead at
// now (an unknown expiry counts as alive: the server's 401 will tell).
func (t Token) Valid(now time.Time) bool { return t.AccessToken != "" && !t.Dead(now) }

// Dead reports whether the token is known to have expired at now.
func (t Token) Dead(now time.Time) bool { return !t.Expiry.IsZero() && !now.Before(t.Expiry) }

// ExpiresWithin reports whether the token is known to expire within d of
// now (or has already).
func (t Token) ExpiresWithin(d time.Duration, now time.Time) bool {
	return !t.Expiry.IsZero() && !now.Before(t.Expiry.Add(-d))
}

// Lifetime is the token's lifetime as observed here; ok is false when it is
// unknown.
func (t Token) Lifetime() (life time.Duration, ok bool) {
	if t.Expiry.IsZero() || t.Obtained.IsZero() {
		return 0, false
	}
	return t.Expiry.Sub(t.Obtained), true
}

// BornDead reports whether the token arrived (nearly) dead.
func (t Token) BornDead() bool {
	life, ok := t.Lifetime()
	return ok && life < shortestLifetime
}

// Margin is how long before expiry the token is renewed: margin, but at
// most a tenth of the token's lifetime, so a token is renewed about once per
// lifetime (a 5 s token every 4.5 s, a 60 s one every 54 s) rather than the
// moment it is half used.
func (t Token) Margin(margin time.Duration) time.Duration {
	if life, ok := t.Lifetime(); ok && life > 0 && life/10 < margin {
		return life / 10
	}
	return margin
}

// RenewFloor is the earliest time a renewal may start: for a born-dead
// token that itself came from a refresh, bornDeadRenewEvery after that
// refresh; otherwise no floor (zero).
func (t Token) RenewFloor() time.Time {
	if t.Renewed.IsZero() || !t.BornDead() {
		return time.Time{}
	}
	return t.Renewed.Add(bornDeadRenewEvery)
}

// RenewDue reports whether the token should be renewed at now: it expires
// within its margin (or has), and the floor has passed.
func (t Token) RenewDue(margin time.Duration, now time.Time) bool {
	return t.ExpiresWithin(t.Margin(margin), now) && !now.Before(t.RenewFloor())
}

// SendWhileRenewing reports whether a request may go out with the token at
// now while its renewal runs (design R5), rather than wait for the renewal:
// its expiry is unknown (the server's 401 decides), it is a born-dead token
// from a refresh (its expiry isn't believed, R8), or it still lives for the
// slack (sendSlack, at most half its margin). A dead token, or one about to
// die on the way to the server, waits.
func (t Token) SendWhileRenewing(margin time.Duration, now time.Time) bool {
	switch {
	case t.AccessToken == "":
		return false
	case t.Expiry.IsZero():
		return true
	case t.BornDead():
		return !t.Renewed.IsZero()
	}
	return !t.ExpiresWithin(min(sendSlack, t.Margin(margin)/2), now)
}

// RenewAt is when the proactive renewal is due: expiry − margin, not
// before the floor. Zero when the expiry is unknown.
func (t Token) RenewAt(margin time.Duration) time.Time {
	if t.Expiry.IsZero() {
		return time.Time{}
	}
	at := t.Expiry.Add(-t.Margin(margin))
	if floor := t.RenewFloor(); at.Before(floor) {
		at = floor
	}
	return at
}
