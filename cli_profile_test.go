package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/tidwall/gjson"

	"signet/demo"
	"signet/internal/demotest"
)

// demoProfileTOML is the demo backend's contract as a profile file, at
// baseURL, with its list's items at itemsPath.
func demoProfileTOML(baseURL, itemsPath string) string {
	return `name = "demo-file"
base_url = "` + baseURL + `"

[login]
path = "/auth/login"
body = { username = "{username}", password = "{password}" }
[login.tokens]
access_token = "access_token"
refresh_token = "refresh_token"
expiry = [{ path = "expires_in", unit = "seconds" }]
[login.user]
id = "user.id"
name = "user.name"

[refresh]
path = "/auth/refresh"
body = { refresh_token = "{refresh_token}" }

[logout]
path = "/auth/logout"
body = { refresh_token = "{refresh_token}" }

[[lists]]
name = "Items"
path = "/api/items?lang=en"
items_path = "` + itemsPath + `"
id_field = "id"
title_field = "title"
`
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// tokenLog records every token the server hands out, so a test can check
// that none reaches the output whole.
type tokenLog struct {
	mu     sync.Mutex
	tokens []string
}

func (l *tokenLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.tokens...)
}

type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// startDemo serves the demo backend on loopback and returns its URL and
// the log of the tokens it issued.
func startDemo(t *testing.T) (string, *tokenLog) {
	t.Helper()
	srv := demotest.Open(t, demo.Config{})
	log := &tokenLog{}
	h := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &teeWriter{ResponseWriter: w}
		h.ServeHTTP(tw, r)
		log.mu.Lock()
		defer log.mu.Unlock()
		for _, k := range []string{"access_token", "refresh_token"} {
			if v := gjson.GetBytes(tw.body.Bytes(), k).String(); v != "" {
				log.tokens = append(log.tokens, v)
			}
		}
	}))
	t.Cleanup(hs.Close) // before the demo closes (cleanups run last first)
	return hs.URL, log
}

func runProfileCmd(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = runProfile(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestProfileCheck_AValidProfileIsOKWithASummary(t *testing.T) {
	file := writeFile(t, "demo.toml", demoProfileTOML("http://127.0.0.1:8080", "items"))
	stdout, stderr, code := runProfileCmd("", "check", file)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if !strings.HasPrefix(stdout, file+": ok\n") {
		t.Errorf("stdout does not start with %q:\n%s", file+": ok", stdout)
	}
	summary := strings.Join(strings.Fields(stdout), " ")
	for _, want := range []string{
		`Profile "demo-file" signs in with POST http://127.0.0.1:8080/auth/login (JSON).`,
		`expiry comes from "expires_in" (seconds from now), else the access token's JWT exp claim`,
		`refreshes by trading the refresh token at POST http://127.0.0.1:8080/auth/refresh (JSON).`,
		`signs out with POST http://127.0.0.1:8080/auth/logout (JSON).`,
		// Query values are hidden: they may hold an API key.
		`List: "Items" (http://127.0.0.1:8080/api/items?lang=…).`,
		`The bearer token goes to http://127.0.0.1:8080 only.`,
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if len([]rune(line)) > 80 {
			t.Errorf("line longer than 80: %q", line)
		}
	}
}

const badProfile = `name = "bad"
base_url = "ftp://example.com"

[login]
path = "/auth/login"
colour = "blue"

[login.tokens]
refresh_token = "refresh_token"

[[lists]]
name = "Items"
path = "/api/items"
id_field = "id"
`

// Every problem, with its file and line, one per line.
var badProfileLines = []string{
	`bad.toml:2: base_url: scheme "ftp" is not supported`,
	`bad.toml:4: login.body: must send {username} somewhere`,
	`bad.toml:4: login.body: must send {password} somewhere`,
	`bad.toml:6: login.colour: unknown key`,
	`bad.toml:8: login.tokens.access_token: required`,
	`bad.toml:11: lists[0].title_field: required`,
}

func checkEveryProblemListed(t *testing.T, output string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(output), "\n")
	if len(lines) != len(badProfileLines) {
		t.Errorf("%d lines, want one per problem (%d):\n%s", len(lines), len(badProfileLines), output)
		return
	}
	for i, want := range badProfileLines {
		if !strings.HasPrefix(strings.TrimSpace(lines[i]), want) {
			t.Errorf("line %d is %q, want it to start %q", i+1, lines[i], want)
		}
	}
}

func TestProfileCheck_ListsEveryProblemAndExits2(t *testing.T) {
	file := writeFile(t, "bad.toml", badProfile)
	stdout, stderr, code := runProfileCmd("", "check", file)
	if code != 2 || stdout != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", code, stdout)
	}
	checkEveryProblemListed(t, stderr)
}

// check and try run before Signet looks for a display (the child has none)
// and never open a window; a bad --profile at a normal start is still
// reported in full before the display is looked for.
func TestRun_ProfileCommandsNeedNoDisplay(t *testing.T) {
	bad := writeFile(t, "bad.toml", badProfile)
	stdout, stderr, code := runChild(t, "", nil, "profile", "check", bad)
	if code != 2 || stdout != "" {
		t.Errorf("profile check bad.toml: exit %d, stdout %q", code, stdout)
	}
	checkEveryProblemListed(t, stderr)

	_, stderr, code = runChild(t, "", nil, "--profile", bad)
	if code != 2 || strings.Contains(stderr, errNoDisplay.Error()) {
		t.Errorf("--profile bad.toml: exit %d, stderr:\n%s\nwant 2 and the problems, before any display", code, stderr)
	}
	checkEveryProblemListed(t, stderr[strings.Index(stderr, "\n")+1:])

	base, _ := startDemo(t)
	good := writeFile(t, "demo.toml", demoProfileTOML(base, "items"))
	stdout, stderr, code = runChild(t, "", nil, "profile", "check", good)
	if code != 0 || !strings.HasPrefix(stdout, good+": ok\n") || stderr != "" {
		t.Errorf("profile check demo.toml: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// The real standard input, a pipe: the password is its one line.
	stdout, stderr, code = runChildStdin(t, "", strings.NewReader(demo.DemoPassword+"\n"), nil,
		"profile", "try", good, "--username", demo.DemoUsername)
	if code != 0 || !strings.Contains(stdout, "Every step worked") || strings.Contains(stdout+stderr, demo.DemoPassword) {
		t.Errorf("profile try with the password piped in: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

func TestProfileTry_RunsEveryStepAndShowsNoSecret(t *testing.T) {
	base, issued := startDemo(t)
	file := writeFile(t, "demo.toml", demoProfileTOML(base, "items"))
	stdout, stderr, code := runProfileCmd(demo.DemoPassword+"\n", "try", file, "--username", demo.DemoUsername)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s\nstdout:\n%s", code, stderr, stdout)
	}
	for _, want := range []string{
		"1. Sign in as demo\n   POST " + base + "/auth/login → ok",
		`expiry: `, `from "expires_in" (seconds from now)`,
		`user: id "u-1001"`,
		`2. List "Items", the first page`,
		"3. Refresh\n   POST " + base + "/auth/refresh → ok",
		`4. List "Items", again with the new token`,
		"5. Sign out\n   POST " + base + "/auth/logout → ok",
		"Every step worked. Nothing was stored.\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("transcript lacks %q:\n%s", want, stdout)
		}
	}
	tokens := issued.all()
	if len(tokens) < 4 { // sign-in and refresh, access and refresh token each
		t.Fatalf("the server issued %d tokens, want at least 4", len(tokens))
	}
	for _, tok := range append(tokens, demo.DemoPassword) {
		if strings.Contains(stdout, tok) {
			t.Errorf("the transcript holds a whole secret %q:\n%s", tok, stdout)
		}
	}
}

func TestProfileTry_AFailingStepIsNamedWithTheKeyAndExits1(t *testing.T) {
	base, _ := startDemo(t)
	for _, tc := range []struct {
		name, password, itemsPath string
		want, absent              []string
	}{
		{"wrong password", "not-the-password", "items", []string{
			"1. Sign in as demo\n",
			"   FAILED: ",
			"The try failed at: Sign in as demo. Most likely wrong: the username and password",
		}, []string{`List "Items"`, "Sign out"}}, // not signed in: nothing more to try
		{"wrong items path", demo.DemoPassword, "rows", []string{
			`2. List "Items", the first page`,
			"   Most likely wrong: lists[0].items_path",
			`The try failed at: List "Items", the first page. Most likely wrong: lists[0].items_path`,
			"3. Sign out\n   POST " + base + "/auth/logout → ok", // signed out even so
		}, []string{"Refresh", "Every step worked"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := writeFile(t, "demo.toml", demoProfileTOML(base, tc.itemsPath))
			stdout, _, code := runProfileCmd(tc.password+"\n", "try", file, "--username", demo.DemoUsername)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			for _, want := range tc.want {
				if !strings.Contains(stdout, want) {
					t.Errorf("transcript lacks %q:\n%s", want, stdout)
				}
			}
			for _, not := range append(tc.absent, tc.password) {
				if strings.Contains(stdout, not) {
					t.Errorf("transcript holds %q:\n%s", not, stdout)
				}
			}
		})
	}
}

func TestProfileTry_APresetOnABaseURL(t *testing.T) {
	base, _ := startDemo(t)
	stdout, stderr, code := runProfileCmd(demo.DemoPassword+"\r\n", "try", "--preset", "demo", "--base-url", base+"/",
		"--username", demo.DemoUsername)
	if code != 0 || !strings.Contains(stdout, `Trying profile "demo" at `+base+".") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	stdout, _, code = runProfileCmd("", "check", "--preset", "demo", "--base-url", base)
	if code != 0 || !strings.HasPrefix(stdout, "preset demo: ok\n") {
		t.Errorf("check --preset demo: exit %d, stdout:\n%s", code, stdout)
	}
}

func TestProfile_UsageMistakesExit2WithAReason(t *testing.T) {
	good := writeFile(t, "demo.toml", demoProfileTOML("http://127.0.0.1:8080", "items"))
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", nil, "Usage: signet profile check FILE"},
		{"", []string{"frob"}, `unknown subcommand "frob"`},
		{"", []string{"check"}, "name the profile file to check"},
		{"", []string{"check", good, good}, "one profile at a time"},
		{"", []string{"check", good, "--preset", "demo"}, "not both"},
		{"", []string{"check", "--preset", "nope"}, `there is no preset "nope"`},
		{"", []string{"check", "--preset", "directus"}, "Give the preset your server's address with --base-url URL."},
		{"", []string{"check", good, "--base-url", "http://u:secret@127.0.0.1"}, "must not contain a user name or password"},
		{"", []string{"check", filepath.Join(t.TempDir(), "missing.toml")}, "signet: open profile:"},
		{"", []string{"check", "--bogus"}, "flag provided but not defined"},
		{"pw\n", []string{"try", good}, "--username is required"},
		{"", []string{"try", good, "--username", "demo"}, "no password on standard input"},
		{"\n", []string{"try", good, "--username", "demo"}, "the password is empty"},
		{strings.Repeat("x", maxPasswordLine), []string{"try", good, "--username", "demo"}, "longer than 4095 bytes"},
	} {
		stdout, stderr, code := runProfileCmd(tc.stdin, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr:\n%s\nwant 2 and %q", tc.args, code, stdout, stderr, tc.want)
		}
		if strings.Contains(stderr, "secret") {
			t.Errorf("%q: the password in the address reached stderr:\n%s", tc.args, stderr)
		}
	}
	for _, args := range [][]string{{"help"}, {"check", "-help"}} {
		stdout, stderr, code := runProfileCmd("", args...)
		if code != 0 || !strings.Contains(stdout+stderr, "signet profile try FILE --username U") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

func TestRun_HelpNamesTheProfileCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-help"}} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		if code != 0 || !regexp.MustCompile(`signet profile check FILE[\s\S]*signet profile try FILE --username U`).MatchString(stderr.String()) {
			t.Errorf("%q: exit %d, stderr:\n%s", args, code, stderr.String())
		}
	}
}

func TestEndpointText_HidesQueryValues(t *testing.T) {
	file := writeFile(t, "k.toml", strings.Replace(demoProfileTOML("https://api.example.com/v1", "items"),
		`path = "/auth/login"`, `path = "/auth/login?key=AIzaSecretKey&mode=x"`, 1))
	stdout, _, code := runProfileCmd("", "check", file)
	if code != 0 || strings.Contains(stdout, "AIzaSecretKey") ||
		!strings.Contains(strings.Join(strings.Fields(stdout), " "), "POST https://api.example.com/v1/auth/login?key=…&mode=… (JSON)") {
		t.Errorf("exit %d, stdout:\n%s", code, stdout)
	}
}
