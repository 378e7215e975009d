// Package bothschemes serves https and plain http on one loopback port, for
// tests of design R12: a redirect from https://127.0.0.1:P to
// http://127.0.0.1:P keeps the host and the port and changes only the
// scheme, and whatever reaches the plain side is recorded.
package bothschemes
