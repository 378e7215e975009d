package profile_test

import (
	"strings"
	"testing"

	"signet/api"
	"signet/api/oauth"
	"signet/assets/profiles"
	"signet/demo"
	"signet/profile"
)

const oidcProfile = `name = "acme-oidc"
base_url = "https://api.acme.example"

[oauth]
issuer = "https://id.acme.example/realms/acme"
client_id = "signet"
token_endpoint = "https://id.acme.example/realms/acme/protocol/openid-connect/token"
revocation_endpoint = "https://id.acme.example/realms/acme/protocol/openid-connect/revoke"
redirect_ports = [8765, 8766]
auth_params = { audience = "https://api.acme.example" }

[[lists]]
name = "Things"
path = "/things"
title_field = "name"
`

// A browser-only profile needs no [login]; its renewal and sign-out are the
// ordinary calls, derived from the token and revocation endpoints on a
// declared origin, so the session's refresh machinery serves it unchanged.
func TestOAuthProfile_DerivesRefreshAndRevocation(t *testing.T) {
	p, err := profile.Parse("acme-oidc.toml", []byte(oidcProfile))
	if err != nil {
		t.Fatal(err)
	}
	if !p.BrowserSignIn() || p.PasswordSignIn() {
		t.Fatalf("browser %t, password %t; want browser only", p.BrowserSignIn(), p.PasswordSignIn())
	}
	if p.Origins[api.OAuthOrigin] != "https://id.acme.example:443" && p.Origins[api.OAuthOrigin] != "https://id.acme.example" {
		t.Fatalf("origins = %v", p.Origins)
	}
	r := p.Refresh
	if r == nil || r.Origin != api.OAuthOrigin || r.Path != "/realms/acme/protocol/openid-connect/token" || r.Encoding != "form" ||
		r.Body["grant_type"] != "refresh_token" || r.Body["refresh_token"] != "{refresh_token}" || r.Body["client_id"] != "signet" {
		t.Fatalf("refresh = %+v", r)
	}
	if r.Tokens == nil || r.Tokens.RefreshToken != "refresh_token" || r.Tokens.AccessToken != "access_token" {
		t.Fatalf("refresh tokens = %+v", r.Tokens)
	}
	l := p.Logout
	if l == nil || l.Origin != api.OAuthOrigin || l.Body["token"] != "{refresh_token}" || l.Body["token_type_hint"] != "refresh_token" {
		t.Fatalf("logout = %+v", l)
	}
	cfg := profile.OAuthConfig(p)
	if cfg.Issuer != "https://id.acme.example/realms/acme" || cfg.ClientID != "signet" || len(cfg.Redirect.Ports) != 2 ||
		cfg.AuthParams["audience"] != "https://api.acme.example" || cfg.Endpoints.Token == "" {
		t.Fatalf("config = %+v", cfg)
	}
	if w := profile.Warnings(p); len(w) != 0 {
		t.Fatalf("warnings = %q", w)
	}
}

func TestOAuthProfile_ProblemsHaveLines(t *testing.T) {
	for _, tc := range []struct{ name, from, to, want string }{
		{"no client id", `client_id = "signet"`, ``, "acme-oidc.toml:4: oauth.client_id: required"},
		{"no issuer nor endpoints", `issuer = "https://id.acme.example/realms/acme"`, ``, "acme-oidc.toml:4: oauth: needs issuer"},
		{"remote http issuer", `issuer = "https://id`, `issuer = "http://id`, "acme-oidc.toml:5: oauth.issuer: "},
		{"redirect host", `redirect_ports`, "redirect_host = \"0.0.0.0\"\nredirect_ports", "acme-oidc.toml:9: oauth.redirect_host: must be"},
		{"redirect path", `redirect_ports`, "redirect_path = \"cb\"\nredirect_ports", "acme-oidc.toml:9: oauth.redirect_path: must start with /"},
		{"privileged port", `[8765, 8766]`, `[80]`, "acme-oidc.toml:9: oauth.redirect_ports: redirect_ports[0] = 80"},
		{"reserved parameter", `audience = "https://api.acme.example"`, `state = "x"`, "oauth.auth_params.state: Signet sets state itself"},
		{"device without endpoint", `issuer = "https://id.acme.example/realms/acme"`,
			"authorization_endpoint = \"https://id.acme.example/auth\"\ndevice = true", "oauth.device: device = true needs issuer"},
		{"remote http post-logout redirect", `redirect_ports`, "post_logout_redirect_uri = \"http://acme.example/bye\"\nredirect_ports",
			"acme-oidc.toml:9: oauth.post_logout_redirect_uri: "},
		{"unknown key", `client_id = "signet"`, "client_id = \"signet\"\nclient_ids = \"x\"", "acme-oidc.toml:7: oauth.client_ids: unknown key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(oidcProfile, tc.from, tc.to, 1)
			if src == oidcProfile {
				t.Fatal("test did not change the profile")
			}
			_, err := profile.Parse("acme-oidc.toml", []byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error =\n%v\nwant a line containing %q", err, tc.want)
			}
		})
	}
}

// A client secret is allowed (some providers insist) but warned about; an
// issuer without a token endpoint derives no [refresh] (renewal goes to the
// discovered endpoint) and is not warned about.
func TestOAuthProfile_Warnings(t *testing.T) {
	src := strings.Replace(oidcProfile, `client_id = "signet"`, "client_id = \"signet\"\nclient_secret = \"s3cret\"", 1)
	src = strings.Replace(src, "token_endpoint =", "# token_endpoint =", 1)
	p, err := profile.Parse("acme-oidc.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(profile.Warnings(p), "\n")
	if !strings.Contains(w, "oauth.client_secret: a desktop app cannot keep a secret") || strings.Contains(w, "renew") {
		t.Fatalf("warnings = %q", w)
	}
	if p.Refresh != nil {
		t.Fatalf("refresh = %+v, want none", p.Refresh)
	}
	if p.Logout.Body["client_secret"] != "s3cret" {
		t.Fatalf("logout body = %v, want the client named with its secret", p.Logout.Body)
	}
}

// The demo preset offers the browser way (its own issuer, the demo's
// client) and keeps the password form.
func TestDemoPreset_OffersTheBrowserWay(t *testing.T) {
	if profile.DemoClientID != demo.DemoClientID {
		t.Fatalf("profile.DemoClientID %q != demo.DemoClientID %q", profile.DemoClientID, demo.DemoClientID)
	}
	pr, _ := profile.FindPreset(profile.DefaultPresetName)
	p, err := pr.Profile("http://127.0.0.1:4321")
	if err != nil {
		t.Fatal(err)
	}
	if !p.BrowserSignIn() || !p.PasswordSignIn() || !p.OAuth.Device {
		t.Fatalf("demo: browser %t, password %t, oauth %+v", p.BrowserSignIn(), p.PasswordSignIn(), p.OAuth)
	}
	if p.OAuth.Issuer != "http://127.0.0.1:4321" || p.OAuth.ClientID != demo.DemoClientID {
		t.Fatalf("oauth = %+v", p.OAuth)
	}
	if p.Refresh == nil || p.Refresh.Path != "/auth/refresh" {
		t.Fatalf("refresh = %+v, want the demo's own", p.Refresh)
	}
	// Clone copies the table, not a pointer to it.
	q := p.Clone()
	q.OAuth.Scopes = append(q.OAuth.Scopes, "x")
	q.OAuth.ClientID = "other"
	if p.OAuth.ClientID != demo.DemoClientID || len(p.OAuth.Scopes) != 0 {
		t.Fatal("Clone shares the oauth table")
	}
}

// The browser examples load, build an oauth client, renew through the
// provider's token endpoint (the generic one, issuer only, through the
// discovered one: no [refresh] is derived), and only Google's (a desktop
// client secret) draws a warning.
func TestBrowserExamples(t *testing.T) {
	for _, n := range []string{"oidc", "keycloak-browser", "auth0", "entra", "google", "github-device", "dex", "okta"} {
		p, err := profile.LoadFS(profiles.FS, n+".toml")
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if !p.BrowserSignIn() || p.PasswordSignIn() {
			t.Errorf("%s: browser %t, password %t", n, p.BrowserSignIn(), p.PasswordSignIn())
		}
		if _, err := oauth.New(profile.OAuthConfig(p)); err != nil {
			t.Errorf("%s: oauth.New: %v", n, err)
		}
		if n == "oidc" {
			if p.Refresh != nil || p.Logout != nil || p.OAuth.TokenEndpoint != "" {
				t.Errorf("oidc: refresh %+v logout %+v: the generic example names only its issuer", p.Refresh, p.Logout)
			}
		} else if p.Refresh == nil || p.Refresh.Body["grant_type"] != "refresh_token" {
			t.Errorf("%s: refresh %+v", n, p.Refresh)
		}
		w := profile.Warnings(p)
		if (n == "google") != (len(w) == 1 && strings.Contains(w[0], "client_secret")) {
			t.Errorf("%s: warnings %q", n, w)
		}
	}
}
