// Package api is the backend's HTTP contract as Signet sees it: it builds the
// sign-in, refresh, logout and list requests a Profile describes, maps the
// answers to Tokens, Users and Pages, and turns every failure into a typed
// *Error with a message a person can read. It knows HTTP and JSON only: no
// keychain, no preferences, no UI.
package api
