package session

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"signet/api"
)

// A server that quotes the session's tokens back in an error body (the
// access token in a refresh error, the refresh token in a list error: the
// secrets that call did not send) must not get them into the log, the
// error the UI shows, or the error FetchList returns. The tokens are
// opaque and 20 characters long: nothing about their shape gives them away.
func TestScrub_ServerTextQuotingAnyTokenIsCleanedEverywhere(t *testing.T) {
	for _, tc := range []struct {
		name string
		// fail makes the server quote the tokens in body; it returns the
		// error the UI shows and the one FetchList returns.
		fail      func(t *testing.T, e *tokenEnv, body string) (shown, returned error)
		wantKind  api.Kind
		wantState State
	}{
		{"refresh 500 while idle", func(t *testing.T, e *tokenEnv, body string) (error, error) {
			e.srv.set(func(s *tokenServer) { s.refreshFail = &failure{http.StatusInternalServerError, body} })
			e.clock.Advance(55 * time.Second) // the proactive refresh
			shown := e.c.Snapshot().Err
			e.clock.Skip(time.Minute) // dead: the call tries again
			_, err := e.c.FetchList(t.Context(), "Items", 0, 5, "")
			return shown, err
		}, api.KindServer, Offline},
		{"refresh refused", func(t *testing.T, e *tokenEnv, body string) (error, error) {
			e.srv.set(func(s *tokenServer) { s.refreshFail = &failure{http.StatusBadRequest, body} })
			e.clock.Skip(time.Minute)
			_, err := e.c.FetchList(t.Context(), "Items", 0, 5, "")
			return e.c.Snapshot().Err, err
		}, api.KindRefreshRefused, Expired},
		{"list 403", func(t *testing.T, e *tokenEnv, body string) (error, error) {
			e.srv.set(func(s *tokenServer) { s.listFail = &failure{http.StatusForbidden, body} })
			_, err := e.c.FetchList(t.Context(), "Items", 0, 5, "")
			return err, err
		}, api.KindUnauthorized, SignedIn},
		{"list 500", func(t *testing.T, e *tokenEnv, body string) (error, error) {
			e.srv.set(func(s *tokenServer) { s.listFail = &failure{http.StatusInternalServerError, body} })
			_, err := e.c.FetchList(t.Context(), "Items", 0, 5, "")
			return err, err
		}, api.KindServer, SignedIn},
	} {
		// The api client already drops a message that quotes a secret the
		// call itself sent; the quotes that matter are of the others.
		for _, q := range []struct{ name, body string }{
			{"access token", `{"message":"token {access} is not valid here"}`},
			{"refresh token", `{"message":"token {refresh} is not valid here"}`},
			{"both", `{"message":"rejected: access {access}, refresh {refresh}"}`},
		} {
			t.Run(tc.name+"/quoting "+q.name, func(t *testing.T) {
				e := newTokenEnv(t, nil)
				e.signIn(t)
				tok := e.c.tokensForTest()
				if len(tok.AccessToken) != 20 || len(tok.RefreshToken) != 20 {
					t.Fatalf("tokens are %d and %d characters, want 20", len(tok.AccessToken), len(tok.RefreshToken))
				}
				shown, returned := tc.fail(t, e, q.body)
				if returned == nil || shown == nil {
					t.Fatalf("errors shown %v, returned %v; want both", shown, returned)
				}
				if got := api.KindOf(returned); got != tc.wantKind {
					t.Errorf("kind %v, want %v: the error lost what it is", got, tc.wantKind)
				}
				if st := e.c.Snapshot().State; st != tc.wantState {
					t.Errorf("state %v, want %v", st, tc.wantState)
				}
				var ae *api.Error
				if !errors.As(returned, &ae) {
					t.Fatal("errors.As found no *api.Error")
				}
				for _, where := range []struct{ what, text string }{
					{"the shown error", shown.Error()},
					{"FetchList's error", returned.Error()},
					{"the *api.Error inside", ae.Error()},
					{"the log", e.logs.String()},
				} {
					for _, secret := range []string{tok.AccessToken, tok.RefreshToken} {
						if strings.Contains(where.text, secret) {
							t.Errorf("%s holds a token: %s", where.what, where.text)
						}
					}
				}
			})
		}
	}
}

// tokensForTest is the tokens the controller holds now.
func (c *Controller) tokensForTest() api.Tokens {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.held.tok.Tokens
}

// A refused sign-in whose answer quotes the tokens of the session before is
// cleaned too, in the error returned and the one kept for the UI.
func TestScrub_SignInErrorQuotingEarlierTokensIsCleaned(t *testing.T) {
	e := newTokenEnv(t, nil)
	e.signIn(t)
	old := e.c.tokensForTest()
	e.c.SignOut(t.Context())
	e.srv.set(func(s *tokenServer) {
		s.loginFail = &failure{http.StatusUnauthorized, `{"message":"wrong password; your last token was {access}, refresh {refresh}"}`}
	})
	err := e.c.SignIn(t.Context(), "user", "hunter2-x")
	if api.KindOf(err) != api.KindBadCredentials {
		t.Fatalf("SignIn = %v (kind %v), want bad credentials", err, api.KindOf(err))
	}
	for _, text := range []string{err.Error(), e.c.Snapshot().Err.Error(), e.logs.String()} {
		for _, secret := range []string{old.AccessToken, old.RefreshToken} {
			if strings.Contains(text, secret) {
				t.Errorf("a token of the earlier session got through: %s", text)
			}
		}
	}
	if !strings.Contains(err.Error(), "wrong password;") {
		t.Errorf("SignIn's error %q lost the server's words", err)
	}
}
