package profile_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"signet/profile"
)

func readyCaseFor(t *testing.T, file string) readyCase {
	t.Helper()
	for _, tc := range readyCases {
		if tc.file == file {
			return tc
		}
	}
	t.Fatalf("no ready case %s", file)
	return readyCase{}
}

func try(t *testing.T, file string, edit func(*readyCase, *string)) (string, error, *backend) {
	t.Helper()
	tc := readyCaseFor(t, file)
	password := testPassword
	if edit != nil {
		edit(&tc, &password)
	}
	p, b, now := readyProfile(t, tc)
	var out strings.Builder
	err := profile.TryWith(context.Background(), p, testUser, password, &out, profile.TryOptions{Now: func() time.Time { return now }})
	return out.String(), err, b
}

// The whole cycle against a fake, transcribed: every step, what was
// mapped, and no secret in full.
func TestTry_TranscribesTheWholeCycle(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"dummyjson.toml", []string{
			`1. Sign in as ada@example.com`, `POST http://127.0.0.1:`, `/auth/login → ok`,
			`access token: eyJh`, `expiry: 2030-01-02T03:19:05Z, in 15m0s, from the access token's JWT exp claim`,
			`user: id "1", name "Emily", email "emily.johnson@x.dummyjson.com"`,
			`2. Current user`, `3. List "Products", the first page`, `/auth/products?limit=30&skip=0 → 7 items, 7 in all`, `first: "Item 1"`,
			`4. Refresh`, `/auth/refresh → ok`, `5. List "Products", again with the new token`, `6. Sign out`, `no [logout]`,
		}},
		{"firebase.toml", []string{
			`origin "firestore": http://127.0.0.1:`, `origin "securetoken": http://127.0.0.1:`, `the bearer token goes to http://127.0.0.1:`,
			`/v1/accounts:signInWithPassword?key=test…23 (16 chars) → ok`,
			`expiry: 2030-01-02T04:04:05Z, in 1h0m0s, from "expiresIn" (seconds from now)`,
			`user: id "uid123", email "ada@example.com"`, `refresh token: `, `the refresh token was kept (not rotated)`,
			`List "Notes", the first page`, `→ 7 items, 7 in all`,
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			out, err, _ := try(t, tc.file, nil)
			if err != nil {
				t.Fatalf("Try: %v\n%s", err, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("transcript lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, testPassword) || strings.Contains(out, fakeAPIKey) {
				t.Errorf("a secret in the transcript:\n%s", out)
			}
			for _, line := range strings.Split(out, "\n") {
				for _, f := range strings.Fields(line) {
					if len(f) > 40 && !strings.Contains(f, "://") {
						t.Errorf("a long token-like word %q in %q", f, line)
					}
				}
			}
		})
	}
}

// A failing step is named with the profile key most likely wrong, and a
// signed-in try still signs out.
func TestTry_NamesTheFailingStepAndTheLikelyKey(t *testing.T) {
	for _, tc := range []struct {
		name, file   string
		edit         func(*readyCase, *string)
		step, key    string
		wantSignOut  bool
		wantInOutput string
	}{
		{"wrong password", "keycloak.toml", func(_ *readyCase, pw *string) { *pw = "nope" },
			"Sign in as ada@example.com", "the username and password", false, "FAILED: Invalid user credentials"},
		{"wrong token path", "directus.toml", func(tc *readyCase, _ *string) {
			tc.fill = map[string]string{`access_token = "data.access_token"`: `access_token = "data.token"`}
		}, "Sign in as ada@example.com", "login.tokens.access_token", false, `there is no access token at "data.token"`},
		{"wrong items path", "directus.toml", func(tc *readyCase, _ *string) {
			tc.fill = map[string]string{`items_path = "data"`: `items_path = "rows"`}
		}, `List "Users", the first page`, "lists[0].items_path", true, "Sign out"},
		{"wrong list path", "strapi.toml", func(tc *readyCase, _ *string) {
			tc.fill = map[string]string{`path = "/api/articles"`: `path = "/api/article"`}
		}, `List "Articles", the first page`, "lists[0].path", false, "Articles: the server has no such list (404)"},
		{"wrong paging names", "strapi.toml", func(tc *readyCase, _ *string) {
			tc.fill = map[string]string{`page_param = "pagination[page]"`: `page_param = "page"`}
		}, `List "Articles", the first page`, "lists[0].paging", false, ""},
		{"wrong refresh field", "keycloak.toml", func(tc *readyCase, _ *string) {
			tc.fill = map[string]string{`grant_type = "refresh_token", client_id = "admin-cli", refresh_token =`: `grant_type = "refresh_token", client_id = "admin-cli", token =`}
		}, "Refresh", "refresh.body", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err, b := try(t, tc.file, tc.edit)
			var te *profile.TryError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a *TryError\n%s", err, out)
			}
			if te.Step != tc.step || !strings.HasPrefix(te.Key, tc.key) {
				t.Errorf("step %q key %q, want %q and %q…\n%s", te.Step, te.Key, tc.step, tc.key, out)
			}
			if !strings.Contains(out, "Most likely wrong: "+tc.key) || !strings.Contains(out, tc.wantInOutput) {
				t.Errorf("transcript:\n%s", out)
			}
			if _, _, logouts := b.counts(); tc.wantSignOut && logouts != 1 {
				t.Errorf("signed in but not out (%d logouts)\n%s", logouts, out)
			}
		})
	}
}
