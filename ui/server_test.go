package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"signet/backend"
	"signet/profile"
)

// brokenProfile has three problems, each on its own line.
const brokenProfile = `name = "acme"
base_url = "http://api.acme.example"

[login]
path = "/login"

  [login.body]
  username = "{username}"
  password = "{password}"

  [login.tokens]
  refresh_token = "refresh"

[[lists]]
name = "Orders"
path = "/orders"
id_field = "id"
title_field = "number"

  [lists.paging]
  style = "pages"
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// openServer opens the Server screen and waits for its first description.
func (h *harness) openServer() *serverScreen {
	h.t.Helper()
	s := h.ui.showServer()
	if s == nil {
		h.t.Fatal("the Server screen did not open")
	}
	h.waitFor("the choice in use to be described", s.settled)
	return s
}

// settled: the last Describe asked for has been shown.
func (s *serverScreen) settled() bool { return !s.busy.Visible() }

// problemTexts is what the problems box shows, line by line.
func (s *serverScreen) problemTexts() []string {
	var out []string
	for _, o := range s.problemsBox.Objects {
		out = append(out, o.(*widget.Label).Text)
	}
	return out
}

func TestServerScreen_BrokenProfileListsEveryProblemWithFieldAndLine(t *testing.T) {
	b, ctrl, prefs := newTestBackends(t, Choice{Preset: "demo"})
	h := newHarness(t, ctrl, Options{Backends: b})
	h.waitFor("the sign-in form", h.onSignIn)
	s := h.openServer()

	path := writeFile(t, "acme.toml", brokenProfile)
	s.file.SetText("")
	test.Type(s.file, path)
	h.waitFor("the file's problems", func() bool { return s.settled() && len(s.problems) > 0 })

	want := []string{
		"acme.toml:2: base_url: http is only allowed",
		"acme.toml:11: login.tokens.access_token: required",
		"acme.toml:21: lists[0].paging.style:",
	}
	got := s.problemTexts()
	if len(got) != len(want) {
		t.Fatalf("problems shown:\n%s\nwant %d of them", strings.Join(got, "\n"), len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("problem %d is %q, want it to start %q", i, got[i], w)
		}
	}
	if !s.problemsTitle.Visible() || s.loaded.Visible() {
		t.Errorf("problems title visible=%v, loaded details visible=%v; want only the problems", s.problemsTitle.Visible(), s.loaded.Visible())
	}
	if !s.apply.Disabled() {
		t.Error("Apply is enabled for a profile with problems")
	}
	if want := len(b.Presets()); s.presetsUI.Length() != want {
		t.Errorf("preset list has %d rows, want one per preset (%d)", s.presetsUI.Length(), want)
	}

	// Fixing the file and choosing it again shows what was loaded instead.
	fixed := strings.Replace(brokenProfile, `refresh_token = "refresh"`, `access_token = "token"`, 1)
	fixed = strings.Replace(fixed, `"pages"`, `"offset"`, 1)
	fixed = strings.Replace(fixed, "http://api.acme.example", "https://api.acme.example", 1)
	if err := os.WriteFile(path, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	s.baseURL.SetText("http://127.0.0.1:8080") // any change describes again
	h.waitFor("the fixed file to load", func() bool { return s.settled() && s.loaded.Visible() })
	if len(s.problems) != 0 || s.problemsTitle.Visible() || s.apply.Disabled() {
		t.Errorf("after the fix: problems %q, title visible %v, Apply disabled %v", s.problems, s.problemsTitle.Visible(), s.apply.Disabled())
	}
	if s.name.Text != "acme" || s.server.Text != "http://127.0.0.1:8080" {
		t.Errorf("loaded %q at %q, want acme at the overriding address", s.name.Text, s.server.Text)
	}
	if b.Current() != (Choice{Preset: "demo"}) || backend.LoadChoice(prefs) != (Choice{}) {
		t.Errorf("describing a choice switched the backend: in use %+v, saved %+v", b.Current(), backend.LoadChoice(prefs))
	}
}

func TestServerScreen_ApplyingAnExampleProfileSignsInToThatBackend(t *testing.T) {
	srv := newTokenOnlyServer(t)
	b, sess, _ := newTestBackends(t, Choice{Preset: "demo"})
	demoURL := sess.Profile().BaseURL
	h := newHarness(t, sess, Options{Backends: b, DemoHint: "Demo account: demo / demo1234"})
	h.waitFor("the sign-in form", h.onSignIn)

	s := h.openServer()
	if s.presetsUI.Length() != len(b.Presets()) || s.name.Text != "demo" || s.server.Text != demoURL {
		t.Fatalf("the screen opens on %q at %q, want the demo in use at %s", s.name.Text, s.server.Text, demoURL)
	}

	example, err := filepath.Abs("../assets/profiles/token-only.toml")
	if err != nil {
		t.Fatal(err)
	}
	test.Type(s.file, example)
	test.Type(s.baseURL, srv.URL)
	h.waitFor("the example to load", func() bool { return s.settled() && s.loaded.Visible() && s.server.Text == srv.URL })
	for _, row := range []struct{ label, got, want string }{
		{"name", s.name.Text, "token-only"},
		{"sign-in", s.signIn.Text, "POST /login (JSON)"},
		{"refresh", s.refresh.Text, "No: when the token runs out, you sign in again"},
		{"expiry", s.expiry.Text, "the token's JWT exp claim, else unknown"},
		{"lists", s.lists.Text, "Notes (/notes)"},
	} {
		if row.got != row.want {
			t.Errorf("%s shows %q, want %q", row.label, row.got, row.want)
		}
	}
	if s.presetsUI.Length() != len(b.Presets()) || s.choice.Preset != "" {
		t.Errorf("choosing a file left preset %q chosen", s.choice.Preset)
	}

	test.Tap(s.apply)
	h.waitFor("the new backend's sign-in form", func() bool {
		return h.onSignIn() && mutedText(h.ui.signIn.server) == "Server: "+srv.URL
	})
	if got := b.Current(); got.File != example || got.BaseURL != srv.URL {
		t.Errorf("backend in use %+v, want the example at %s", got, srv.URL)
	}
	if h.ui.signIn.hint.Visible() {
		t.Error("the demo account hint is still shown for another backend")
	}
	if h.win.Canvas().Overlays().Top() != nil {
		t.Error("the Server screen is still open after Apply")
	}

	h.signIn(tokenOnlyUser, tokenOnlyPassword)
	h.waitFor("the list screen", h.onList)
	v := h.view()
	h.waitFor("the notes", func() bool { return shows(v, v.itemsView) })
	if got := v.list.Length(); got != tokenOnlyItems {
		t.Errorf("rows %d, want the server's %d notes", got, tokenOnlyItems)
	}
	if got, want := h.ui.list.who.Text, "Signed in as Grace Hopper"; got != want {
		t.Errorf("top bar %q, want %q (from the /me call)", got, want)
	}
	if sess.Snapshot().State.HasSession() {
		t.Error("the demo session was signed in by signing in to another backend")
	}
}

func TestServerScreen_CancelKeepsTheBackendInUse(t *testing.T) {
	b, ctrl, prefs := newTestBackends(t, Choice{Preset: "demo"})
	h := newHarness(t, ctrl, Options{Backends: b})
	h.waitFor("the sign-in form", h.onSignIn)
	signIn := h.ui.signIn

	s := h.openServer()
	s.presetsUI.Select(1) // OAuth 2.0, which needs an address
	h.waitFor("the preset to be described", func() bool { return s.settled() && len(s.problems) > 0 })
	if !strings.Contains(strings.Join(s.problems, "\n"), "base_url: required") {
		t.Errorf("problems %q, want the missing address named", s.problems)
	}
	// A click on a button leaves the keyboard where it was (test.Tap would
	// unfocus, the real driver does not).
	h.win.Canvas().Focus(s.baseURL)
	s.cancel.Tapped(&fyne.PointEvent{})
	if h.win.Canvas().Overlays().Top() != nil {
		t.Error("the Server screen is still open after Cancel")
	}
	if s.baseURL.focused {
		t.Error("the closed screen's address field still believes it has the keyboard (its cursor blinks on)")
	}
	if h.ui.signIn != signIn || b.Current() != (Choice{Preset: "demo"}) || backend.LoadChoice(prefs) != (Choice{}) {
		t.Errorf("Cancel switched the backend: in use %+v, saved %+v", b.Current(), backend.LoadChoice(prefs))
	}
}

func TestServerScreen_SaysWhyTheSavedChoiceWasNotUsed(t *testing.T) {
	path := writeFile(t, "acme.toml", brokenProfile)
	_, loadErr := profile.Load(path)
	b, ctrl, _ := newTestBackends(t, Choice{File: path})
	if rejected, _ := b.Rejected(); rejected.File != path || b.Current() != (Choice{Preset: "demo"}) {
		t.Fatalf("started on %+v, rejected %+v; want the demo, the file rejected", b.Current(), rejected)
	}
	h := newHarness(t, ctrl, Options{Backends: b})
	h.waitFor("the sign-in form", h.onSignIn)

	s := h.openServer()
	if !s.rejected.Visible() || !strings.Contains(s.rejected.Text, path) || !strings.Contains(s.rejected.Text, "demo server") {
		t.Errorf("notice visible=%v %q; want it to name the file and say the demo is in use", s.rejected.Visible(), s.rejected.Text)
	}
	if s.file.Text != path {
		t.Errorf("file field %q, want the rejected file to fix", s.file.Text)
	}
	var ve *profile.ValidationError
	if !errors.As(loadErr, &ve) || strings.Join(s.problems, "\n") != strings.Join(ve.Lines(), "\n") {
		t.Errorf("problems shown %q, want the load error's lines", s.problems)
	}
}

func TestServerScreen_TheSignInFormsServerButtonOpensIt(t *testing.T) {
	b, sess, _ := newTestBackends(t, Choice{Preset: "demo"})
	h := newHarness(t, sess, Options{Backends: b})
	h.waitFor("the sign-in form", h.onSignIn)

	button := buttonIn(h.ui.signIn.content, "Server…")
	if button == nil || !button.Visible() {
		t.Fatal("no visible Server… button on the sign-in form")
	}
	test.Tap(button)
	if h.win.Canvas().Overlays().Top() == nil {
		t.Error("tapping Server… opened nothing")
	}

	// Without Backends there is nothing to choose, and no button.
	h2 := newHarness(t, sess, Options{})
	if b := buttonIn(h2.ui.signIn.content, "Server…"); b == nil || b.Visible() {
		t.Error("the Server… button shows without Backends")
	}
}

// buttonIn finds the button labelled text inside o, cards included.
func buttonIn(o fyne.CanvasObject, text string) *keyButton {
	switch o := o.(type) {
	case *keyButton:
		if o.Text == text {
			return o
		}
	case *fyne.Container:
		for _, c := range o.Objects {
			if b := buttonIn(c, text); b != nil {
				return b
			}
		}
	case *widget.Card:
		return buttonIn(o.Content, text)
	}
	return nil
}

func TestServerScreen_NeverShowsAPasswordFromTheServerAddress(t *testing.T) {
	// A saved choice whose address carries credentials and does not parse:
	// the profile's own check would quote it.
	saved := Choice{Preset: "demo", BaseURL: "http://user:secret@127.0.0.1:9:x"}
	b, ctrl, _ := newTestBackends(t, saved)
	h := newHarness(t, ctrl, Options{Backends: b})
	h.waitFor("the sign-in form", h.onSignIn)

	s := h.openServer()
	shown := func() string {
		return strings.Join(append([]string{s.rejected.Text, s.baseURL.Text, s.server.Text}, s.problemTexts()...), "\n")
	}
	if !s.rejected.Visible() || len(s.problems) == 0 {
		t.Fatalf("notice visible=%v, problems %q; want the saved choice's rejection explained", s.rejected.Visible(), s.problems)
	}
	if got := shown(); strings.Contains(got, "secret") || strings.Contains(got, "user:") {
		t.Errorf("the Server screen shows the credentials:\n%s", got)
	}

	s.baseURL.SetText("")
	test.Type(s.baseURL, "https://user:secret@api.example.com")
	h.waitFor("the typed address to be described", func() bool { return s.settled() && len(s.problems) > 0 })
	if got := strings.Join(s.problemTexts(), "\n"); strings.Contains(got, "secret") ||
		!strings.Contains(got, "must not contain a user name or password") {
		t.Errorf("problems shown:\n%s\nwant the address refused without quoting it", got)
	}
}

func TestServerScreen_ShowsTheSignInOriginAndWhereTheTokenGoes(t *testing.T) {
	b, sess, _ := newTestBackends(t, Choice{Preset: "demo"})
	h := newHarness(t, sess, Options{Backends: b})
	h.waitFor("the sign-in form", h.onSignIn)
	s := h.openServer()
	demoOrigin := sess.Profile().BaseURL
	h.waitFor("the demo to load", func() bool { return s.settled() && s.loaded.Visible() })
	if s.signInAt.Text != demoOrigin || s.bearerTo.Text != demoOrigin {
		t.Errorf("demo: signs in at %q, token to %q; want both %s", s.signInAt.Text, s.bearerTo.Text, demoOrigin)
	}

	firebase, err := filepath.Abs("../assets/profiles/firebase.toml")
	if err != nil {
		t.Fatal(err)
	}
	test.Type(s.file, firebase)
	h.waitFor("the profile to load", func() bool { return s.settled() && s.loaded.Visible() && s.name.Text == "firebase" })
	if s.signInAt.Text != "https://identitytoolkit.googleapis.com" {
		t.Errorf("signs in at %q, want the identity toolkit's origin", s.signInAt.Text)
	}
	if !strings.Contains(s.bearerTo.Text, "https://firestore.googleapis.com") ||
		strings.Contains(s.bearerTo.Text, "securetoken") {
		t.Errorf("token goes to %q, want the lists' origin and never the refresh host", s.bearerTo.Text)
	}
}
