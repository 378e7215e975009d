package profile_test

import (
	"strings"
	"testing"

	"signet/profile"
)

// Unknown keys and wrong types no longer hide other problems: every one is
// reported at once, in words, with its line and full key path, a typo gets
// the nearest key, and a problem refresh.tokens inherits from login.tokens
// is reported once.
func TestParse_EveryProblemAtOnceInWords(t *testing.T) {
	src := `name = "acme"
base_url = "https://api.example.com"
expired_statuses = ["401"]

[login]
path = "/login"
metod = "POST"
body = { username = "{username}", password = "{password}", born = 1985-01-01 }

[login.tokens]
access_token = "token"
refresh_token = "data..rt"
expiry = [{ path = "expires_in", unit = 3600 }]

[refresh]
path = "/r"
body = { t = "{refresh_token}" }

[[lists]]
name = "Things"
path = "/things"
title_field = "name"
subtitle_field = 3
paging = { style = "page", page_sise = 10 }

[[lists]]
name = "Other"
path = "/other"
title_field = 7
`
	_, err := profile.Parse("acme.toml", []byte(src))
	want := []string{
		`acme.toml:3: expired_statuses[0]: must be a whole number, not text`,
		`acme.toml:7: login.metod: unknown key; did you mean "method"?`,
		`acme.toml:8: login.body.born: must be text, a number, true/false, a table or a list, not a date or time`,
		`acme.toml:12: login.tokens.refresh_token: "data..rt" has an empty part ("..")`,
		`acme.toml:13: login.tokens.expiry[0].unit: must be text, not a number`,
		`acme.toml:23: lists[0].subtitle_field: must be text, not a number`,
		`acme.toml:24: lists[0].paging.page_sise: unknown key; did you mean "page_size"?`,
		`acme.toml:29: lists[1].title_field: must be text, not a number`,
	}
	if err == nil {
		t.Fatal("Parse accepted it")
	}
	if got := problems(t, err); len(got) != len(want) || err.Error() != strings.Join(want, "\n") {
		t.Fatalf("got %d problems:\n%v\nwant %d:\n%s", len(got), err, len(want), strings.Join(want, "\n"))
	}
}

// A key far from every known one gets no guess.
func TestParse_UnknownKeyWithoutANearOne(t *testing.T) {
	src := strings.Replace(minimal, `path = "/login"`, "path = \"/login\"\nfrobnicate = 1", 1)
	_, err := profile.Parse("acme.toml", []byte(src))
	if err == nil || err.Error() != "acme.toml:6: login.frobnicate: unknown key (check the spelling; docs/profiles.md lists every key)" {
		t.Fatalf("err = %v", err)
	}
}
