package profile_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"signet/api"
	"signet/profile"
)

// The profile validator and the api client judge base URLs with one rule:
// what one accepts, the other does too.
func TestBaseURL_ProfileAndClientAgree(t *testing.T) {
	pr, _ := profile.FindPreset("demo")
	orig, err := pr.Profile("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		base string
		ok   bool
	}{
		{"http://localhost.:8080", true},
		{"http://[::1%25lo]:8080", true},
		{"http://127.0.0.2:8080", true},
		{"http://localhost.evil.example:8080", false},
		{"http://[::ffff:8.8.8.8]:8080", false},
		{"https://api.example.com:0", false},
	} {
		_, perr := profile.WithBaseURL(orig, tt.base)
		p := orig.Clone()
		p.BaseURL = tt.base
		_, aerr := api.New(api.Config{Profile: p})
		if (perr == nil) != tt.ok || (aerr == nil) != tt.ok {
			t.Errorf("%s: profile says %v, client says %v; want ok=%v", tt.base, perr, aerr, tt.ok)
		}
	}
}

// One table of expiry units: the profile validator, the client and the
// profile documentation know the same ones, spelled the same way.
func TestExpiryUnits_OneTable(t *testing.T) {
	names := api.ExpiryUnitNames()
	if !slices.Equal(api.ExpiryUnitNames(), names) || names[0] != api.DefaultExpiryUnit {
		t.Fatalf("profile units %v, api units %v", api.ExpiryUnitNames(), names)
	}
	doc, err := os.ReadFile("../docs/profiles.md")
	if err != nil {
		t.Fatal(err)
	}
	pr, _ := profile.FindPreset("demo")
	orig, err := pr.Profile("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range api.ExpiryUnits() {
		if u.Label == "" || !strings.Contains(string(doc), "`"+u.Name+"`") {
			t.Errorf("unit %q: label %q; docs/profiles.md must list it", u.Name, u.Label)
		}
	}
	for _, unit := range append(names, "Seconds", "hours") {
		p := orig.Clone()
		p.Login.Tokens.Expiry = []api.ExpirySpec{{Path: "expires_in", Unit: unit}}
		_, perr := profile.Validate(p)
		_, aerr := api.New(api.Config{Profile: p})
		ok := slices.Contains(names, unit)
		if (perr == nil) != ok || (aerr == nil) != ok {
			t.Errorf("unit %q: profile says %v, client says %v; want ok=%v", unit, perr, aerr, ok)
		}
	}
}
