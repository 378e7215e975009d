package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"signet/api"
	"signet/demo"
	"signet/session"
)

func TestFormatClock_ReadsLikeACountdown(t *testing.T) {
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{-5 * time.Second, "0:00"},
		{0, "0:00"},
		{time.Millisecond, "0:01"}, // rounds up: 0:00 only once it is due
		{42 * time.Second, "0:42"},
		{41*time.Second + 10*time.Millisecond, "0:42"},
		{60 * time.Second, "1:00"},
		{12*time.Minute + 5*time.Second, "12:05"},
		{59*time.Minute + 59*time.Second, "59:59"},
		{time.Hour, "1:00:00"},
		{time.Hour + 2*time.Minute + 3*time.Second, "1:02:03"},
		{26 * time.Hour, "26:00:00"},
	} {
		if got := formatClock(tc.in); got != tc.want {
			t.Errorf("formatClock(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRenewalText_PrefersRenewalThenExpiry(t *testing.T) {
	now := time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		snap session.Snapshot
		want string
	}{
		{"renewal planned", session.Snapshot{State: session.SignedIn, Renewable: true, RenewAt: now.Add(42 * time.Second), Expiry: now.Add(time.Minute)}, msgRenewsAutomatically},
		{"renewal far off", session.Snapshot{State: session.SignedIn, Renewable: true, RenewAt: now.Add(11*time.Minute + time.Second), Expiry: now.Add(time.Hour)}, msgRenewsAutomatically},
		{"renewal due", session.Snapshot{State: session.SignedIn, Renewable: true, RenewAt: now.Add(-time.Second)}, msgRenewsAutomatically},
		{"refreshing", session.Snapshot{State: session.Refreshing, Renewable: true, RenewAt: now.Add(time.Minute)}, msgRenewsAutomatically},
		{"no refresh token, renewal time set", session.Snapshot{State: session.SignedIn, RenewAt: now.Add(15 * time.Second), Expiry: now.Add(18 * time.Second)}, "Session ends in 0:18 — you will be asked to sign in again"},
		{"no refresh token, ends in a while", session.Snapshot{State: session.SignedIn, Expiry: now.Add(35 * time.Minute)}, "Session ends at 10:05 — you will be asked to sign in again"},
		{"no refresh token, ends tomorrow", session.Snapshot{State: session.SignedIn, Expiry: now.Add(25 * time.Hour)}, "Session ends at 3 Jun 10:30 — you will be asked to sign in again"},
		{"no refresh token, last minutes", session.Snapshot{State: session.SignedIn, Expiry: now.Add(3 * time.Minute)}, "Session ends in 3:00 — you will be asked to sign in again"},
		{"no refresh token, expiry unknown", session.Snapshot{State: session.SignedIn}, "This server can't renew sessions: you will sign in again when it ends"},
		{"no refresh token, expired", session.Snapshot{State: session.SignedIn, Expiry: now.Add(-time.Second)}, "Session expired"},
		{"refresh token, no renewal planned", session.Snapshot{State: session.SignedIn, Renewable: true, Expiry: now.Add(90 * time.Second)}, msgRenewsAutomatically},
		{"offline, token still good", session.Snapshot{State: session.Offline, RenewAt: now.Add(-time.Second), Expiry: now.Add(20 * time.Second)}, "Session expires in 0:20"},
		{"offline, token dead", session.Snapshot{State: session.Offline, RenewAt: now.Add(-time.Minute), Expiry: now.Add(-time.Second)}, "Session renewal waits for the server"},
		{"nothing known", session.Snapshot{State: session.SignedIn, Renewable: true}, msgRenewsAutomatically},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := renewalText(tc.snap, now); got != tc.want {
				t.Errorf("renewalText = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCountdownText_MinutesUntilTheLastFew(t *testing.T) {
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{-time.Second, "0:00"},
		{42 * time.Second, "0:42"},
		{3 * time.Minute, "3:00"},
		{3*time.Minute + time.Second, "4 min"},
		{12 * time.Minute, "12 min"},
		{59*time.Minute + time.Second, "1 h"},
		{time.Hour + 4*time.Minute + time.Second, "1 h 5 min"},
	} {
		if got := countdownText(tc.in); got != tc.want {
			t.Errorf("countdownText(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestOfflineText_CountsDownToTheNextAttempt(t *testing.T) {
	now := time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		retryAt time.Time
		want    string
	}{
		{now.Add(5 * time.Second), "Can't reach the server — retrying in 5 s"},
		{now.Add(4500 * time.Millisecond), "Can't reach the server — retrying in 5 s"},
		{now, "Can't reach the server — retrying…"},
		{time.Time{}, "Can't reach the server — retrying…"},
	} {
		if got := offlineText(tc.retryAt, now); got != tc.want {
			t.Errorf("offlineText(now%+v) = %q, want %q", tc.retryAt.Sub(now), got, tc.want)
		}
	}
}

func TestCountText_GroupsThousands(t *testing.T) {
	for _, tc := range []struct {
		loaded, total int
		want          string
	}{
		{120, 1940, "120 of 1 940"},
		{0, 0, "0 of 0"},
		{100, 12345678, "100 of 12 345 678"},
		{1, -1, "1 item"},
		{1500, -1, "1 500 items"},
	} {
		if got := countText(tc.loaded, tc.total); got != tc.want {
			t.Errorf("countText(%d, %d) = %q, want %q", tc.loaded, tc.total, got, tc.want)
		}
	}
}

func TestDisplayName_FallsBackFromNameToUsername(t *testing.T) {
	for _, tc := range []struct {
		snap session.Snapshot
		want string
	}{
		{session.Snapshot{User: api.User{Name: "Demo User"}, Username: "demo"}, "Demo User"},
		{session.Snapshot{Username: "demo"}, "demo"},
		{session.Snapshot{User: api.User{Email: "d@example.com"}}, "d@example.com"},
		{session.Snapshot{}, "you"},
	} {
		if got := displayName(tc.snap); got != tc.want {
			t.Errorf("displayName(%+v) = %q, want %q", tc.snap, got, tc.want)
		}
	}
}

func TestCountdown_ABackendWithoutRefreshSaysTheSessionEnds(t *testing.T) {
	s := newRealSession(t, demo.Config{TokenTTL: time.Hour, DisableRefresh: true})
	h := newHarness(t, s, Options{})
	l, _ := h.signInToList()
	snap := s.Snapshot()
	if snap.Renewable || snap.Expiry.IsZero() {
		t.Fatalf("setup: Renewable %v, expiry %v; want no refresh token and a known expiry", snap.Renewable, snap.Expiry)
	}
	// The UI's clock stands 18 s before the token dies.
	h.now = snap.Expiry.Add(-18 * time.Second)
	l.onTick()
	if got, want := mutedText(l.renewal), "Session ends in 0:18 — you will be asked to sign in again"; got != want {
		t.Errorf("top bar %q, want %q", got, want)
	}
	test.Tap(l.account.button)
	if got, want := mutedText(l.panel.renewal), "Ends in 0:18 — you will be asked to sign in again"; got != want {
		t.Errorf("session panel %q, want %q", got, want)
	}
}

// textChanges ticks the list screen every second for d, as the ticker does,
// with the session moved to next(now) before each tick, and returns how
// often the top bar's session line changed (setMuted repaints only on a
// change) and the last text.
func textChanges(h *harness, s *fakeSession, d time.Duration, next func(now time.Time) session.Snapshot) (changes int, last string) {
	l := h.ui.list
	last = mutedText(l.renewal)
	for range int(d / time.Second) {
		h.now = h.now.Add(time.Second)
		s.set(next(h.now))
		h.q.runPending()
		l.onTick()
		if got := mutedText(l.renewal); got != last {
			changes++
			last = got
		}
	}
	return changes, last
}

func TestCountdown_ARenewingSessionsLineNeverChanges(t *testing.T) {
	snap := signedIn()
	s := newFakeSession(snap)
	h := newHarness(t, s, Options{})
	h.waitFor("the list screen", h.onList)
	if got := mutedText(h.ui.list.renewal); got != msgRenewsAutomatically {
		t.Fatalf("top bar %q, want %q", got, msgRenewsAutomatically)
	}
	// 15 minutes with a renewal every 5: planned, due, under way, done.
	start := h.now
	changes, last := textChanges(h, s, 15*time.Minute, func(now time.Time) session.Snapshot {
		snap := signedIn()
		since := now.Sub(start) % (5 * time.Minute)
		snap.RenewAt = now.Add(5*time.Minute - since)
		snap.Expiry = snap.RenewAt.Add(30 * time.Second)
		if since < 2*time.Second {
			snap.State = session.Refreshing
		}
		return snap
	})
	if changes != 0 || last != msgRenewsAutomatically {
		t.Errorf("%d changes, last %q; want none", changes, last)
	}
}

func TestCountdown_AnEndingSessionCountsDownOnlyInItsLastMinutes(t *testing.T) {
	snap := signedIn()
	snap.Renewable = false
	s := newFakeSession(snap)
	h := newHarness(t, s, Options{})
	snap.Expiry = h.now.Add(15 * time.Minute)
	s.set(snap)
	l := h.ui.list
	h.waitFor("the end time", func() bool {
		return mutedText(l.renewal) == "Session ends at 09:45 — you will be asked to sign in again"
	})
	changes, _ := textChanges(h, s, 12*time.Minute-time.Second, func(time.Time) session.Snapshot { return snap })
	if changes != 0 {
		t.Errorf("%d changes before the last 3 minutes, want none", changes)
	}
	// The last 3 minutes count down by the second, then it has expired.
	changes, last := textChanges(h, s, 3*time.Minute+time.Second, func(time.Time) session.Snapshot { return snap })
	if changes != 181 || last != "Session expired" {
		t.Errorf("%d changes in the last minutes, last %q; want 181 and Session expired", changes, last)
	}
}
