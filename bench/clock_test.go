package bench

import (
	"time"

	"signet/internal/fakeclock"
)

// fakeClock is a clock with timers that move only when told, so the count
// checks cover a minute of session life in milliseconds.
type fakeClock = fakeclock.Clock

func newFakeClock() *fakeClock {
	return fakeclock.New(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
}
