package profile_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"signet/api"
	"signet/assets/profiles"
	"signet/profile"
	"signet/session"
	"signet/session/keychain"
)

// TestExampleProfiles_DriveTheSession runs the whole session controller
// (its authenticated transport included) over each example profile and its
// style of server: sign in, survive a token the server killed, and start
// again signed in from the keychain and preferences.
func TestExampleProfiles_DriveTheSession(t *testing.T) {
	for _, tc := range styleCases {
		t.Run(tc.file, func(t *testing.T) {
			ctx := context.Background()
			b := newBackend()
			srv := httptest.NewServer(tc.server(b))
			t.Cleanup(srv.Close)
			p, err := profile.LoadFS(profiles.FS, tc.file)
			if err == nil {
				p, err = profile.WithBaseURL(p, srv.URL)
			}
			if err != nil {
				t.Fatal(err)
			}
			kc, prefs := keychain.NewMemory(), session.NewMemoryPreferences()
			start := func() *session.Controller {
				c, err := api.New(api.Config{Profile: p})
				if err != nil {
					t.Fatal(err)
				}
				ctrl, err := session.New(session.Config{Client: c, Keychain: kc, Prefs: prefs, Service: "signet-test"})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(ctrl.Close)
				ctrl.Restore(ctx)
				return ctrl
			}
			wantState := func(ctrl *session.Controller, want session.State) session.Snapshot {
				t.Helper()
				s := ctrl.Snapshot()
				if s.State != want {
					t.Fatalf("state = %v (err %v), want %v", s.State, s.Err, want)
				}
				return s
			}
			list := func(ctrl *session.Controller) error {
				page, err := ctrl.FetchList(ctx, tc.list, 0, 0, "")
				if err == nil && page.Total != itemCount {
					t.Fatalf("list total = %d, want %d", page.Total, itemCount)
				}
				return err
			}

			ctrl := start()
			wantState(ctrl, session.SignedOut)
			err = ctrl.SignIn(ctx, testUser, "wrong")
			if err == nil || err.Error() != tc.badPasswordWords {
				t.Fatalf("wrong password: %v, want the server's words %q", err, tc.badPasswordWords)
			}
			if err := ctrl.SignIn(ctx, testUser, testPassword); err != nil {
				t.Fatalf("sign in: %v", err)
			}
			if s := wantState(ctrl, session.SignedIn); s.User != tc.wantUser {
				t.Errorf("user = %+v, want %+v", s.User, tc.wantUser)
			}
			if err := list(ctrl); err != nil {
				t.Fatalf("list: %v", err)
			}

			// The server kills the token.
			b.expireAccess()
			err = list(ctrl)
			if tc.refresh {
				if err != nil {
					t.Fatalf("list after the token died: %v (the session should have refreshed)", err)
				}
				if _, refreshes, _ := b.counts(); refreshes != 1 {
					t.Fatalf("refreshes = %d, want 1", refreshes)
				}
				wantState(ctrl, session.SignedIn)
			} else {
				if err == nil {
					t.Fatal("list succeeded with a dead token and no refresh")
				}
				if s := wantState(ctrl, session.Expired); s.Username != testUser {
					t.Fatalf("expired session forgot the username: %q", s.Username)
				}
				if err := ctrl.SignIn(ctx, testUser, testPassword); err != nil {
					t.Fatalf("sign in again: %v", err)
				}
				if err := list(ctrl); err != nil {
					t.Fatalf("list after signing in again: %v", err)
				}
			}

			// Restart: the saved session comes back without a sign-in,
			// and renews itself if the token died meanwhile.
			ctrl.Close()
			ctrl = start()
			wantState(ctrl, session.SignedIn)
			if err := list(ctrl); err != nil {
				t.Fatalf("list after restart: %v", err)
			}
			if !tc.refresh {
				return
			}
			ctrl.Close()
			b.expireAccess()
			ctrl = start()
			if err := list(ctrl); err != nil {
				t.Fatalf("list after restart with a dead token: %v", err)
			}
			if logins, _, _ := b.counts(); logins != 1 {
				t.Fatalf("sign-ins = %d, want 1: restarts must not need the password", logins)
			}
			for _, v := range kc.Snapshot() {
				if strings.Contains(v, testPassword) {
					t.Fatal("the password reached the keychain")
				}
			}
		})
	}
}
