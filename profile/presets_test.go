package profile_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"signet/profile"
)

func TestPresets_DemoIsTheDefaultAndEveryPresetBuilds(t *testing.T) {
	ps := profile.Presets()
	if len(ps) == 0 || ps[0].Name != profile.DefaultPresetName || profile.DefaultPresetName != "demo" {
		t.Fatalf("first preset = %+v, want demo", ps)
	}
	for _, pr := range ps {
		p, err := pr.Profile("http://127.0.0.1:8080")
		if err != nil {
			t.Errorf("%s: %v", pr.Name, err)
			continue
		}
		if p.Name != pr.Name || p.BaseURL != "http://127.0.0.1:8080" || pr.Title == "" || pr.Description == "" {
			t.Errorf("%s: name %q base %q title %q", pr.Name, p.Name, p.BaseURL, pr.Title)
		}
		if got, ok := profile.FindPreset(pr.Name); !ok || got.Name != pr.Name {
			t.Errorf("FindPreset(%q) = %v, %v", pr.Name, got.Name, ok)
		}
	}
	if _, ok := profile.FindPreset("nope"); ok {
		t.Error("FindPreset found an unknown name")
	}
}

func TestPreset_NeedsABaseURLAndRefusesPlainHTTPToRemoteHosts(t *testing.T) {
	pr, _ := profile.FindPreset("oauth2-password")
	if _, err := pr.Profile(""); err == nil || !strings.Contains(err.Error(), "base_url: required") {
		t.Errorf("no base URL: %v", err)
	}
	if _, err := pr.Profile("http://auth.example.com"); err == nil || !strings.Contains(err.Error(), "use https") {
		t.Errorf("plain http: %v", err)
	}
	p, err := pr.Profile("https://auth.example.com/")
	if err != nil || p.BaseURL != "https://auth.example.com" {
		t.Errorf("https: %q, %v", p.BaseURL, err)
	}
}

func TestOAuth2Password_FollowsRFC6749(t *testing.T) {
	p := profile.OAuth2Password("https://auth.example.com", profile.OAuth2Options{
		ClientID: "my app", ClientSecret: "s:cret", BasicClientAuth: true, Scope: "read write",
	})
	if p.Login.Encoding != "form" || p.Refresh.Encoding != "form" {
		t.Error("token requests must be form-encoded (§4.3.2, §6)")
	}
	if p.Login.Body["grant_type"] != "password" || p.Refresh.Body["grant_type"] != "refresh_token" {
		t.Error("wrong grant types")
	}
	if p.Login.Body["scope"] != "read write" {
		t.Error("scope not requested")
	}
	if _, inBody := p.Login.Body["client_secret"]; inBody {
		t.Error("Basic client auth must not also send the secret in the body")
	}
	// §2.3.1: id and secret are form-urlencoded, then joined with ":".
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("my+app:s%3Acret"))
	if p.Login.Headers["Authorization"] != want || p.Refresh.Headers["Authorization"] != want {
		t.Errorf("Authorization = %q, want %q", p.Login.Headers["Authorization"], want)
	}
	if _, err := profile.Validate(p); err != nil {
		t.Fatal(err)
	}
}

func TestWithBaseURL_LeavesTheOriginalAlone(t *testing.T) {
	pr, _ := profile.FindPreset("demo")
	orig, err := pr.Profile("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	moved, err := profile.WithBaseURL(orig, "https://demo.example.com")
	if err != nil {
		t.Fatal(err)
	}
	moved.Login.Body["username"] = "changed"
	if orig.BaseURL != "http://127.0.0.1:1" || orig.Login.Body["username"] != "{username}" {
		t.Fatal("WithBaseURL shares state with its argument")
	}
}

// The ready profiles that need only an address are presets, built from the
// same files the ready-profile tests drive; DummyJSON's address is public.
func TestPresets_ReadyProfilesNeedOnlyAnAddress(t *testing.T) {
	for _, name := range []string{"dummyjson", "directus", "strapi", "pocketbase", "keycloak"} {
		pr, ok := profile.FindPreset(name)
		if !ok {
			t.Errorf("no preset %q", name)
			continue
		}
		p, err := pr.Profile("https://backend.example.com")
		if err != nil || p.Name != name || p.BaseURL != "https://backend.example.com" || len(p.Lists) == 0 {
			t.Errorf("%s: %+v, %v", name, p.Name, err)
		}
	}
	pr, _ := profile.FindPreset("dummyjson")
	if p, err := pr.Profile(""); err != nil || p.BaseURL != "https://dummyjson.com" {
		t.Errorf("dummyjson without an address: %q, %v", p.BaseURL, err)
	}
}
