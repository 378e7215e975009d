package backend

import (
	"testing"

	"signet/session"
)

func TestChoose_CommandLineThenEnvironmentThenSavedThenDemo(t *testing.T) {
	saved := Choice{File: "/saved/acme.toml"}
	for _, tc := range []struct {
		name    string
		cmdline Choice
		baseURL string
		env     string
		saved   Choice
		want    Choice
		src     Source
	}{
		{"nothing chosen", Choice{}, "", "", Choice{}, Choice{Preset: "demo"}, FromDefault},
		{"saved", Choice{}, "", "", saved, saved, FromSaved},
		{"env beats saved", Choice{}, "", "env.toml", saved, Choice{File: "env.toml"}, FromEnv},
		{"--profile beats env", Choice{File: "flag.toml"}, "", "env.toml", saved, Choice{File: "flag.toml"}, FromFlags},
		{"--preset beats env", Choice{Preset: "oauth2-password"}, "", "env.toml", saved, Choice{Preset: "oauth2-password"}, FromFlags},
		{"--server is the demo elsewhere", Choice{Preset: "demo", BaseURL: "http://127.0.0.1:8080"}, "", "env.toml", saved,
			Choice{Preset: "demo", BaseURL: "http://127.0.0.1:8080"}, FromFlags},
		{"--base-url overrides the env's file", Choice{}, "http://127.0.0.1:9", "env.toml", saved,
			Choice{File: "env.toml", BaseURL: "http://127.0.0.1:9"}, FromEnv},
		{"--base-url overrides the saved choice's", Choice{}, "http://127.0.0.1:9", "",
			Choice{Preset: "oauth2-password", BaseURL: "https://old.example.com"},
			Choice{Preset: "oauth2-password", BaseURL: "http://127.0.0.1:9"}, FromSaved},
		{"--base-url alone points the demo elsewhere", Choice{}, "http://127.0.0.1:9", "", Choice{},
			Choice{Preset: "demo", BaseURL: "http://127.0.0.1:9"}, FromDefault},
	} {
		got, src := Choose(tc.cmdline, tc.baseURL, tc.env, tc.saved)
		if got != tc.want || src != tc.src {
			t.Errorf("%s: %+v from %v, want %+v from %v", tc.name, got, src, tc.want, tc.src)
		}
	}
}

func TestSavedChoice_RoundTripsThroughPreferences(t *testing.T) {
	p := session.NewMemoryPreferences()
	c := Choice{File: "/home/ada/acme.toml", BaseURL: "https://staging.acme.example"}
	saveChoice(p, c)
	if got := LoadChoice(p); got != c {
		t.Errorf("loaded %+v, want %+v", got, c)
	}
	saveChoice(p, Choice{Preset: "demo"})
	if got := LoadChoice(p); got != (Choice{Preset: "demo"}) {
		t.Errorf("after saving the demo: %+v; the old file must not linger", got)
	}
}
