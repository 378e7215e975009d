package session

import (
	"fmt"
	"time"

	"signet/api"
	"signet/session/keychain"
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

// transitions is the state diagram (doc.go, docs/design.md "Session
// states"): for each state, the states it may move to. Sign-out reaches
// SignedOut from every state, and from SignedOut itself.
var transitions = [...][]State{
	Restoring:  {SignedOut, SignedIn, Refreshing, Expired},
	SignedOut:  {SignedOut, SigningIn},
	SigningIn:  {SignedOut, SignedIn, Expired},
	SignedIn:   {SignedOut, Refreshing, Expired},
	Refreshing: {SignedOut, SignedIn, Offline, Expired},
	Offline:    {SignedOut, Refreshing, Expired},
	Expired:    {SignedOut, SigningIn},
}

// allowed reports whether the diagram has an arrow from s to to.
func (s State) allowed(to State) bool {
	if int(s) < 0 || int(s) >= len(transitions) {
		return false
	}
	for _, t := range transitions[s] {
		if t == to {
			return true
		}
	}
	return false
}

// refusedTransition handles a transition the diagram doesn't have: a
// programming error. The app logs it at error level and keeps the state it
// is in; the package's tests make it panic.
var refusedTransition = logRefusedTransition

func logRefusedTransition(c *Controller, from, to State) {
	c.log.Error("session state change refused", "from", from.String(), "to", to.String())
}

// transitionLocked is the one place the state changes: it moves to to if
// the diagram allows it from the current state, and reports whether it did.
func (c *Controller) transitionLocked(to State) bool {
	from := c.snap.State
	if !from.allowed(to) {
		refusedTransition(c, from, to)
		return false
	}
	if from != to {
		c.log.Debug("session state", "from", from.String(), "to", to.String())
	}
	c.snap.State = to
	return true
}

// moveLocked is transitionLocked for the session of generation gen: once
// another session has begun (or this one ended) it does nothing and
// reports false.
func (c *Controller) moveLocked(gen uint64, to State) bool {
	return c.gen == gen && c.transitionLocked(to)
}

// errRefused is what the package's tests panic with.
func errRefused(from, to State) error {
	return fmt.Errorf("session: state change %v → %v is not in the diagram", from, to)
}

// HasSession reports whether the person counts as signed in: tokens are held
// (they may be renewing or waiting for the network).
func (s State) HasSession() bool { return s == SignedIn || s == Refreshing || s == Offline }

// Snapshot is an immutable copy of the session as the UI shows it. It holds
// no secrets.
type Snapshot struct {
	State State
	// MemoryOnly: the keychain is unavailable; the session ends when the
	// app quits. Notice says so in words.
	MemoryOnly bool
	Notice     string
	// SecretsIn says where the tokens are kept: the keychain, memory, or
	// the store's own Location() (the opt-in plaintext file, see
	// keychain.Fallback).
	SecretsIn keychain.Location

	// Username is what the sign-in form is filled with.
	Username string
	User     api.User

	// Expiry of the auth token (zero: unknown); RenewAt is when the
	// proactive refresh will run (zero: none planned).
	Expiry  time.Time
	RenewAt time.Time

	// SignInMethod is how this session began (MethodPassword,
	// MethodBrowser, MethodDevice), kept across restarts; empty for a
	// session saved before it was recorded.
	SignInMethod string
	// SignInProvider is the host of the provider a browser or device
	// sign-in went through (the issuer's, else the token endpoint's).
	SignInProvider string

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
