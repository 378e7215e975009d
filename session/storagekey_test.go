package session

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"signet/api"
)

// Two backends that speak the same profile (the demo on two ports, say) are
// two accounts: with their own StorageKeys, sharing one keychain and one set
// of preferences, neither restores, overwrites or wipes the other's session.
// Two sign-ins (each a password hash and a database sync on the demo) get a
// call limit a loaded machine can't run out.
func TestStorageKey_BackendsSharingAKeychainNeverSeeEachOthersTokens(t *testing.T) {
	e := newEnv(t, envOpts{apiTimeout: time.Minute})
	keyA := func(c *Config) { c.StorageKey = "demo@127.0.0.1:1111" }
	keyB := func(c *Config) { c.StorageKey = "demo@127.0.0.1:2222" }

	a := e.signedIn(keyA)
	tokA := e.entry("demo@127.0.0.1:1111")

	b := e.controller(keyB)
	b.Restore(context.Background())
	if st := b.Snapshot(); st.State != SignedOut || st.Username != "" {
		t.Fatalf("backend B starts %v with username %q; want signed out with nothing of A's", st.State, st.Username)
	}
	if got := slices.Sorted(maps.Keys(e.kc.Snapshot())); !slices.Equal(got, []string{"demo@127.0.0.1:1111/tokens"}) {
		t.Fatalf("keychain entries %q, want only A's", got)
	}

	if err := b.SignIn(context.Background(), "demo", "demo1234"); err != nil {
		t.Fatalf("B SignIn: %v", err)
	}
	tokB := e.entry("demo@127.0.0.1:2222")
	if tokB.AccessToken == tokA.AccessToken || tokB.RefreshToken == tokA.RefreshToken {
		t.Fatal("B was handed A's tokens")
	}
	b.SignOut(context.Background())
	b.Close()
	if _, ok := e.kc.Snapshot()["demo@127.0.0.1:2222/tokens"]; ok {
		t.Error("B's entry survived B's sign-out")
	}

	// A restarts: its own entry is still there and still its own.
	a.Close()
	again := e.controller(keyA)
	again.Restore(context.Background())
	if st := again.Snapshot(); !st.State.HasSession() {
		t.Fatalf("A after B signed out: %v, want A's session restored", st.State)
	}
	if got := e.entry("demo@127.0.0.1:1111"); got.RefreshToken != tokA.RefreshToken {
		t.Error("A's saved refresh token changed while B was used")
	}
	for k := range e.prefs.All() {
		if strings.HasPrefix(k, "session.demo.") {
			t.Errorf("preference %q is keyed by the bare profile name, shared by every demo server", k)
		}
	}
}

func TestStorageKey_DefaultsToTheProfileName(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.signedIn()
	if _, ok := e.kc.Snapshot()["demo/tokens"]; !ok {
		t.Fatalf("keychain entries %v, want demo/tokens", slices.Sorted(maps.Keys(e.kc.Snapshot())))
	}
	if e.prefs.String("session.demo.username") != "demo" {
		t.Error("session.demo.username not set")
	}
}

// entry decodes the keychain entry of storage key k.
func (e *env) entry(k string) api.Tokens {
	e.t.Helper()
	v, ok := e.kc.Snapshot()[k+"/tokens"]
	if !ok {
		e.t.Fatalf("no keychain entry for %s", k)
	}
	tok, err := decodeTokens(v)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}
