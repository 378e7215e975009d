package backend

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"signet/api"
	"signet/demo"
	"signet/internal/demotest"
	"signet/internal/testsync"
	"signet/profile"
	"signet/session"
	"signet/session/keychain"
)

// testBackends is a Switcher with a memory keychain and preferences
// and its own storage folder.
func testBackends(t *testing.T) (*Switcher, *keychain.Memory, *session.MemoryPreferences) {
	t.Helper()
	kc, prefs := keychain.NewMemory(), session.NewMemoryPreferences()
	b := New(Config{Prefs: prefs, Keychain: kc, Service: "io.signet.test", Storage: demoStorage(t), TokenTTL: time.Minute})
	t.Cleanup(b.Close)
	return b, kc, prefs
}

// demoStorage is an app folder whose embedded demo data is already seeded.
func demoStorage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Rename(demotest.DataFile(t), filepath.Join(dir, "demo.db")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func waitState(t *testing.T, s *session.Controller, what string, ok func(session.Snapshot) bool) {
	t.Helper()
	if !testsync.Poll(testsync.Limit, func() bool { return ok(s.Snapshot()) }) {
		t.Fatalf("timed out waiting for %s; state %v", what, s.Snapshot().State)
	}
}

func restored(s session.Snapshot) bool { return s.State != session.Restoring }

func reachable(url string) bool {
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return true
}

func TestBackends_SavedChoiceThatNoLongerLoadsStartsTheDemoAndSaysWhy(t *testing.T) {
	b, _, _ := testBackends(t)
	gone := Choice{File: filepath.Join(t.TempDir(), "deleted.toml")}

	ctrl, err := b.Start(gone, FromSaved)
	if err != nil {
		t.Fatalf("start: %v; a broken saved choice must not stop the app", err)
	}
	if p := ctrl.Profile(); p.Name != "demo" || !strings.HasPrefix(p.BaseURL, "http://127.0.0.1:") {
		t.Errorf("started with %q at %q, want the embedded demo", p.Name, p.BaseURL)
	}
	if got := b.Current(); got != (Choice{Preset: "demo"}) {
		t.Errorf("Current %+v, want the demo preset", got)
	}
	rej, why := b.Rejected()
	if rej != gone || why == nil || !strings.Contains(why.Error(), "deleted.toml") {
		t.Errorf("Rejected = %+v, %v; want the saved choice and the reason", rej, why)
	}
}

func TestBackends_ChoiceFromTheCommandLineThatDoesNotLoadIsAnError(t *testing.T) {
	b, _, _ := testBackends(t)
	_, err := b.Start(Choice{Preset: "no-such"}, FromFlags)
	var bad *BadChoiceError
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), `no preset "no-such"`) {
		t.Errorf("err %v, want a bad-choice error naming the preset", err)
	}
}

func TestBackends_SwitchingKeepsEachBackendsSessionToItself(t *testing.T) {
	b, kc, prefs := testBackends(t)
	ctrl, err := b.Start(Choice{Preset: "demo"}, FromDefault)
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, ctrl, "the demo to restore", restored)
	embeddedURL := ctrl.Profile().BaseURL
	if err := ctrl.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatalf("SignIn: %v", err)
	}

	// Another demo-style server: the same profile, another account.
	_, otherURL := demotest.Start(t, demo.Config{DataPath: filepath.Join(t.TempDir(), "other.db")})
	s, err := b.Switch(Choice{Preset: "demo", BaseURL: otherURL + "/"})
	if err != nil {
		t.Fatalf("Switch: %v", err)
	}
	waitState(t, s, "the other server's session to restore", restored)
	if st := s.Snapshot(); st.State != session.SignedOut || st.Username != "" {
		t.Errorf("other server: %v as %q, want signed out with nothing of the embedded demo's", st.State, st.Username)
	}
	if reachable(embeddedURL) {
		t.Error("the embedded demo still runs after switching away from it")
	}
	if got := LoadChoice(prefs); got != (Choice{Preset: "demo", BaseURL: otherURL}) {
		t.Errorf("saved choice %+v, want the demo preset at %s", got, otherURL)
	}
	if _, ok := kc.Snapshot()["demo/tokens"]; !ok {
		t.Error("the embedded demo's saved session was lost by switching away")
	}

	// Back to the embedded demo: it starts again and the session is
	// restored without signing in.
	s, err = b.Switch(Choice{Preset: "demo"})
	if err != nil {
		t.Fatalf("Switch back: %v", err)
	}
	waitState(t, s, "the embedded demo's session to restore", restored)
	if st := s.Snapshot(); !st.State.HasSession() {
		t.Errorf("back on the embedded demo: %v, want the saved session restored", st.State)
	}
	if got := LoadChoice(prefs); got != (Choice{Preset: "demo"}) {
		t.Errorf("saved choice %+v, want the demo preset alone", got)
	}
}

func TestBackends_AFailedSwitchKeepsTheBackendInUse(t *testing.T) {
	b, _, prefs := testBackends(t)
	ctrl, err := b.Start(Choice{Preset: "demo"}, FromDefault)
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, ctrl, "the demo to restore", restored)
	broken := filepath.Join(t.TempDir(), "broken.toml")
	if err := os.WriteFile(broken, []byte("name = \"x\"\nbase_url = \"ftp://x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = b.Switch(Choice{File: broken})
	var ve *profile.ValidationError
	if !errors.As(err, &ve) || len(ve.Lines()) < 2 {
		t.Fatalf("err %v, want the validation error with every problem", err)
	}
	if b.Current() != (Choice{Preset: "demo"}) || LoadChoice(prefs) != (Choice{}) {
		t.Errorf("after a failed switch: current %+v, saved %+v", b.Current(), LoadChoice(prefs))
	}
	if err := ctrl.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Errorf("the demo session no longer works after a failed switch: %v", err)
	}
}

func TestBackends_DescribeShowsTheEmbeddedDemoAtItsRunningAddress(t *testing.T) {
	b, _, _ := testBackends(t)
	ctrl, err := b.Start(Choice{Preset: "demo"}, FromDefault)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.Describe(Choice{Preset: "demo"})
	if err != nil || p.BaseURL != ctrl.Profile().BaseURL {
		t.Errorf("Describe(demo) = %q, %v; want the running demo at %s", p.BaseURL, err, ctrl.Profile().BaseURL)
	}
	p, err = b.Describe(Choice{Preset: "oauth2-password"})
	if err == nil || !strings.Contains(err.Error(), "base_url: required") {
		t.Errorf("Describe(oauth2-password) without an address: %v, want base_url required", err)
	}
	p, err = b.Describe(Choice{File: "../assets/profiles/camel-jwt.toml", BaseURL: "http://localhost:9000"})
	if err != nil || p.Name != "camel-jwt" || p.BaseURL != "http://localhost:9000" {
		t.Errorf("Describe(example at another address) = %q at %q, %v", p.Name, p.BaseURL, err)
	}
}

func TestStorageKey_IsTheProfileAndTheNormalisedAddressExceptForTheEmbeddedDemo(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		embedded  bool
		want      string
	}{
		{"demo", "http://127.0.0.1:49152", true, "demo"},
		{"demo", "http://127.0.0.1:8080", false, "demo@127.0.0.1:8080"},
		{"camel-jwt", "https://API.example.com", false, "camel-jwt@api.example.com:443"},
		{"camel-jwt", "https://api.example.com/", false, "camel-jwt@api.example.com:443"},
		{"camel-jwt", "https://api.example.com/v2", false, "camel-jwt@api.example.com:443/v2"},
		{"camel-jwt", "https://API.example.com:443//v2/./tenant-a/", false, "camel-jwt@api.example.com:443/v2/tenant-a"},
		{"local", "http://[::1]:9000", false, "local@[::1]:9000"},
	} {
		if got := storageKey(api.Profile{Name: tc.name, BaseURL: tc.url}, tc.embedded); got != tc.want {
			t.Errorf("storageKey(%s, %s, embedded=%v) = %q, want %q", tc.name, tc.url, tc.embedded, got, tc.want)
		}
	}
}

func TestBackends_TwoTenantsUnderOnePortKeepTwoSessions(t *testing.T) {
	// One server, two tenants under two paths, each its own demo backend
	// (own accounts' sessions, own tokens).
	mux := http.NewServeMux()
	for _, tenant := range []string{"/tenant-a", "/tenant-b"} {
		d := demotest.Open(t, demo.Config{})
		mux.Handle(tenant+"/", http.StripPrefix(tenant, d.Handler()))
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tenantA := Choice{Preset: "demo", BaseURL: srv.URL + "/tenant-a"}
	tenantB := Choice{Preset: "demo", BaseURL: srv.URL + "/tenant-b/"}

	keyA, keyB := keyOf(t, tenantA), keyOf(t, tenantB)
	if keyA == keyB {
		t.Fatalf("both tenants have the storage key %q", keyA)
	}

	b, _, _ := testBackends(t)
	signIn := func(c Choice, user, password string) {
		t.Helper()
		s, err := b.Switch(c)
		if err != nil {
			t.Fatalf("Switch(%s): %v", c.BaseURL, err)
		}
		waitState(t, s, c.BaseURL+" to restore", restored)
		if st := s.Snapshot(); st.State != session.SignedOut {
			t.Fatalf("%s before signing in: %v as %q; want signed out, nothing of the other tenant's", c.BaseURL, st.State, st.Username)
		}
		if err := s.SignIn(context.Background(), user, password); err != nil {
			t.Fatalf("SignIn(%s) at %s: %v", user, c.BaseURL, err)
		}
	}
	accounts := demo.Accounts()
	signIn(tenantA, accounts[1].Username, accounts[1].Password)
	signIn(tenantB, accounts[2].Username, accounts[2].Password)

	for _, tc := range []struct {
		c    Choice
		user string
	}{{tenantA, accounts[1].Username}, {tenantB, accounts[2].Username}} {
		s, err := b.Switch(tc.c)
		if err != nil {
			t.Fatal(err)
		}
		waitState(t, s, tc.c.BaseURL+" to restore", restored)
		if st := s.Snapshot(); !st.State.HasSession() || st.Username != tc.user {
			t.Errorf("%s restored %v as %q, want its own session as %q", tc.c.BaseURL, st.State, st.Username, tc.user)
		}
	}
}

// keyOf is the storage key the backend for c is saved under.
func keyOf(t *testing.T, c Choice) string {
	t.Helper()
	p, embedded, err := resolve(absChoice(c))
	if err != nil {
		t.Fatal(err)
	}
	return storageKey(p, embedded)
}

func TestBackends_NeverQuoteAPasswordInTheServerAddress(t *testing.T) {
	var logs bytes.Buffer // slog's handler serialises writes; read after Close
	kc, prefs := keychain.NewMemory(), session.NewMemoryPreferences()
	b := New(Config{Prefs: prefs, Keychain: kc, Service: "io.signet.test", Storage: demoStorage(t), TokenTTL: time.Minute,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	t.Cleanup(b.Close)

	for _, addr := range []string{
		"http://user:secret@127.0.0.1:9",
		"http://user:secret@127.0.0.1:9:x", // does not parse: profile validation would quote it
		"http://user:secret@[::1",
	} {
		_, err := b.Describe(Choice{Preset: "demo", BaseURL: addr})
		if err == nil || leaks(err.Error()) {
			t.Errorf("Describe(%s): %v; want an error that does not quote the credentials", addr, err)
		}
	}
	saved := Choice{Preset: "demo", BaseURL: "http://user:secret@127.0.0.1:9:x"}
	if _, err := b.Start(saved, FromSaved); err != nil {
		t.Fatal(err)
	}
	rej, why := b.Rejected()
	if why == nil || leaks(why.Error()) || leaks(rej.BaseURL) || rej.BaseURL != "http://127.0.0.1:9:x" {
		t.Errorf("Rejected = %+v, %v; want the saved choice without its credentials, and why", rej, why)
	}
	b.Close()
	if leaks(logs.String()) {
		t.Errorf("the log quotes the credentials:\n%s", logs.String())
	}
}

// leaks reports whether s shows the user name or password of the addresses
// above.
func leaks(s string) bool { return strings.Contains(s, "secret") || strings.Contains(s, "user:") }

func TestMain(m *testing.M) { demotest.Main(m) }
