package ui

import (
	"fmt"
	"strconv"
	"time"

	"signet/session"
)

// formatClock shows a remaining duration the way a countdown reads: "0:42",
// "12:05", "1:02:03". It rounds up to the next whole second, so "0:00"
// appears only once the moment has come; a negative duration is "0:00".
func formatClock(d time.Duration) string {
	if d <= 0 {
		return "0:00"
	}
	secs := int64((d + time.Second - 1) / time.Second)
	h, m, s := secs/3600, secs/60%60, secs%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// secondsFrom is when a countdown starts showing seconds: before that it
// says whole minutes, so the label (and the window) changes once a minute
// rather than every second.
const secondsFrom = 3 * time.Minute

// countdownText is a remaining duration as the top bar says it: "12 min",
// "1 h 5 min", and the clock ("2:59") in the last few minutes. Minutes round
// up, like formatClock's seconds.
func countdownText(d time.Duration) string {
	if d <= secondsFrom {
		return formatClock(d)
	}
	mins := int64((d + time.Minute - 1) / time.Minute)
	switch h, m := mins/60, mins%60; {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	default:
		return fmt.Sprintf("%d h %d min", h, m)
	}
}

// msgRenewsAutomatically is the top bar's line for a session that renews
// itself: nothing the person needs to watch, so nothing that ticks (an idle
// window draws no frames).
const msgRenewsAutomatically = "Session renews automatically"

// endsText is what happens to a session nothing can renew: it ends, and
// the person signs in again.
func endsText(left time.Duration) string {
	return "ends in " + countdownText(left) + " — you will be asked to sign in again"
}

// renewalText is the top bar's line about the session's life. A session
// that renews itself says so and stays put; one that cannot be renewed
// (no refresh token: that is asked first, whatever RenewAt says) says when
// it ends, as a time of day, and counts down only in its last minutes,
// when it matters; while the server can't be reached, it says how long the
// token still lasts.
func renewalText(s session.Snapshot, now time.Time) string {
	left := s.Expiry.Sub(now)
	switch {
	case s.State == session.Offline:
		if !s.Expiry.IsZero() && left > 0 {
			return "Session expires in " + countdownText(left)
		}
		return "Session renewal waits for the server"
	case s.State == session.Refreshing, s.Renewable:
		return msgRenewsAutomatically
	case s.Expiry.IsZero():
		return "This server can't renew sessions: you will sign in again when it ends"
	case left > secondsFrom:
		return "Session ends at " + clockTime(s.Expiry, now) + " — you will be asked to sign in again"
	case left > 0:
		return "Session " + endsText(left)
	}
	return "Session expired"
}

// clockTime is t as a time of day in now's time zone ("16:05"), with the
// date in front when it is not today's ("3 Jun 16:05").
func clockTime(t, now time.Time) string {
	t = t.In(now.Location())
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return t.Format("2 Jan 15:04")
}

// offlineText is the banner shown while the session cannot reach the server
// and the controller retries in the background.
func offlineText(retryAt, now time.Time) string {
	const lead = "Can't reach the server — retrying"
	left := retryAt.Sub(now)
	if retryAt.IsZero() || left <= 0 {
		return lead + "…"
	}
	secs := int64((left + time.Second - 1) / time.Second)
	return fmt.Sprintf("%s in %d s", lead, secs)
}

// countText is the list's row count: "120 of 1 940" when the server says how
// many there are, "120 items" when it does not.
func countText(loaded, total int) string {
	if total >= 0 {
		return groupThousands(loaded) + " of " + groupThousands(total)
	}
	if loaded == 1 {
		return "1 item"
	}
	return groupThousands(loaded) + " items"
}

// groupThousands writes n with a space between groups of three digits
// ("1 940", "12 345 678"), which reads the same in every locale.
func groupThousands(n int) string {
	if n < 0 {
		return "-" + groupThousands(-n)
	}
	digits := strconv.Itoa(n)
	out := make([]byte, 0, len(digits)+len(digits)/3)
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, ' ')
		}
		out = append(out, digits[i])
	}
	return string(out)
}

// displayName is how the top bar names the signed-in person.
func displayName(s session.Snapshot) string {
	switch {
	case s.User.Name != "":
		return s.User.Name
	case s.Username != "":
		return s.Username
	case s.User.Email != "":
		return s.User.Email
	}
	return "you"
}
