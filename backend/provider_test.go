package backend

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"signet/api"
	"signet/api/oauth"
	"signet/demo"
	"signet/internal/browsertest"
	"signet/internal/demotest"
	"signet/profile"
	"signet/session"
)

// An OpenID profile file that names only its issuer and client ID gets a
// session that can renew (through the discovered token endpoint) and whose
// sign-out revokes at the discovered revocation endpoint: the switcher
// hands the session an oauth client for what the file does not say.
func TestSwitcher_IssuerOnlyProfileRenewsAndRevokesThroughDiscovery(t *testing.T) {
	srv, err := demo.Open(demo.Config{DataPath: demotest.DataFile(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "idp.toml")
	src := `name = "idp"
base_url = "` + base + `"

[oauth]
issuer = "` + base + `"
client_id = "` + demo.DemoClientID + `"

[[lists]]
name = "Items"
path = "/api/items"
items_path = "items"
id_field = "id"
title_field = "title"
`
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	b, _, _ := testBackends(t)
	ctrl, err := b.Start(Choice{File: file}, FromFlags)
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, ctrl, "the restore", restored)
	if p := ctrl.Profile(); p.Refresh != nil || p.Logout != nil {
		t.Fatalf("the file names no endpoint, yet refresh %+v logout %+v", p.Refresh, p.Logout)
	}
	if !ctrl.Snapshot().HasRefresh {
		t.Fatal("the session cannot renew")
	}

	oc, err := oauth.New(profile.OAuthConfig(ctrl.Profile()))
	if err != nil {
		t.Fatal(err)
	}
	var refresh string
	err = ctrl.SignInWith(context.Background(), session.MethodBrowser, func(ctx context.Context) (api.Tokens, api.User, error) {
		a, err := oc.Start(ctx)
		if err != nil {
			return api.Tokens{}, api.User{}, err
		}
		go func() {
			br := browsertest.New(t)
			br.Submit(br.Open(a.URL()), map[string]string{"username": demo.DemoUsername, "password": demo.DemoPassword}, "Allow")
		}()
		tk, u, err := a.Wait(ctx)
		refresh = tk.RefreshToken
		return tk, u, err
	})
	if err != nil || refresh == "" {
		t.Fatalf("SignInWith: %v (refresh token %t)", err, refresh != "")
	}
	before := srv.Stats().Logouts
	ctrl.SignOut(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for srv.Stats().Logouts == before {
		if time.Now().After(deadline) {
			t.Fatal("sign-out did not revoke at the discovered revocation endpoint")
		}
		time.Sleep(10 * time.Millisecond) // polling the server's count, not timing anything
	}
	if _, err := oc.Refresh(context.Background(), refresh); api.KindOf(err) != api.KindRefreshRefused {
		t.Fatalf("refresh after sign-out: %v, want refused", err)
	}
}
