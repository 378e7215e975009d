// Package bench holds Signet's performance figures: Go benchmarks
// for what can be measured in-process (refresh coalescing, steady polling,
// transport overhead, large lists, keychain cost), cheap count checks of the
// first two figures that run with plain `go test`, and, under coldstart/, the
// harness that times the real binary from exec to its first list rows.
//
// Every figure is measured next to its baseline in the same run, so the
// ratio in docs/BENCHMARKS.md never compares numbers from different
// machines or moments. `make bench` (scripts/bench.sh) runs it all and
// prints the table; bench/report turns raw `go test -bench` lines into it.
//
// The package has no non-test code of its own: it is a place to measure
// session, api, demo and Fyne from the outside, through their exported API
// only, the way the app uses them.
package bench
