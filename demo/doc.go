// Package demo is the backend Signet ships with: a small token-issuing Login
// API (sign-in, rotating refresh tokens with reuse detection, logout) and a
// protected product list, persisted in a bbolt file. It is also a small
// OAuth 2.0 / OpenID Connect provider for the public client DemoClientID:
// browser sign-in (authorization code + PKCE on a loopback redirect), device
// sign-in, discovery, ES256 ID tokens, revocation (oauth_*.go).
//
// It exists so that the app runs out of the box and so that every other
// package's tests talk to a real server over real HTTP. Its HTTP contract is
// the one api.DemoProfile describes; nothing but main.go and tests import it.
package demo
