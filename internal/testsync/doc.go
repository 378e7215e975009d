// Package testsync holds what tests across Signet need to wait on work that
// lands on other goroutines: polling a condition with a deadline (never a
// fixed sleep) and a buffer a logger may write to while the test reads it.
package testsync
