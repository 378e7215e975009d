package session

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"signet/demo"
)

// SignOut waits for neither the call in flight nor the server: both are
// held until SignOut has returned, so a SignOut that waited for either
// would not return before its deadline. The deadlines and the call limits
// are generous: a loaded machine is slow, not wrong.
func TestSignOut_CancelsInFlightCallWipesKeychainAndTellsServer(t *testing.T) {
	const patience = 30 * time.Second
	e := newEnv(t, envOpts{apiTimeout: 2 * patience})
	e.gate.itemsStarted = make(chan struct{}, 1)
	e.gate.itemsBlock.Store(true)
	e.gate.logoutHold = make(chan struct{})
	c := e.signedIn(func(cfg *Config) { cfg.LogoutTimeout = 2 * patience })
	release := sync.OnceFunc(func() { close(e.gate.logoutHold) })
	t.Cleanup(release) // before c.Close, which waits for the logout

	result := make(chan error, 1)
	go func() { result <- fetch(c) }()
	select {
	case <-e.gate.itemsStarted:
	case err := <-result:
		t.Fatalf("the call ended before it reached the server: %v", err)
	}

	signedOut := make(chan struct{})
	go func() { c.SignOut(context.Background()); close(signedOut) }()
	select {
	case <-signedOut:
	case <-time.After(patience):
		t.Fatal("SignOut waited for the call in flight or for the server's logout")
	}
	release()
	select {
	case err := <-result:
		if !errors.Is(err, ErrSignedOut) {
			t.Errorf("in-flight call ended with %v, want ErrSignedOut", err)
		}
	case <-time.After(patience):
		t.Fatal("the in-flight call was not cancelled")
	}
	s := c.Snapshot()
	if s.State != SignedOut || s.Username != demo.DemoUsername || s.Expiry != (time.Time{}) {
		t.Errorf("snapshot = %+v, want SignedOut keeping only the username", s)
	}
	if len(e.kc.Snapshot()) != 0 {
		t.Error("keychain not wiped")
	}
	if p := e.prefs.All(); len(p) != 1 || p["session.demo.username"] != demo.DemoUsername {
		t.Errorf("preferences = %v, want only the username", p)
	}
	if e.clock.Pending() != 0 {
		t.Error("timers left running")
	}
	c.Close() // waits for the server logout
	if got := e.demo.Stats().Logouts; got != 1 {
		t.Errorf("server logouts = %d, want 1", got)
	}
	if err := fetch(c); err != ErrNotSignedIn {
		t.Errorf("call after sign-out = %v", err)
	}
}

func TestSignOut_WorksOffline(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn(func(cfg *Config) { cfg.LogoutTimeout = 200 * time.Millisecond })
	e.server.stop()
	e.advance(renewDue) // offline: the renewal fails
	if st := c.Snapshot().State; st != Offline {
		t.Fatalf("state %v, want Offline", st)
	}
	c.SignOut(context.Background())
	if s := c.Snapshot(); s.State != SignedOut || len(e.kc.Snapshot()) != 0 || e.clock.Pending() != 0 {
		t.Errorf("after offline sign-out: %v, keychain %d entries, %d timers", s.State, len(e.kc.Snapshot()), e.clock.Pending())
	}
	c.Close()
}

func TestSignOut_DuringSignInDiscardsTheSession(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.controller()
	c.Restore(context.Background())
	signingIn := make(chan struct{})
	cancel := c.Subscribe(func(s Snapshot) {
		if s.State == SigningIn {
			close(signingIn)
		}
	})
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword) }()
	<-signingIn
	c.SignOut(context.Background())
	err := <-done
	if s := c.Snapshot(); s.State != SignedOut {
		t.Errorf("state %v (sign-in returned %v), want SignedOut", s.State, err)
	}
	if err == nil && len(e.kc.Snapshot()) != 0 {
		t.Error("a sign-in overtaken by sign-out left tokens in the keychain")
	}
}

func TestForgetUsername_AfterSignOutTheFormStartsEmpty(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn()
	c.SignOut(context.Background())
	if c.Snapshot().Username == "" {
		t.Fatal("sign-out already dropped the username; the test proves nothing")
	}
	c.ForgetUsername()
	if u := c.Snapshot().Username; u != "" {
		t.Fatalf("username after ForgetUsername = %q", u)
	}
	for k, v := range e.prefs.All() {
		if v == demo.DemoUsername {
			t.Fatalf("preference %s still holds the username", k)
		}
	}
	// A restart finds no username either.
	c2 := e.controller()
	c2.Restore(context.Background())
	if u := c2.Snapshot().Username; u != "" {
		t.Fatalf("username after restart = %q", u)
	}
}
