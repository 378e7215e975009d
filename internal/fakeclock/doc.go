// Package fakeclock is a settable clock for tests, shaped like what
// session.Config takes (Now, AfterFunc): its timers run synchronously, on
// the caller's goroutine, when Advance moves time past them, so a minute of
// session life (proactive renewals, Offline retries) takes microseconds and
// happens exactly when a test says.
package fakeclock
