package profile_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"signet/api"
	"signet/assets/profiles"
	"signet/profile"
)

// styleCase is one example profile and the fake server that behaves like
// the real-world style it describes.
type styleCase struct {
	file   string
	server func(*backend) http.Handler

	badPasswordWords string   // the server's words for a wrong password
	wantUser         api.User // from the sign-in answer or the Me call
	// wantExpiry is the expiry the client must derive; zero: unknown.
	wantExpiry func(b *backend, clientNow time.Time) time.Time

	list          string
	pageSize      int // the limit the test asks for
	firstTitle    string
	firstSubtitle string
	expiredStatus int

	refresh        bool   // the API has a refresh call
	rotates        bool   // a used refresh token dies
	refusedWords   string // the server's words for a dead refresh token
	secondListName string // another list to show, if any
}

var styleCases = []styleCase{
	{
		file: "camel-jwt.toml", server: camelJWTServer,
		badPasswordWords: "Invalid credentials",
		wantUser:         api.User{ID: "1", Name: "Ada"},
		wantExpiry:       func(b *backend, _ time.Time) time.Time { return b.lastExp },
		list:             "Products", pageSize: 3, firstTitle: "Item 1", firstSubtitle: "Sub 1",
		expiredStatus: 401, refresh: true, rotates: false, refusedWords: "Invalid refresh token",
	},
	{
		file: "data-wrapped.toml", server: dataWrappedServer,
		badPasswordWords: "Email or password is incorrect",
		wantUser:         api.User{ID: "u_1", Name: "Ada Lovelace", Email: testUser},
		wantExpiry:       func(_ *backend, now time.Time) time.Time { return now.Add(900 * time.Second) },
		list:             "Projects", pageSize: 3, firstTitle: "Item 1", firstSubtitle: "Sub 1",
		expiredStatus: 401, refresh: true, rotates: true, refusedWords: "Refresh token is invalid or was already used",
	},
	{
		file: "token-only.toml", server: tokenOnlyServer,
		badPasswordWords: "Bad username or password",
		wantUser:         api.User{ID: "7", Name: "Grace Hopper", Email: testUser},
		list:             "Notes", pageSize: 3, firstTitle: "Item 1",
		expiredStatus: 401, refresh: false,
	},
	{
		file: "expires-at-query.toml", server: expiresAtServer,
		badPasswordWords: "Invalid login credentials",
		wantUser:         api.User{ID: "8f3c", Name: "Ada", Email: testUser},
		wantExpiry:       func(b *backend, _ time.Time) time.Time { return expiresAtFor(b.now()) },
		list:             "Todos", pageSize: 3, firstTitle: "Item 1", firstSubtitle: "Sub 1",
		expiredStatus: 403, refresh: true, rotates: true, refusedWords: "Invalid Refresh Token: Already Used",
	},
	{
		file: "bare-array.toml", server: bareArrayServer,
		badPasswordWords: "Incorrect password",
		wantUser:         api.User{ID: "1", Email: testUser},
		wantExpiry: func(b *backend, _ time.Time) time.Time {
			return b.now().Add(time.Hour).UTC().Truncate(time.Second)
		},
		list: "Posts", pageSize: 3, firstTitle: "Item 1", firstSubtitle: "Sub 1",
		expiredStatus: 401, refresh: true, rotates: false, refusedWords: "jwt malformed",
		secondListName: "Comments",
	},
}

// bearer is the simplest authenticated client: it sends whatever token it
// holds. (The session's transport, with refresh on 401, is tested in
// package session; here each step is driven by hand.)
type bearer struct {
	mu    sync.Mutex
	token string
}

func (b *bearer) set(tok string) { b.mu.Lock(); b.token = tok; b.mu.Unlock() }

func (b *bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	b.mu.Lock()
	tok := b.token
	b.mu.Unlock()
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	return http.DefaultTransport.RoundTrip(r)
}

// startStyle serves tc's fake on 127.0.0.1 and returns a client made from
// the example profile pointed at it, with a frozen clock.
func startStyle(t *testing.T, tc styleCase) (*api.Client, *backend, time.Time) {
	t.Helper()
	// The server's clock is the client's: its expiries and Date headers
	// agree with the frozen client clock, so no skew is corrected for.
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	b := newBackend()
	b.now = func() time.Time { return now }
	h := tc.server(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", now.Format(http.TimeFormat))
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p, err := profile.LoadFS(profiles.FS, tc.file)
	if err != nil {
		t.Fatalf("load %s: %v", tc.file, err)
	}
	if p, err = profile.WithBaseURL(p, srv.URL); err != nil {
		t.Fatalf("WithBaseURL: %v", err)
	}
	c, err := api.New(api.Config{Profile: p, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	return c, b, now
}

func wantKind(t *testing.T, err error, kind api.Kind, words string) *api.Error {
	t.Helper()
	if got := api.KindOf(err); got != kind {
		t.Fatalf("err = %v (kind %v), want kind %v", err, got, kind)
	}
	e := err.(*api.Error)
	if words != "" && e.ServerMessage != words {
		t.Errorf("server message = %q, want the server's words %q", e.ServerMessage, words)
	}
	return e
}

func TestExampleProfiles_WorkAgainstTheirStyleOfServer(t *testing.T) {
	for _, tc := range styleCases {
		t.Run(tc.file, func(t *testing.T) {
			ctx := context.Background()
			c, b, now := startStyle(t, tc)
			hc := &http.Client{Transport: &bearer{}}
			auth := hc.Transport.(*bearer)

			// Sign in: a wrong password shows the server's own words.
			_, err := c.Login(ctx, testUser, "wrong password")
			wantKind(t, err, api.KindBadCredentials, tc.badPasswordWords)

			res, err := c.Login(ctx, testUser, testPassword)
			if err != nil {
				t.Fatalf("sign in: %v", err)
			}
			auth.set(res.Tokens.AccessToken)
			var want time.Time
			if tc.wantExpiry != nil {
				want = tc.wantExpiry(b, now)
			}
			if !res.Tokens.Expiry.Equal(want) {
				t.Errorf("expiry = %v, want %v", res.Tokens.Expiry, want)
			}
			if tc.refresh != (res.Tokens.RefreshToken != "") {
				t.Errorf("refresh token present = %v, want %v", res.Tokens.RefreshToken != "", tc.refresh)
			}
			if user := signedInUser(t, c, hc, res); user != tc.wantUser {
				t.Errorf("user = %+v, want %+v", user, tc.wantUser)
			}

			// The list: the first page, the next, and the short last one,
			// each with the server's total.
			for _, pg := range []struct{ offset, n, firstID int }{
				{0, tc.pageSize, 1}, {tc.pageSize, tc.pageSize, tc.pageSize + 1}, {2 * tc.pageSize, itemCount - 2*tc.pageSize, 2*tc.pageSize + 1},
			} {
				page, err := c.FetchList(ctx, hc, tc.list, pg.offset, tc.pageSize, "")
				if err != nil {
					t.Fatalf("list at %d: %v", pg.offset, err)
				}
				if len(page.Items) != pg.n || page.Total != itemCount {
					t.Fatalf("list at %d: %d items, total %d; want %d items, total %d", pg.offset, len(page.Items), page.Total, pg.n, itemCount)
				}
				if got := page.Items[0].ID; got != strconv.Itoa(pg.firstID) {
					t.Errorf("list at %d starts with id %q, want %d", pg.offset, got, pg.firstID)
				}
			}
			first, err := c.FetchList(ctx, hc, tc.list, 0, 0, "")
			if err != nil {
				t.Fatalf("list with the profile's page size: %v", err)
			}
			if it := first.Items[0]; it.Title != tc.firstTitle || it.Subtitle != tc.firstSubtitle || len(it.Raw) == 0 {
				t.Errorf("first item = %q / %q (raw %d bytes), want %q / %q", it.Title, it.Subtitle, len(it.Raw), tc.firstTitle, tc.firstSubtitle)
			}
			if tc.secondListName != "" {
				if p, err := c.FetchList(ctx, hc, tc.secondListName, 0, 0, ""); err != nil || p.Total != itemCount {
					t.Errorf("second list %q: total %d, err %v", tc.secondListName, p.Total, err)
				}
			}

			// The token dies on the server.
			b.expireAccess()
			_, err = c.FetchList(ctx, hc, tc.list, 0, 0, "")
			e := wantKind(t, err, api.KindUnauthorized, "")
			if e.Status != tc.expiredStatus || !c.IsExpiredStatus(e.Status) {
				t.Fatalf("dead token answered %d (expired status: %v), want %d counted as expired", e.Status, c.IsExpiredStatus(e.Status), tc.expiredStatus)
			}

			if !tc.refresh {
				// No refresh: the only way back is signing in again.
				if c.HasRefresh() {
					t.Fatal("HasRefresh = true for a profile without refresh")
				}
				_, err := c.Refresh(ctx, "anything")
				wantKind(t, err, api.KindRefreshRefused, "")
				again, err := c.Login(ctx, testUser, testPassword)
				if err != nil {
					t.Fatalf("sign in again: %v", err)
				}
				auth.set(again.Tokens.AccessToken)
				if _, err := c.FetchList(ctx, hc, tc.list, 0, 0, ""); err != nil {
					t.Fatalf("list after signing in again: %v", err)
				}
				return
			}

			renewed, err := c.Refresh(ctx, res.Tokens.RefreshToken)
			if err != nil {
				t.Fatalf("refresh: %v", err)
			}
			if renewed.AccessToken == "" || renewed.AccessToken == res.Tokens.AccessToken {
				t.Fatal("refresh gave no new access token")
			}
			if rotated := renewed.RefreshToken != res.Tokens.RefreshToken; rotated != tc.rotates {
				t.Errorf("refresh token rotated = %v, want %v", rotated, tc.rotates)
			}
			auth.set(renewed.AccessToken)
			if _, err := c.FetchList(ctx, hc, tc.list, 0, 0, ""); err != nil {
				t.Fatalf("list after refresh: %v", err)
			}

			// Spending the first refresh token again: a rotating server
			// has revoked it; a non-rotating one still takes it.
			_, err = c.Refresh(ctx, res.Tokens.RefreshToken)
			if tc.rotates {
				wantKind(t, err, api.KindRefreshRefused, tc.refusedWords)
			} else if err != nil {
				t.Errorf("non-rotating refresh token refused on second use: %v", err)
			}
			_, err = c.Refresh(ctx, "not-a-refresh-token")
			wantKind(t, err, api.KindRefreshRefused, tc.refusedWords)
		})
	}
}

// signedInUser is who the sign-in answer names, or, when the profile has a
// current-user call, who that call names.
func signedInUser(t *testing.T, c *api.Client, hc *http.Client, res api.LoginResult) api.User {
	t.Helper()
	if c.Profile().Me == nil {
		return res.User
	}
	u, err := c.Me(context.Background(), hc)
	if err != nil {
		t.Fatalf("me: %v", err)
	}
	return u
}
