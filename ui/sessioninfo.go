package ui

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"signet/session"
	"signet/session/keychain"
)

// Where the session's secrets are kept, as the session panel says it.
const (
	storageMemory = "This session only (no keychain: it ends when Signet quits)"
)

// sessionFacts is what the session panel shows, worked out from a snapshot
// and the clock alone so it can be checked without a window.
type sessionFacts struct {
	Name     string // who is signed in
	Detail   string // their email or username, when it adds something
	Initials string // for the avatar
	Server   string
	SignedIn string // "09:30 (5 min ago)"

	// Lifetime is the auth token's remaining share of its life, 0 to 1,
	// or -1 when the expiry is unknown. LifetimeText says it in words.
	Lifetime     float64
	LifetimeText string
	Renewal      string // when the next renewal runs, or why none will
	LastRenewed  string // "09:41 (3 renewals)", or "Not yet"
	Storage      string
	Method       string // how the session began, and where (signInMethodText)
}

// sessionFactsAt describes s as of now.
func sessionFactsAt(s session.Snapshot, now time.Time) sessionFacts {
	f := sessionFacts{
		Name:     displayName(s),
		Initials: initials(displayName(s)),
		Server:   s.Server,
		SignedIn: whenText(s.SignedInAt, now),
		Lifetime: -1,
		Storage:  upperFirst(keychain.LocationKeychain.String()),
	}
	switch {
	case s.User.Email != "" && s.User.Email != f.Name:
		f.Detail = s.User.Email
	case s.Username != "" && s.Username != f.Name:
		f.Detail = s.Username
	}
	switch {
	case s.SecretsIn == keychain.LocationMemory, s.SecretsIn == keychain.LocationUnknown && s.MemoryOnly:
		f.Storage = storageMemory
	case s.SecretsIn == keychain.LocationFile:
		f.Storage = upperFirst(s.SecretsIn.String()) // the opt-in file
	}

	// The token's life started when it was handed out: at sign-in, or at
	// the last renewal.
	start := s.SignedInAt
	if s.LastRenewal.After(start) {
		start = s.LastRenewal
	}
	switch left := s.Expiry.Sub(now); {
	case s.Expiry.IsZero():
		f.LifetimeText = "Unknown: the server didn't say when it expires"
	case left <= 0:
		f.Lifetime = 0
		f.LifetimeText = "Expired"
	default:
		f.LifetimeText = formatClock(left) + " left"
		if total := s.Expiry.Sub(start); !start.IsZero() && total > 0 {
			f.Lifetime = min(1, float64(left)/float64(total))
			f.LifetimeText = formatClock(left) + " of " + formatClock(total) + " left"
		}
	}

	switch {
	case s.State == session.Refreshing:
		f.Renewal = "Renewing now…"
	case s.State == session.Offline:
		f.Renewal = "Waiting for the server to renew"
	case !s.Renewable && s.Expiry.After(now):
		f.Renewal = upperFirst(endsText(s.Expiry.Sub(now)))
	case !s.Renewable:
		f.Renewal = "This server can't renew sessions: you'll sign in again when it ends"
	case !s.RenewAt.IsZero() && s.RenewAt.After(now):
		f.Renewal = "Renews automatically in " + formatClock(s.RenewAt.Sub(now))
	case s.Expiry.IsZero():
		f.Renewal = "Renews when the server asks"
	default:
		f.Renewal = "Renewing soon"
	}

	switch {
	case s.LastRenewal.IsZero():
		f.LastRenewed = "Not yet"
	case s.Renewals == 1:
		f.LastRenewed = whenText(s.LastRenewal, now) + " · once"
	default:
		f.LastRenewed = fmt.Sprintf("%s · %d times", whenText(s.LastRenewal, now), s.Renewals)
	}
	return f
}

// whenText is a moment as the panel shows it: the time of day (with the date
// when it is not today) and how long ago.
func whenText(t, now time.Time) string {
	if t.IsZero() {
		return "Unknown"
	}
	lt, ln := t.In(now.Location()), now
	layout := "15:04"
	if y1, m1, d1 := lt.Date(); y1 != ln.Year() || m1 != ln.Month() || d1 != ln.Day() {
		layout = "Mon 2 Jan, 15:04"
	}
	return lt.Format(layout) + " (" + agoText(t, now) + ")"
}

// agoText says how long ago t was, coarsely: "just now", "5 min ago",
// "2 h ago", "3 days ago".
func agoText(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	case d < 48*time.Hour:
		return "yesterday"
	}
	return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
}

// initials are the avatar's letters: "Demo User" → "DU", "grace" → "G".
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		r := []rune(w)[0]
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToUpper(r))
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// upperFirst starts a sentence fragment with a capital, as the panel's
// other values do.
func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
