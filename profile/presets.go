package profile

import (
	"fmt"

	"signet/api"
	"signet/assets/profiles"
)

// DefaultPresetName is the preset used when the person has chosen nothing.
const DefaultPresetName = "demo"

// A Preset is a backend contract shipped with the app. Its base URL is the
// person's (or, for demo, the embedded server's), so a Preset builds a
// Profile for a given base URL.
type Preset struct {
	Name        string // stable identifier, stored in preferences
	Title       string // for a picker
	Description string // one or two sentences for the picker
	// DefaultBaseURL is offered when the person gives none; empty means
	// they must give one (demo's comes from the embedded server).
	DefaultBaseURL string
	build          func(baseURL string) api.Profile
}

// Profile builds the preset's profile for baseURL, with defaults applied
// and validated.
func (p Preset) Profile(baseURL string) (api.Profile, error) {
	if p.build == nil {
		return api.Profile{}, fmt.Errorf("profile: preset %q has no builder", p.Name)
	}
	if baseURL == "" {
		baseURL = p.DefaultBaseURL
	}
	return Validate(p.build(baseURL))
}

// Presets lists the shipped presets, the default first.
func Presets() []Preset {
	return []Preset{
		{
			Name:        "demo",
			Title:       "Demo server",
			Description: "The backend built into Signet, for trying it out without an account anywhere.",
			build:       demoProfile,
		},
		{
			Name:  "oauth2-password",
			Title: "OAuth 2.0 password grant",
			Description: "An RFC 6749 token endpoint at /oauth/token: form-encoded grant_type=password sign-in " +
				"and grant_type=refresh_token renewal. For a client id, secret, scope or another path, " +
				"copy the oauth2-password example profile and edit it.",
			build: func(baseURL string) api.Profile { return OAuth2Password(baseURL, OAuth2Options{}) },
		},
		{
			Name:           "dummyjson",
			Title:          "DummyJSON",
			Description:    "The public DummyJSON test API (try emilys / emilyspass): products, with search.",
			DefaultBaseURL: "https://dummyjson.com",
			build:          fromFile("dummyjson.toml"),
		},
		{
			Name:        "directus",
			Title:       "Directus",
			Description: "A Directus instance: email and password sign-in, rotating refresh, the Users collection.",
			build:       fromFile("directus.toml"),
		},
		{
			Name:  "strapi",
			Title: "Strapi",
			Description: "A Strapi 5 instance with Users & Permissions: sign-in at /api/auth/local, an \"articles\" " +
				"collection type. For other collections, copy the strapi example profile.",
			build: fromFile("strapi.toml"),
		},
		{
			Name:        "pocketbase",
			Title:       "PocketBase",
			Description: "A PocketBase instance: the users auth collection, renewal with the current token.",
			build:       fromFile("pocketbase.toml"),
		},
		{
			Name:  "keycloak",
			Title: "Keycloak (master realm)",
			Description: "A Keycloak server's direct access grant in the master realm with the admin-cli client; " +
				"lists the realm's users. For another realm or client, copy the keycloak example profile.",
			build: fromFile("keycloak.toml"),
		},
	}
}

// DemoClientID is the public client the embedded demo knows Signet by
// (demo.DemoClientID; a test keeps the two equal).
const DemoClientID = "signet-desktop"

// demoProfile is the demo's contract with its OpenID provider as the main
// way in: "Continue in browser" first, the password form as well, and
// "Sign in on another device". Renewal and sign-out keep the demo's own
// calls, which serve browser sessions too.
func demoProfile(baseURL string) api.Profile {
	p := api.DemoProfile(baseURL)
	p.OAuth = &api.OAuthSpec{Issuer: baseURL, ClientID: DemoClientID, Device: true}
	return p
}

// fromFile builds a preset from a ready profile shipped in assets/profiles.
// The files are tested to load; should one not, the empty profile it
// returns fails validation with every problem named.
func fromFile(name string) func(baseURL string) api.Profile {
	return func(baseURL string) api.Profile {
		p, err := LoadFS(profiles.FS, name)
		if err != nil {
			return api.Profile{Name: name}
		}
		p.BaseURL = baseURL
		return p
	}
}

// FindPreset returns the preset called name.
func FindPreset(name string) (Preset, bool) {
	for _, p := range Presets() {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}
