package profile_test

import (
	"strings"
	"testing"

	"signet/api"
	"signet/profile"
)

// every new key in one file: origins, typed nested bodies, a Content-Type
// header, a refresh in the access-token style, renamed paging parameters,
// a search path, expiry rules with words and an error-code map.
const allKeys = `name = "all"
base_url = "https://auth.example.com"
error_code_path = "error.message"

[origins]
api = "https://api.example.com/v2/"

[error_codes]
INVALID_PASSWORD = "Wrong password."

[[expired_when]]
status = 500
contains = "invalid signature"

[login]
path = "/"
headers = { Content-Type = "application/x-amz-json-1.1", X-Amz-Target = "Svc.InitiateAuth" }
body = { AuthFlow = "USER_PASSWORD_AUTH", Days = 30, Remember = true, AuthParameters = { USERNAME = "{username}", PASSWORD = "{password}" }, Scopes = ["a", "{username}"] }

[login.tokens]
access_token = "token"

[refresh]
style = "access_token"
path = "/renew"

[check]
origin = "api"
path = "/session"

[[lists]]
name = "Things"
origin = "api"
path = "/things"
title_field = "name"
paging = { style = "page", page_param = "pagination[page]", size_param = "pagination[pageSize]", page_size = 25 }
search = { path = "/things/search", paging = { style = "page", size_param = "perPage" } }
confirm_empty = "always"
image_field = "thumb"
fields = [{ path = "price", format = "currency", currency = "USD" }, { path = "at", label = "Created", format = "datetime", unit = "unix_ms" }, { path = "name" }]
`

func TestParse_EveryNewKey(t *testing.T) {
	p, err := profile.Parse("all.toml", []byte(allKeys))
	if err != nil {
		t.Fatal(err)
	}
	auth := p.Login.Body["AuthParameters"].(map[string]any)
	if p.Login.Body["Days"] != int64(30) || p.Login.Body["Remember"] != true || auth["PASSWORD"] != "{password}" {
		t.Errorf("body = %#v", p.Login.Body)
	}
	if p.Origins["api"] != "https://api.example.com/v2" || p.Refresh.Style != api.RefreshWithAccessToken {
		t.Errorf("origins %v, refresh style %q", p.Origins, p.Refresh.Style)
	}
	l := p.Lists[0]
	if p.Check == nil || p.Check.Method != "GET" || l.ConfirmEmpty != api.ConfirmEmptyAlways {
		t.Errorf("check %+v, confirm_empty %q", p.Check, l.ConfirmEmpty)
	}
	if len(l.Fields) != 3 || l.Fields[0].Currency != "USD" || l.Fields[2].Format != api.FormatText || l.ImageField != "thumb" {
		t.Errorf("fields %+v image %q", l.Fields, l.ImageField)
	}
	if l.Paging.PageParam != "pagination[page]" || l.Search.Param != "q" || l.Search.Paging.SizeParam != "perPage" || l.Search.Paging.PageSize != 100 {
		t.Errorf("list = %+v search %+v", l, l.Search)
	}
	c, err := api.New(api.Config{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.BearerOrigins(); len(got) != 1 || got[0] != "https://api.example.com:443" {
		t.Errorf("BearerOrigins = %v", got)
	}
}

func TestParse_NewKeysReportProblems(t *testing.T) {
	for _, tc := range []struct{ name, from, to, want string }{
		{"undeclared origin", "origin = \"api\"\npath = \"/things\"", "origin = \"apx\"\npath = \"/things\"", `all.toml:33: lists[0].origin: "apx" is not a declared origin; declare it under [origins] (declared: api)`},
		{"insecure origin", `"https://api.example.com/v2/"`, `"http://api.example.com"`, "all.toml:6: origins.api: http is only allowed for loopback hosts"},
		{"full URL off the origins", `path = "/things"`, `path = "https://other.example.com/things"`, "all.toml:34: lists[0].path: https://other.example.com:443 is not on a declared origin"},
		{"refresh style", `style = "access_token"`, `style = "token"`, `all.toml:24: refresh.style: "token" is not a refresh style`},
		{"nested form body", `path = "/"`, "path = \"/\"\nencoding = \"form\"", `login.body.AuthParameters: a form carries only text, numbers and true/false`},
		{"bad param name", `"pagination[page]"`, `"page&x"`, `lists[0].paging.page_param: "page&x" is not a usable query parameter name`},
		{"offset param on a page style", `page_param = "pagination[page]"`, `offset_param = "from"`, `lists[0].paging.offset_param: style "page" counts pages`},
		{"confirm_empty", `confirm_empty = "always"`, `confirm_empty = "sometimes"`, `lists[0].confirm_empty: "sometimes" is not one of after_rows, always, never`},
		{"check placeholder", `path = "/session"`, "path = \"/session\"\nheaders = { X-U = \"{username}\" }", `check.headers.X-U: {username} is not available in this call`},
		{"currency without a code", `currency = "USD"`, `currency = "dollars"`, `lists[0].fields[0].currency: required for format = "currency"`},
		{"unknown format", `label = "Created", format = "datetime"`, `label = "Created", format = "when"`, `lists[0].fields[1].format: "when" is not a format`},
		{"unit off a date", `format = "datetime", unit = "unix_ms"`, `format = "number", unit = "unix_ms"`, `lists[0].fields[1].unit: only for format = "datetime" or "date"`},
		{"rule status", `status = 500`, `status = 200`, "all.toml:12: expired_when[0].status: 200 is not an HTTP error status"},
		{"placeholder deep in the body", `PASSWORD = "{password}"`, `PASSWORD = "{pasword}"`, "login.body.AuthParameters.PASSWORD: unknown placeholder {pasword}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(allKeys, tc.from, tc.to, 1)
			if src == allKeys {
				t.Fatal("test did not change the profile")
			}
			_, err := profile.Parse("all.toml", []byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error =\n%v\nwant a line containing %q", err, tc.want)
			}
		})
	}
}
