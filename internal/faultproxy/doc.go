// Package faultproxy is a reverse proxy on 127.0.0.1 that misbehaves on
// demand, for tests: per path, at run time, it passes requests to a real
// upstream server or answers them itself with an error status, a delay, a
// hang, an abruptly closed connection, malformed JSON or an oversized body;
// it can stop accepting connections and start again on the same address;
// and it records what it saw (per-path counts, Authorization values, the
// order of arrivals and answers) so a test can check what a client really
// sent.
//
// A DNS failure needs no proxy: point the client at a host under ".invalid"
// (RFC 2606), which never resolves.
//
// The recorded Authorization values are secrets of the session under test:
// compare them, never print them.
package faultproxy
