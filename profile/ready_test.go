package profile_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/api"
	"signet/assets/profiles"
	"signet/profile"
)

// readyCase is a ready profile and a fake of its product.
type readyCase struct {
	file    string
	servers func(*backend) map[string]http.Handler // by origin name; "" is base_url
	// fill replaces the file's placeholders (API keys, ids) before parsing.
	fill map[string]string

	wrongPassword string // what a person reads after a wrong password
	wantUser      api.User
	wantExpiry    func(b *backend, now time.Time) time.Time

	list, firstTitle   string
	search, searchHit  string // a search term and the first title it finds
	refresh, hasLogout bool
}

func one(f func(*backend) http.Handler) func(*backend) map[string]http.Handler {
	return func(b *backend) map[string]http.Handler { return map[string]http.Handler{"": f(b)} }
}

var readyCases = []readyCase{
	{
		file: "dummyjson.toml", servers: one(dummyJSONServer),
		wrongPassword: "Invalid credentials",
		wantUser:      api.User{ID: "1", Name: "Emily", Email: "emily.johnson@x.dummyjson.com"},
		wantExpiry:    func(b *backend, _ time.Time) time.Time { return b.lastExp },
		list:          "Products", firstTitle: "Item 1", search: "item 7", searchHit: "Item 7", refresh: true,
	},
	{
		file: "directus.toml", servers: one(directusServer),
		wrongPassword: "Wrong email or password.",
		wantUser:      api.User{ID: "0b4e", Name: "Ada", Email: testUser},
		wantExpiry:    func(_ *backend, now time.Time) time.Time { return now.Add(900 * time.Second) },
		list:          "Users", firstTitle: "Item 1", refresh: true, hasLogout: true,
	},
	{
		file: "strapi.toml", servers: one(strapiServer),
		wrongPassword: "Invalid identifier or password",
		wantUser:      api.User{ID: "1", Name: "ada", Email: testUser},
		wantExpiry:    func(b *backend, _ time.Time) time.Time { return b.lastExp },
		list:          "Articles", firstTitle: "Item 1",
	},
	{
		file: "pocketbase.toml", servers: one(pocketBaseServer),
		wrongPassword: "Failed to authenticate.",
		wantUser:      api.User{ID: "r4nd0m1d", Name: "Ada", Email: testUser},
		wantExpiry:    func(b *backend, _ time.Time) time.Time { return b.lastExp },
		list:          "Users", firstTitle: "Item 1", refresh: true,
	},
	{
		file: "keycloak.toml", servers: one(keycloakServer),
		wrongPassword: "Invalid user credentials",
		wantUser:      api.User{ID: "f3a1", Name: "ada", Email: testUser},
		wantExpiry:    func(_ *backend, now time.Time) time.Time { return now.Add(60 * time.Second) },
		list:          "Users", firstTitle: "Item 1", refresh: true, hasLogout: true,
	},
	{
		file: "supabase.toml", servers: one(supabaseServer), fill: map[string]string{"YOUR_API_KEY": fakeAPIKey},
		wrongPassword: "Wrong email or password.",
		wantUser:      api.User{ID: "8f3c", Email: testUser},
		wantExpiry:    func(_ *backend, now time.Time) time.Time { return now.Add(time.Hour) },
		list:          "Todos", firstTitle: "Item 1", refresh: true, hasLogout: true,
	},
	{
		file: "firebase.toml", servers: firebaseServers,
		fill:          map[string]string{"YOUR_API_KEY": fakeAPIKey, "YOUR_PROJECT_ID": "demo-project"},
		wrongPassword: "Wrong password.",
		wantUser:      api.User{ID: "uid123", Email: testUser},
		wantExpiry:    func(_ *backend, now time.Time) time.Time { return now.Add(time.Hour) },
		list:          "Notes", firstTitle: "Item 1", refresh: true,
	},
	{
		file: "cognito.toml", servers: cognitoServers, fill: map[string]string{"YOUR_APP_CLIENT_ID": fakeAPIKey},
		wrongPassword: "Incorrect username or password.",
		wantExpiry:    func(_ *backend, now time.Time) time.Time { return now.Add(time.Hour) },
		list:          "Items", firstTitle: "Item 1", refresh: true, hasLogout: true,
	},
}

// startReady serves tc's fakes on 127.0.0.1, one server per origin, and
// returns a client made from the ready profile pointed at them.
func startReady(t *testing.T, tc readyCase) (*api.Client, *backend, time.Time) {
	t.Helper()
	p, b, now := readyProfile(t, tc)
	c, err := api.New(api.Config{Profile: p, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return c, b, now
}

// readyProfile serves tc's fakes and returns the ready profile pointed at
// them.
func readyProfile(t *testing.T, tc readyCase) (api.Profile, *backend, time.Time) {
	t.Helper()
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	b := newBackend()
	b.now = func() time.Time { return now }
	data, err := profiles.FS.ReadFile(tc.file)
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	for k, v := range tc.fill {
		src = strings.ReplaceAll(src, k, v)
	}
	p, err := profile.Parse(tc.file, []byte(src))
	if err != nil {
		t.Fatalf("parse %s: %v", tc.file, err)
	}
	for name, h := range tc.servers(b) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", now.Format(http.TimeFormat))
			h.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		if name == "" {
			p.BaseURL = srv.URL
		} else {
			p.Origins[name] = srv.URL
		}
	}
	if p, err = profile.Validate(p); err != nil {
		t.Fatalf("validate: %v", err)
	}
	return p, b, now
}

// watching adds the bearer and records whether the last answer meant "the
// token is dead", as the session's transport decides it.
type watching struct {
	c       *api.Client
	mu      sync.Mutex
	token   string
	expired bool
}

func (w *watching) RoundTrip(r *http.Request) (*http.Response, error) {
	w.mu.Lock()
	tok := w.token
	w.mu.Unlock()
	if !w.c.IsBearerOrigin(r.URL) {
		panic("the bearer would go to " + api.Origin(r.URL))
	}
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		exp := w.c.IsExpired(resp)
		w.mu.Lock()
		w.expired = exp
		w.mu.Unlock()
	}
	return resp, err
}

func (w *watching) set(tok string) { w.mu.Lock(); w.token = tok; w.mu.Unlock() }

func (w *watching) sawExpired() bool { w.mu.Lock(); defer w.mu.Unlock(); return w.expired }

// Each ready profile drives its product's documented wire format through
// a whole session: a refused sign-in in people's words, sign-in with the
// mapped expiry and user, the first page (and a search), a refresh and the
// list again with the new token, sign-out, and a dead token recognised as
// such. The bearer goes to the profile's bearer origins only.
func TestReadyProfiles_AgainstFakesOfTheirProducts(t *testing.T) {
	for _, tc := range readyCases {
		t.Run(tc.file, func(t *testing.T) {
			ctx := context.Background()
			c, b, now := startReady(t, tc)
			w := &watching{c: c}
			hc := &http.Client{Transport: w}

			_, err := c.Login(ctx, testUser, "wrong password")
			if api.KindOf(err) != api.KindBadCredentials || err.Error() != tc.wrongPassword {
				t.Fatalf("wrong password: %v (kind %v), want %q", err, api.KindOf(err), tc.wrongPassword)
			}
			res, err := c.Login(ctx, testUser, testPassword)
			if err != nil {
				t.Fatalf("sign in: %v", err)
			}
			w.set(res.Tokens.AccessToken)
			if want := tc.wantExpiry(b, now); !res.Tokens.Expiry.Equal(want) {
				t.Errorf("expiry %v, want %v", res.Tokens.Expiry, want)
			}
			if user := signedInUser(t, c, hc, res); user != tc.wantUser {
				t.Errorf("user %+v, want %+v", user, tc.wantUser)
			}
			listOnce := func(when string) {
				t.Helper()
				page, err := c.FetchList(ctx, hc, tc.list, 0, 0, "")
				if err != nil || len(page.Items) == 0 || page.Items[0].Title != tc.firstTitle {
					t.Fatalf("%s: list %v %+v", when, err, page)
				}
			}
			listOnce("after sign-in")
			if tc.search != "" {
				page, err := c.FetchList(ctx, hc, tc.list, 0, 0, tc.search)
				if err != nil || len(page.Items) != 1 || page.Items[0].Title != tc.searchHit {
					t.Fatalf("search %q: %v %+v", tc.search, err, page)
				}
			}
			if c.HasRefresh() != tc.refresh {
				t.Fatalf("HasRefresh = %v", c.HasRefresh())
			}
			tokens := res.Tokens
			if tc.refresh {
				fresh, err := c.RenewTokens(ctx, tokens)
				if err != nil {
					t.Fatalf("refresh: %v", err)
				}
				if fresh.AccessToken == tokens.AccessToken {
					t.Error("the refresh gave the same access token")
				}
				tokens = fresh
				w.set(tokens.AccessToken)
				listOnce("after refresh")
			}
			if err := c.Logout(ctx, tokens); err != nil {
				t.Fatalf("logout: %v", err)
			}
			if _, _, logouts := b.counts(); (logouts == 1) != tc.hasLogout {
				t.Errorf("server saw %d logouts, want a logout call %v", logouts, tc.hasLogout)
			}
			b.expireAccess()
			if _, err := c.FetchList(ctx, hc, tc.list, 0, 0, ""); err == nil || !w.sawExpired() {
				t.Fatalf("a dead token: err %v, recognised as dead %v", err, w.sawExpired())
			}
		})
	}
}
