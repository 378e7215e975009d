package profile_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"signet/api"
	"signet/assets/profiles"
	"signet/profile"
)

// minimal is the smallest valid profile; tests break one thing at a time.
const minimal = `name = "acme"
base_url = "https://api.example.com"

[login]
path = "/login"
body = { username = "{username}", password = "{password}" }

[login.tokens]
access_token = "token"

[[lists]]
name = "Things"
path = "/things"
title_field = "name"
`

func problems(t *testing.T, err error) []profile.Problem {
	t.Helper()
	var ve *profile.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a *ValidationError", err)
	}
	return ve.Problems
}

func TestParse_AppliesDefaults(t *testing.T) {
	src := minimal + `
[refresh]
path = "/refresh"
body = { rt = "{refresh_token}" }
`
	src = strings.Replace(src, `access_token = "token"`, "access_token = \"token\"\nrefresh_token = \"rt\"\nexpiry = [{ path = \"exp\" }]", 1)
	p, err := profile.Parse("acme.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"login method", p.Login.Method, "POST"},
		{"login encoding", p.Login.Encoding, "json"},
		{"username label", p.Login.UsernameLabel, "Username"},
		{"expiry unit", p.Login.Tokens.Expiry[0].Unit, "seconds"},
		{"expired statuses", len(p.ExpiredStatuses) == 1 && p.ExpiredStatuses[0] == 401, true},
		{"paging style", p.Lists[0].Paging.Style, api.PagingNone},
		{"page size", p.Lists[0].Paging.PageSize, 100},
		{"refresh tokens default to login's", p.Refresh.Tokens != nil && p.Refresh.Tokens.RefreshToken == "rt" && p.Refresh.Tokens.Expiry[0].Unit == "seconds", true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestParse_NameDefaultsToTheFileName(t *testing.T) {
	p, err := profile.Parse("my-api.toml", []byte(strings.Replace(minimal, `name = "acme"`, "", 1)))
	if err != nil || p.Name != "my-api" {
		t.Fatalf("name = %q, err %v; want my-api", p.Name, err)
	}
}

func TestParse_ReportsFieldAndLine(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		want           string // one line of the error
	}{
		{"missing access token", `access_token = "token"`, ``, "acme.toml:8: login.tokens.access_token: required"},
		{"plain http to a remote host", `https://api.example.com`, `http://api.example.com`,
			"acme.toml:2: base_url: http is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https"},
		{"unknown key", `path = "/login"`, "path = \"/login\"\nmetod = \"GET\"", "acme.toml:6: login.metod: unknown key"},
		{"refresh placeholder at sign-in", `password = "{password}"`, `password = "{password}", rt = "{refresh_token}"`,
			"acme.toml:6: login.body.rt: {refresh_token} is not available in this call"},
		{"unknown placeholder", `username = "{username}"`, `username = "{user}"`, "acme.toml:6: login.body.username: unknown placeholder {user}"},
		{"bad encoding", `path = "/login"`, "path = \"/login\"\nencoding = \"xml\"", `acme.toml:6: login.encoding: "xml" is not supported`},
		{"bad expiry unit", `access_token = "token"`, "access_token = \"token\"\nexpiry = [{ path = \"e\", unit = \"hours\" }]",
			`acme.toml:10: login.tokens.expiry[0].unit: "hours" is not a known unit`},
		{"bad json path", `access_token = "token"`, `access_token = "data..token"`, `acme.toml:9: login.tokens.access_token: "data..token" has an empty part`},
		{"unknown paging style", `title_field = "name"`, "title_field = \"name\"\npaging = { style = \"cursor\" }", `acme.toml:15: lists[0].paging.style: "cursor" is not a known paging style`},
		{"page size too large", `title_field = "name"`, "title_field = \"name\"\npaging = { page_size = 5000 }", `acme.toml:15: lists[0].paging.page_size: 5000 is out of range`},
		{"duplicate list", `title_field = "name"`, "title_field = \"name\"\n[[lists]]\nname = \"things\"\npath = \"/x\"\ntitle_field = \"t\"",
			`acme.toml:16: lists[1].name: "things" is already the name of lists[0]`},
		{"no lists", "[[lists]]\nname = \"Things\"\npath = \"/things\"\ntitle_field = \"name\"\n", "", "acme.toml: lists: required"},
		{"missing title field", `title_field = "name"`, ``, "acme.toml:11: lists[0].title_field: required"},
		{"full URL as a path", `path = "/things"`, `path = "https://evil.example/things"`, "acme.toml:13: lists[0].path: https://evil.example:443 is not on a declared origin"},
		{"refresh without a refresh token path", `title_field = "name"`, "title_field = \"name\"\n[refresh]\npath = \"/r\"\nbody = { t = \"{refresh_token}\" }",
			"acme.toml:15: refresh: there is a refresh call, but login.tokens.refresh_token does not say"},
		{"password placeholder at refresh", `access_token = "token"`, "access_token = \"token\"\nrefresh_token = \"rt\"\n[refresh]\npath = \"/r\"\nbody = { t = \"{refresh_token}\", p = \"{password}\" }",
			"acme.toml:13: refresh.body.p: {password} is not available in this call; use {refresh_token}"},
		{"syntax error", `[login.tokens]`, `[login.tokens`, "acme.toml:8: "},
		{"wrong type", `title_field = "name"`, `title_field = 3`, "acme.toml:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(minimal, tc.from, tc.to, 1)
			if src == minimal {
				t.Fatal("test did not change the profile")
			}
			_, err := profile.Parse("acme.toml", []byte(src))
			if err == nil {
				t.Fatal("Parse accepted a broken profile")
			}
			probs := problems(t, err)
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error =\n%v\nwant a line containing %q (%d problems)", err, tc.want, len(probs))
			}
		})
	}
}

func TestParse_ListsEveryProblemInFileOrder(t *testing.T) {
	src := strings.NewReplacer(`https://`, `http://`, `"/login"`, `"login"`, `title_field = "name"`, ``).Replace(minimal)
	_, err := profile.Parse("acme.toml", []byte(src))
	probs := problems(t, err)
	var got []string
	for _, p := range probs {
		got = append(got, p.Field)
	}
	want := []string{"base_url", "login.path", "lists[0].title_field"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("fields = %v, want %v (in file order)", got, want)
	}
	for _, p := range probs {
		if p.Line == 0 {
			t.Errorf("%s has no line", p.Field)
		}
	}
}

func TestLoad_ReadsAFileAndRejectsAHugeOne(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "acme.toml")
	if err := os.WriteFile(good, []byte(minimal), 0o600); err != nil {
		t.Fatal(err)
	}
	if p, err := profile.Load(good); err != nil || p.Name != "acme" {
		t.Fatalf("Load = %q, %v", p.Name, err)
	}
	huge := filepath.Join(dir, "huge.toml")
	if err := os.WriteFile(huge, make([]byte, profile.MaxFileSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := profile.Load(huge); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("Load(huge) = %v, want a size error", err)
	}
	if _, err := profile.Load(filepath.Join(dir, "missing.toml")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load(missing) = %v, want fs.ErrNotExist", err)
	}
}

func TestExamples_AllLoadAndEachNamesItself(t *testing.T) {
	names, err := fs.Glob(profiles.FS, "*.toml")
	if err != nil || len(names) < 6 {
		t.Fatalf("examples: %v, %v; want at least six", names, err)
	}
	for _, n := range names {
		p, err := profile.LoadFS(profiles.FS, n)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if p.Name+".toml" != n {
			t.Errorf("%s names itself %q; keep the file and the name in step", n, p.Name)
		}
	}
}

func TestParse_ImpossiblePortIsRefusedAtBaseURL(t *testing.T) {
	for _, base := range []string{"https://api.example.com:0", "https://api.example.com:65536", "http://127.0.0.1:99999"} {
		src := strings.Replace(minimal, "https://api.example.com", base, 1)
		_, err := profile.Parse("acme.toml", []byte(src))
		if err == nil {
			t.Errorf("%s: accepted", base)
			continue
		}
		probs := problems(t, err)
		if len(probs) != 1 || probs[0].Field != "base_url" || probs[0].Line != 2 || !strings.Contains(probs[0].Message, "port number") {
			t.Errorf("%s: problems %v, want one at base_url line 2 naming the port", base, probs)
		}
	}
}
