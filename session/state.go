package session

import (
	"time"

	"signet/api"
)

// State is where the session is in its life (docs/design.md).
type State int

const (
	Restoring State = iota
	SignedOut
	SigningIn
	SignedIn
	Refreshing
	Offline
	Expired
)

func (s State) String() string {
	switch s {
	case Restoring:
		return "Restoring"
	case SignedOut:
		return "SignedOut"
	case SigningIn:
		return "SigningIn"
	case SignedIn:
		return "SignedIn"
	case Refreshing:
		return "Refreshing"
	case Offline:
		return "Offline"
	case Expired:
		return "Expired"
	}
	return "Unknown"
}

// HasSession reports whether the person counts as signed in: tokens are held
// (they may be renewing or waiting for the network).
func (s State) HasSession() bool { return s == SignedIn || s == Refreshing || s == Offline }

// Where the secrets are kept, as Snapshot.SecretsIn says it.
const (
	SecretsInKeychain = "OS keychain"
	SecretsInMemory   = "this session only"
)

// Snapshot is an immutable copy of the session as the UI shows it. It holds
// no secrets.
type Snapshot struct {
	State State
	// MemoryOnly: the keychain is unavailable; the session ends when the
	// app quits. Notice says so in words.
	MemoryOnly bool
	Notice     string
	// SecretsIn says where the tokens are kept, in words for the person:
	// SecretsInKeychain, SecretsInMemory, or the store's own Location()
	// (the opt-in plaintext file, see keychain.Fallback).
	SecretsIn string

	// Username is what the sign-in form is filled with.
	Username string
	User     api.User

	// Expiry of the auth token (zero: unknown); RenewAt is when the
	// proactive refresh will run (zero: none planned).
	Expiry  time.Time
	RenewAt time.Time

	SignedInAt  time.Time
	LastRenewal time.Time
	Renewals    int

	// RetryAt is when the next background refresh attempt runs (Offline).
	RetryAt time.Time
	// Err is the last failure, for the UI to show (sign-in refused,
	// offline reason, session ended). Its text is safe to show.
	Err error

	ProfileName string
	Server      string // the API's base URL
	HasRefresh  bool   // the backend has a refresh call
	// Renewable: the session holds a refresh token it can renew with. A
	// session that is not ends at Expiry (RenewAt is then the expiry).
	Renewable bool
}
