package bench

import (
	"sync/atomic"
	"time"
)

// offsetClock is real time plus an offset that a benchmark moves forward to
// make a token expire at once, without waiting for it and without a fake
// clock's frozen time (the timed figures need real time to pass).
type offsetClock struct{ off atomic.Int64 }

func (c *offsetClock) Now() time.Time { return time.Now().Add(time.Duration(c.off.Load())) }

func (c *offsetClock) Jump(d time.Duration) { c.off.Add(int64(d)) }
