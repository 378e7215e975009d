// Package reliability holds Signet's fault matrix: one table-driven suite
// that puts the real session controller and API client in front of the real
// demo backend, through a fault-injecting proxy (internal/faultproxy), and
// checks that every failure of the network, the server or the keychain ends
// with the person still signed in and retrying, or cleanly asked to sign in
// again, with no secret leaked on the way. docs/RELIABILITY.md lists the
// matrix and its results.
//
// The package has no code of its own: everything is in its tests.
package reliability
