package session

import (
	"context"
	"strings"
	"testing"
	"time"

	"signet/api"
	"signet/demo"
	"signet/session/keychain"
)

func TestSignIn_StoresTokensInKeychainAndNothingSecretInPrefs(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn()

	s := c.Snapshot()
	if s.State != SignedIn || s.MemoryOnly || s.Err != nil {
		t.Fatalf("snapshot = %v memoryOnly=%v err=%v, want SignedIn", s.State, s.MemoryOnly, s.Err)
	}
	if s.Username != demo.DemoUsername || s.User.Name == "" || s.Expiry.IsZero() || s.RenewAt.IsZero() {
		t.Errorf("snapshot misses details: %+v", s)
	}
	tok, ok := e.stored()
	if !ok || tok.AccessToken == "" || tok.RefreshToken == "" || !tok.Expiry.Equal(s.Expiry) {
		t.Fatalf("keychain entry = present %v, want both tokens and the expiry", ok)
	}
	if len(e.kc.Snapshot()) != 1 {
		t.Errorf("keychain holds %d entries, want one", len(e.kc.Snapshot()))
	}
	p := e.prefs.All()
	if p["session.demo.saved"] != "1" || p["session.demo.username"] != demo.DemoUsername || p["session.demo.expiry"] == "" {
		t.Errorf("preferences = %v, want saved flag, username and expiry", p)
	}
	e.assertNoSecrets(tok.AccessToken, tok.RefreshToken, demo.DemoPassword)
	mustFetch(t, c)
}

func TestSignIn_WrongPasswordKeepsUsernameAndError(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.controller()
	c.Restore(context.Background())
	err := c.SignIn(context.Background(), demo.DemoUsername, "wrong-password")
	if !isKind(err, api.KindBadCredentials) {
		t.Fatalf("SignIn error = %v, want bad credentials", err)
	}
	s := c.Snapshot()
	if s.State != SignedOut || s.Username != demo.DemoUsername || s.Err == nil {
		t.Errorf("snapshot = %v %q err=%v, want SignedOut with username and error", s.State, s.Username, s.Err)
	}
	if len(e.kc.Snapshot()) != 0 {
		t.Error("a refused sign-in wrote to the keychain")
	}
	e.assertNoSecrets("wrong-password")
}

func TestSignIn_KeychainWriteFails_MemoryOnlyNoticeSessionContinues(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.kc.Fail(keychain.OpSet, keychain.ErrUnavailable)
	c := e.signedIn()
	s := c.Snapshot()
	if s.State != SignedIn || !s.MemoryOnly || !strings.Contains(s.Notice, "sign in again next time") {
		t.Fatalf("snapshot = %v memoryOnly=%v notice=%q", s.State, s.MemoryOnly, s.Notice)
	}
	if e.prefs.String("session.demo.saved") != "" {
		t.Error("saved flag set although the keychain refused the write")
	}
	mustFetch(t, c)
	// The session renews in memory too, and never tries the keychain again.
	e.advance(61 * time.Second)
	mustFetch(t, c)
	if got := c.Snapshot(); got.State != SignedIn || got.Renewals != 1 {
		t.Errorf("after renewal: %v renewals=%d", got.State, got.Renewals)
	}
}

func TestSignIn_WhileSignedInIsRefused(t *testing.T) {
	e := newEnv(t, envOpts{})
	c := e.signedIn()
	if err := c.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != ErrBusy {
		t.Errorf("second SignIn = %v, want ErrBusy", err)
	}
}

func TestSignIn_AsksWhoIsSignedInWhenTheAnswerDoesNotSay(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.profile.Login.User = api.UserPaths{} // the sign-in answer names nobody
	e.profile.Me = &api.MeSpec{RequestSpec: api.RequestSpec{Method: "GET", Path: "/api/me"},
		User: api.UserPaths{ID: "id", Name: "name", Email: "email"}}
	c := e.signedIn()
	s := c.Snapshot()
	if s.User.Name == "" || s.User.ID == "" {
		t.Errorf("user = %+v, want it filled from the current-user call", s.User)
	}
	if got := e.demo.Stats().MeCalls; got != 1 {
		t.Errorf("current-user calls = %d, want 1", got)
	}
	if e.prefs.String("session.demo.user_name") != s.User.Name {
		t.Error("the user's name was not saved")
	}
}
