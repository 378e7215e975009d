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
		{"renewal planned", session.Snapshot{State: session.SignedIn, Renewable: true, RenewAt: now.Add(42 * time.Second), Expiry: now.Add(time.Minute)}, "Session renews in 0:42"},
		{"renewal far off", session.Snapshot{State: session.SignedIn, Renewable: true, RenewAt: now.Add(11*time.Minute + time.Second), Expiry: now.Add(time.Hour)}, "Session renews in 12 min"},
		{"renewal due", session.Snapshot{State: session.SignedIn, Renewable: true, RenewAt: now.Add(-time.Second)}, "Renewing session…"},
		{"refreshing", session.Snapshot{State: session.Refreshing, RenewAt: now.Add(time.Minute)}, "Renewing session…"},
		{"no refresh token, renewal time set", session.Snapshot{State: session.SignedIn, RenewAt: now.Add(15 * time.Second), Expiry: now.Add(18 * time.Second)}, "Session ends in 0:18 — you will be asked to sign in again"},
		{"no refresh token, expiry unknown", session.Snapshot{State: session.SignedIn}, "This server can't renew sessions: you will sign in again when it ends"},
		{"no refresh token, expired", session.Snapshot{State: session.SignedIn, Expiry: now.Add(-time.Second)}, "Session expired"},
		{"refresh token, no renewal planned", session.Snapshot{State: session.SignedIn, Renewable: true, Expiry: now.Add(90 * time.Second)}, "Session expires in 1:30"},
		{"offline, token still good", session.Snapshot{State: session.Offline, RenewAt: now.Add(-time.Second), Expiry: now.Add(20 * time.Second)}, "Session expires in 0:20"},
		{"offline, token dead", session.Snapshot{State: session.Offline, RenewAt: now.Add(-time.Minute), Expiry: now.Add(-time.Second)}, "Session renewal waits for the server"},
		{"nothing known", session.Snapshot{State: session.SignedIn, Renewable: true}, "Session renewal time unknown"},
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

func TestCountdown_ChangesOncePerMinuteUntilTheLastMinutes(t *testing.T) {
	snap := signedIn()
	s := newFakeSession(snap)
	h := newHarness(t, s, Options{})
	snap.RenewAt = h.now.Add(15 * time.Minute)
	s.set(snap)
	l := h.ui.list
	h.waitFor("the countdown", func() bool { return mutedText(l.renewal) == "Session renews in 15 min" })
	// Tick every second for 15 minutes, as the ticker does, and count the
	// label's changes (setMuted repaints only on a change).
	changes, last := 0, mutedText(l.renewal)
	distinct := map[string]bool{last: true}
	for range 15 * 60 {
		h.now = h.now.Add(time.Second)
		l.onTick()
		if got := mutedText(l.renewal); got != last {
			changes++
			last = got
			distinct[got] = true
		}
	}
	// 15…4 min is 12 texts, then one per second for the last 3 minutes,
	// then "Renewing session…".
	if want := 12 + 180 + 1; len(distinct) > want || changes > len(distinct) {
		t.Errorf("%d changes, %d distinct texts, want at most %d", changes, len(distinct), want)
	}
	if last != "Renewing session…" {
		t.Errorf("last text %q", last)
	}
}
