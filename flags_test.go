package main

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"signet/backend"
	"signet/demo"
)

func TestParseFlags_DefaultsRunTheEmbeddedDemo(t *testing.T) {
	o, err := parseFlags(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.server != "" || o.tokenTTL != demo.DefaultTokenTTL || o.logLevel != slog.LevelInfo || o.version {
		t.Errorf("defaults: %+v", o)
	}
}

func TestParseFlags_AcceptsWhatTheREADMEShows(t *testing.T) {
	o, err := parseFlags([]string{"--server", "http://127.0.0.1:8080/", "--log-level", "debug"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.server != "http://127.0.0.1:8080" || o.logLevel != slog.LevelDebug {
		t.Errorf("got %+v", o)
	}
	o, err = parseFlags([]string{"--token-ttl", "30s"}, &bytes.Buffer{})
	if err != nil || o.tokenTTL != 30*time.Second {
		t.Errorf("--token-ttl 30s: %+v, %v", o, err)
	}
}

func TestParseFlags_ExplainsBadFlagsInWords(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--log-level", "loud"}, "--log-level must be info or debug"},
		{[]string{"--token-ttl", "500ms"}, "at least 1s"},
		{[]string{"--server", "ftp://example.com"}, "--server wants a URL"},
		{[]string{"--server", "127.0.0.1:8080"}, "--server wants a URL"},
		{[]string{"--server", "http://127.0.0.1:8080", "--token-ttl", "5s"}, "can't be used with another backend"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--bogus"}, "flag provided but not defined"},
	} {
		var stderr bytes.Buffer
		_, err := parseFlags(tc.args, &stderr)
		if !errors.Is(err, errBadFlags) {
			t.Errorf("%q: err %v, want errBadFlags", tc.args, err)
		}
		if !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q: stderr %q, want it to say %q", tc.args, stderr.String(), tc.want)
		}
	}
}

func TestParseFlags_HelpIsNotAnError(t *testing.T) {
	var stderr bytes.Buffer
	_, err := parseFlags([]string{"-help"}, &stderr)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "demo-server") {
		t.Errorf("err %v, usage %q", err, stderr.String())
	}
}

func TestRun_VersionAndExitCodes(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--version"}, &stdout, &stderr); code != 0 || stdout.String() != "signet "+appVersion()+"\n" {
		t.Errorf("--version: code %d, stdout %q", code, stdout.String())
	}
	if code := run([]string{"--log-level", "loud"}, &stdout, &stderr); code != 2 {
		t.Errorf("bad flag: code %d, want 2", code)
	}
	if code := run([]string{"-h"}, &stdout, &stderr); code != 0 {
		t.Errorf("-h: code %d, want 0", code)
	}
}

func TestParseFlags_BackendFlagsAndTheirConflicts(t *testing.T) {
	o, err := parseFlags([]string{"--preset", "oauth2-password", "--base-url", "https://auth.example.com/"}, &bytes.Buffer{})
	if err != nil || o.preset != "oauth2-password" || o.baseURL != "https://auth.example.com" {
		t.Errorf("--preset --base-url: %+v, %v", o, err)
	}
	o, err = parseFlags([]string{"--profile", "acme.toml"}, &bytes.Buffer{})
	if err != nil || o.profile != "acme.toml" {
		t.Errorf("--profile: %+v, %v", o, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--profile", "a.toml", "--preset", "demo"}, "--profile or --preset, not both"},
		{[]string{"--server", "http://127.0.0.1:8080", "--profile", "a.toml"}, "--server can't be combined"},
		{[]string{"--server", "http://127.0.0.1:8080", "--base-url", "http://127.0.0.1:9"}, "--server can't be combined"},
		{[]string{"--preset", "nope"}, `there is no preset "nope"; the presets are demo, oauth2-password`},
		{[]string{"--base-url", "api.example.com"}, "--base-url wants a URL"},
		{[]string{"--profile", "a.toml", "--token-ttl", "5s"}, "can't be used with another backend"},
		{[]string{"--preset", "oauth2-password", "--token-ttl", "5s"}, "can't be used with another backend"},
	} {
		var stderr bytes.Buffer
		if _, err := parseFlags(tc.args, &stderr); !errors.Is(err, errBadFlags) || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q: err %v, stderr %q; want it to say %q", tc.args, err, stderr.String(), tc.want)
		}
	}
	if _, err := parseFlags([]string{"--preset", "demo", "--token-ttl", "5s"}, &bytes.Buffer{}); err != nil {
		t.Errorf("--preset demo --token-ttl: %v; the embedded demo takes a token lifetime", err)
	}
}

func TestOptions_ChoiceIsWhatTheBackendFlagsName(t *testing.T) {
	for _, tc := range []struct {
		opts options
		want backend.Choice
	}{
		{options{}, backend.Choice{}},
		{options{profile: "flag.toml"}, backend.Choice{File: "flag.toml"}},
		{options{preset: "oauth2-password"}, backend.Choice{Preset: "oauth2-password"}},
		{options{server: "http://127.0.0.1:8080"}, backend.Choice{Preset: "demo", BaseURL: "http://127.0.0.1:8080"}},
		{options{baseURL: "http://127.0.0.1:9"}, backend.Choice{}}, // an override, not a choice
	} {
		if got := tc.opts.choice(); got != tc.want {
			t.Errorf("%+v: %+v, want %+v", tc.opts, got, tc.want)
		}
	}
}

func TestRun_ABrokenProfileOnTheCommandLineListsItsProblemsAndExits2(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "acme.toml")
	if err := os.WriteFile(broken, []byte("name = \"acme\"\nbase_url = \"http://api.acme.example\"\n\n[login]\npath = \"/login\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The missing file's error comes from the OS, in its own words ("no such
	// file or directory" on Unix, "The system cannot find the file
	// specified." on Windows): ask it.
	gone := filepath.Join(t.TempDir(), "gone.toml")
	_, statErr := os.Stat(gone)
	var notFound *fs.PathError
	if !errors.As(statErr, &notFound) || !errors.Is(statErr, fs.ErrNotExist) {
		t.Fatalf("stat of a missing file: %v", statErr)
	}
	for _, tc := range []struct {
		name string
		args []string
		env  string
		want []string
	}{
		{"--profile", []string{"--profile", broken}, "", []string{
			"can't use the backend from the command line (" + broken + ")",
			"  acme.toml:2: base_url: http is only allowed for loopback hosts",
			"  acme.toml:4: login.tokens.access_token: required",
		}},
		{"SIGNET_PROFILE", nil, broken, []string{"backend from $SIGNET_PROFILE", "  acme.toml:2: base_url:"}},
		{"missing file", []string{"--profile", gone}, "", []string{"gone.toml", notFound.Err.Error()}},
		{"preset without an address", []string{"--preset", "oauth2-password"}, "", []string{"oauth2-password: base_url: required", "--base-url URL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(backend.ProfileEnv, tc.env)
			var stdout, stderr bytes.Buffer
			if code := run(tc.args, &stdout, &stderr); code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr:\n%s\nwant it to say %q", stderr.String(), w)
				}
			}
		})
	}
}

func TestRun_NeverPrintsAPasswordFromTheServerAddress(t *testing.T) {
	for _, args := range [][]string{
		{"--server", "http://user:secret@127.0.0.1:9"},
		{"--base-url", "http://user:secret@127.0.0.1:9"},
		{"--preset", "oauth2-password", "--base-url", "https://user:secret@api.example.com"},
		{"--server", "http://user:secret@127.0.0.1:9:x"},
		{"--base-url", "ftp://user:secret@example.com"},
		{"--server", "http:user:secret@127.0.0.1"},
		{"--server", "user:secret@127.0.0.1:9"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit code %d, want 2", args, code)
		}
		if out := stdout.String() + stderr.String(); leaks(out) {
			t.Errorf("%q printed the credentials:\n%s", args, out)
		}
	}
	var stderr bytes.Buffer
	run([]string{"--server", "http://user:secret@127.0.0.1:9"}, &bytes.Buffer{}, &stderr)
	if !strings.Contains(stderr.String(), "--server must not contain a user name or password") {
		t.Errorf("stderr %q, want it to say why the address is refused", stderr.String())
	}
}

// leaks reports whether s shows the user name or password of the addresses
// above.
func leaks(s string) bool { return strings.Contains(s, "secret") || strings.Contains(s, "user:") }
