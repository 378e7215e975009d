package profile_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-oauth2/oauth2/v4/manage"
	"github.com/go-oauth2/oauth2/v4/models"
	"github.com/go-oauth2/oauth2/v4/server"
	"github.com/go-oauth2/oauth2/v4/store"

	"signet/api"
	"signet/assets/profiles"
	"signet/profile"
)

const (
	oauthClientID     = "signet"
	oauthClientSecret = "change-me"
)

// startOAuth2Server runs go-oauth2/oauth2, a real RFC 6749 implementation,
// on 127.0.0.1: in-memory client and token stores, the password grant
// checking testUser/testPassword, and the refresh_token grant. basic says
// whether clients authenticate with HTTP Basic (the library's default) or
// with client_id/client_secret body fields.
func startOAuth2Server(t *testing.T, basic bool) (*httptest.Server, *manage.Manager) {
	t.Helper()
	m := manage.NewDefaultManager()
	m.SetPasswordTokenCfg(&manage.Config{AccessTokenExp: 2 * time.Hour, RefreshTokenExp: 24 * time.Hour, IsGenerateRefresh: true})
	m.SetRefreshTokenCfg(manage.DefaultRefreshTokenCfg) // rotates, and removes the old access token
	m.MustTokenStorage(store.NewMemoryTokenStore())
	clients := store.NewClientStore()
	if err := clients.Set(oauthClientID, &models.Client{ID: oauthClientID, Secret: oauthClientSecret, Domain: "http://127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	m.MapClientStorage(clients)

	srv := server.NewServer(server.NewConfig(), m)
	if !basic {
		srv.SetClientInfoHandler(server.ClientFormHandler)
	}
	srv.SetPasswordAuthorizationHandler(func(_ context.Context, _, username, password string) (string, error) {
		if username == testUser && password == testPassword {
			return "user-1", nil
		}
		return "", nil // the library answers invalid_grant
	})
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if err := srv.HandleTokenRequest(w, r); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	// A protected list in the preset's default shape, guarded by the
	// library's own bearer validation.
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		if _, err := srv.ValidationBearerToken(r); err != nil {
			writeJSON(w, 401, map[string]any{"error": "invalid_token", "error_description": err.Error()})
			return
		}
		writeJSON(w, 200, map[string]any{"items": []any{map[string]any{"id": 1, "title": "First"}}, "total": 1})
	})
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return hs, m
}

func TestOAuth2Password_AgainstARealOAuth2Server(t *testing.T) {
	fromFile := func(url string) (api.Profile, error) {
		p, err := profile.LoadFS(profiles.FS, "oauth2-password.toml")
		if err != nil {
			return p, err
		}
		return profile.WithBaseURL(p, url)
	}
	fromPreset := func(basic bool) func(string) (api.Profile, error) {
		return func(url string) (api.Profile, error) {
			return profile.Validate(profile.OAuth2Password(url, profile.OAuth2Options{
				ClientID: oauthClientID, ClientSecret: oauthClientSecret, BasicClientAuth: basic, Scope: "read",
			}))
		}
	}
	for _, tc := range []struct {
		name  string
		basic bool
		load  func(url string) (api.Profile, error)
	}{
		{"preset with client credentials in the body", false, fromPreset(false)},
		{"preset with HTTP Basic client authentication", true, fromPreset(true)},
		{"example file", false, fromFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			hs, _ := startOAuth2Server(t, tc.basic)
			p, err := tc.load(hs.URL)
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
			c, err := api.New(api.Config{Profile: p, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}

			// Wrong password: §5.2 invalid_grant, which at sign-in means
			// bad credentials, with the server's description.
			_, err = c.Login(ctx, testUser, "nope")
			e := wantKind(t, err, api.KindBadCredentials, "")
			if e.Status != http.StatusUnauthorized || !strings.HasPrefix(e.ServerMessage, "The provided authorization grant") {
				t.Errorf("wrong password: status %d, message %q; want 401 and the server's invalid_grant description", e.Status, e.ServerMessage)
			}

			res, err := c.Login(ctx, testUser, testPassword)
			if err != nil {
				t.Fatalf("sign in: %v", err)
			}
			if res.Tokens.RefreshToken == "" || !res.Tokens.Expiry.Equal(now.Add(2*time.Hour)) {
				t.Fatalf("sign in: refresh token present %v, expiry %v; want both (expires_in 7200)", res.Tokens.RefreshToken != "", res.Tokens.Expiry)
			}
			hc := &http.Client{Transport: &bearer{token: res.Tokens.AccessToken}}
			if page, err := c.FetchList(ctx, hc, "Items", 0, 0, ""); err != nil || page.Total != 1 {
				t.Fatalf("list: total %d, err %v", page.Total, err)
			}

			// Refresh: go-oauth2 rotates the refresh token and revokes the
			// old access token.
			renewed, err := c.Refresh(ctx, res.Tokens.RefreshToken)
			if err != nil {
				t.Fatalf("refresh: %v", err)
			}
			if renewed.RefreshToken == res.Tokens.RefreshToken {
				t.Error("go-oauth2 did not rotate the refresh token; the test's assumption is out of date")
			}
			_, err = c.FetchList(ctx, hc, "Items", 0, 0, "")
			if e := wantKind(t, err, api.KindUnauthorized, ""); !c.IsExpiredStatus(e.Status) {
				t.Errorf("old access token answered %d, which the profile does not count as expired", e.Status)
			}
			hc.Transport.(*bearer).set(renewed.AccessToken)
			if _, err := c.FetchList(ctx, hc, "Items", 0, 0, ""); err != nil {
				t.Fatalf("list after refresh: %v", err)
			}

			// The spent refresh token, and a made-up one: invalid_grant,
			// which at refresh means the session is over.
			for _, rt := range []string{res.Tokens.RefreshToken, "made-up"} {
				_, err = c.Refresh(ctx, rt)
				e := wantKind(t, err, api.KindRefreshRefused, "")
				if !strings.HasPrefix(e.ServerMessage, "The provided authorization grant") {
					t.Errorf("refused refresh: message %q, want the server's invalid_grant description", e.ServerMessage)
				}
			}
			if errors.Is(err, api.ErrNoRefresh) {
				t.Error("refusal came from the client, not the server")
			}
		})
	}
}
