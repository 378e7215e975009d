package profile

import (
	"fmt"
	"testing"

	"signet/api"
)

// agreeTOML is a complete profile with the base URL and the expiry unit left
// to each case.
const agreeTOML = `
name = "agree"
base_url = %q

[login]
path = "/auth/login"
username_label = "Email"
  [login.body]
  email = "{username}"
  password = "{password}"
  [login.tokens]
  access_token = "data.token"
  refresh_token = "data.refreshToken"
  expiry = [{ path = "data.expiresIn", unit = %q }]

[refresh]
path = "/auth/refresh"
  [refresh.body]
  refreshToken = "{refresh_token}"

[[lists]]
name = "Projects"
path = "/projects"
items_path = "data"
id_field = "id"
title_field = "name"
`

// The file loader, a profile built in code, and the api client judge the same
// base URLs and expiry units alike: a profile one accepts, the others accept.
func TestValidate_FileCodeAndClientGiveTheSameVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name, baseURL, unit string
		ok                  bool
	}{
		{"https", "https://api.example.com", "seconds", true},
		{"localhost with the root dot", "http://localhost.:8080", "seconds", true},
		{"loopback IPv6 with a zone", "http://[::1%25lo]:8080", "seconds", true},
		{"plain http off this computer", "http://api.example.com", "seconds", false},
		{"a name that only resolves to loopback", "http://localhost.example.com:8080", "seconds", false},
		{"impossible port", "https://api.example.com:99999", "seconds", false},
		{"query in the address", "https://api.example.com/?a=1", "seconds", false},
		{"unit in another case", "https://api.example.com", "Seconds", false},
		{"unit shouted", "https://api.example.com", "UNIX_MS", false},
		{"unknown unit", "https://api.example.com", "minutes", false},
		{"milliseconds", "https://api.example.com", "milliseconds", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parsed, fileErr := Parse("agree.toml", fmt.Appendf(nil, agreeTOML, tc.baseURL, tc.unit))
			if (fileErr == nil) != tc.ok {
				t.Fatalf("file loader: err %v, want ok %v", fileErr, tc.ok)
			}
			// The same profile built in code: the file's, or (refused) the
			// case's values on a copy of a valid one.
			p := parsed
			if fileErr != nil {
				valid, err := Parse("agree.toml", fmt.Appendf(nil, agreeTOML, "https://api.example.com", "seconds"))
				if err != nil {
					t.Fatalf("the valid profile: %v", err)
				}
				p = valid.Clone()
				p.BaseURL = tc.baseURL
				p.Login.Tokens.Expiry[0].Unit = tc.unit
				p.Refresh.Tokens = nil // filled in again from login.tokens by the defaults
			}
			if _, err := Validate(p); (err == nil) != tc.ok {
				t.Errorf("profile.Validate: err %v, want ok %v", err, tc.ok)
			}
			if _, err := api.New(api.Config{Profile: p}); (err == nil) != tc.ok {
				t.Errorf("api.New: err %v, want ok %v", err, tc.ok)
			}
		})
	}
}
