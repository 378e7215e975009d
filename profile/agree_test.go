package profile

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"signet/api"
)

// agreeTOML is a complete profile with the base URL, the expiry unit and
// the sign-in encoding left to each case.
const agreeTOML = `
name = "agree"
base_url = %q

[login]
path = "/auth/login"
username_label = "Email"
encoding = %q
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

// fieldMessages are problems without their lines, in one order, for
// comparing a file's problems with a profile's.
func fieldMessages[P api.Problem | Problem](probs []P) []string {
	out := make([]string, len(probs))
	for i, p := range probs {
		switch p := any(p).(type) {
		case api.Problem:
			out[i] = p.Field + ": " + p.Message
		case Problem:
			out[i] = p.Field + ": " + p.Message
		}
	}
	slices.Sort(out)
	return out
}

// A profile loaded from a file and the same profile built in code get the
// same problems, word for word, and the api client refuses exactly those
// profiles, naming the first problem.
func TestValidate_FileAndCodeGetTheSameProblems(t *testing.T) {
	for _, tc := range []struct {
		name, baseURL, encoding, unit string
		ok                            bool
	}{
		{"https", "https://api.example.com", "json", "seconds", true},
		{"localhost with the root dot", "http://localhost.:8080", "json", "seconds", true},
		{"loopback IPv6 with a zone", "http://[::1%25lo]:8080", "json", "seconds", true},
		{"plain http off this computer", "http://api.example.com", "json", "seconds", false},
		{"a name that only resolves to loopback", "http://localhost.example.com:8080", "json", "seconds", false},
		{"impossible port", "https://api.example.com:99999", "json", "seconds", false},
		{"query in the address", "https://api.example.com/?a=1", "json", "seconds", false},
		{"unit in another case", "https://api.example.com", "json", "Seconds", false},
		{"unit shouted", "https://api.example.com", "json", "UNIX_MS", false},
		{"unknown unit", "https://api.example.com", "json", "minutes", false},
		{"milliseconds", "https://api.example.com", "json", "milliseconds", true},
		{"encoding shouted", "https://api.example.com", "FORM", "seconds", false},
		{"all three wrong", "http://api.example.com", "xml", "hours", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parsed, fileErr := Parse("agree.toml", fmt.Appendf(nil, agreeTOML, tc.baseURL, tc.encoding, tc.unit))
			if (fileErr == nil) != tc.ok {
				t.Fatalf("file loader: err %v, want ok %v", fileErr, tc.ok)
			}
			var fileProbs []Problem
			if fileErr != nil {
				var ve *ValidationError
				if !errors.As(fileErr, &ve) {
					t.Fatalf("file loader: %T, want *ValidationError", fileErr)
				}
				fileProbs = ve.Problems
				for _, p := range fileProbs {
					if p.Line == 0 {
						t.Errorf("%s has no line", p)
					}
				}
			}
			// The same profile built in code: the file's, or (refused) the
			// case's values on a copy of a valid one.
			p := parsed
			if fileErr != nil {
				valid, err := Parse("agree.toml", fmt.Appendf(nil, agreeTOML, "https://api.example.com", "json", "seconds"))
				if err != nil {
					t.Fatalf("the valid profile: %v", err)
				}
				p = valid.Clone()
				p.BaseURL = tc.baseURL
				p.Login.Encoding = tc.encoding
				p.Login.Tokens.Expiry[0].Unit = tc.unit
				p.Refresh.Tokens = nil // filled in again from login.tokens by the defaults
			}
			codeProbs := p.Validate()
			if got, want := fieldMessages(codeProbs), fieldMessages(fileProbs); !slices.Equal(got, want) {
				t.Errorf("built in code:\n  %s\nfrom the file:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			_, err := api.New(api.Config{Profile: p})
			if (err == nil) != tc.ok {
				t.Fatalf("api.New: err %v, want ok %v", err, tc.ok)
			}
			if err != nil && !strings.Contains(err.Error(), codeProbs[0].String()) {
				t.Errorf("api.New: %q does not name the first problem %q", err, codeProbs[0])
			}
		})
	}
}

// Partial profiles built in code, which the client used to accept while the
// profile package refused them: the client now refuses them with every
// problem the profile package reports.
func TestValidate_ClientRefusesWhatTheProfileCheckRefuses(t *testing.T) {
	for name, change := range map[string]func(*api.Profile){
		"no lists":             func(p *api.Profile) { p.Lists = nil },
		"success as expired":   func(p *api.Profile) { p.ExpiredStatuses = []int{200} },
		"huge page":            func(p *api.Profile) { p.Lists[0].Paging.PageSize = 5000 },
		"method not HTTP":      func(p *api.Profile) { p.Login.Method = "FETCH" },
		"no password sent":     func(p *api.Profile) { delete(p.Login.Body, "password") },
		"names alike but case": func(p *api.Profile) { p.Lists = append(p.Lists, p.Lists[0]); p.Lists[1].Name = "items" },
		"two problems at once": func(p *api.Profile) { p.Lists[0].TitleField = ""; p.Login.Path = "login" },
	} {
		t.Run(name, func(t *testing.T) {
			p := api.DemoProfile("https://api.example.com")
			change(&p)
			_, perr := Validate(p)
			var ve *ValidationError
			if !errors.As(perr, &ve) {
				t.Fatalf("profile.Validate: %v, want a *ValidationError", perr)
			}
			_, err := api.New(api.Config{Profile: p})
			var pe *api.ProfileError
			if !errors.As(err, &pe) {
				t.Fatalf("api.New: %v, want an *api.ProfileError", err)
			}
			if got, want := fieldMessages(pe.Problems), fieldMessages(ve.Problems); !slices.Equal(got, want) {
				t.Errorf("api.New:\n  %s\nprofile.Validate:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if !strings.HasPrefix(err.Error(), "api: invalid profile: ") {
				t.Errorf("api.New: %q", err)
			}
		})
	}
}
