package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"signet/api"
	"signet/profile"
)

// The version comes from FyneApp.toml, the file the packaging tool reads,
// and every API request carries it in its User-Agent.
func TestVersion_FromFyneAppTOMLInTheUserAgent(t *testing.T) {
	raw, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version\s*=\s*"([^"]+)"`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("FyneApp.toml has no Details.Version")
	}
	want := string(m[1])
	if got := appVersion(); got != want {
		t.Fatalf("appVersion() = %q, FyneApp.toml says %q", got, want)
	}

	seen := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case seen <- r.UserAgent():
		default:
		}
		http.Error(w, `{"message":"no"}`, http.StatusUnauthorized)
	}))
	defer srv.Close()
	stampVersion()
	preset, ok := profile.FindPreset(profile.DefaultPresetName)
	if !ok {
		t.Fatal("no default preset")
	}
	p, err := preset.Profile(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(api.Config{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.Login(t.Context(), "someone", "wrong")
	if ua := <-seen; ua != "Signet/"+want || strings.Contains(ua, "dev") {
		t.Fatalf("User-Agent %q, want %q", ua, "Signet/"+want)
	}
}
