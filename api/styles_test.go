package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The backend styles of design.md "The backend contract, in general", each
// served by a profile alone.

func TestOAuth2PasswordGrant_FormEncodedWithGrantTypeInQuery(t *testing.T) {
	var got []url.Values
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("content type %q", ct)
		}
		_ = r.ParseForm() // merges the query's grant_type with the form body
		got = append(got, r.Form)
		switch {
		case r.Form.Get("grant_type") == "password" && r.Form.Get("password") == "p&ss=wörd":
			writeJSON(w, 200, map[string]any{"access_token": "at-1", "refresh_token": "rt-1", "token_type": "bearer", "expires_in": "3600"})
		case r.Form.Get("grant_type") == "refresh_token" && r.Form.Get("refresh_token") == "rt-1":
			writeJSON(w, 200, map[string]any{"access_token": "at-2", "token_type": "bearer", "expires_in": 60})
		default:
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "Invalid user credentials"})
		}
	})
	srv := serve(t, mux)
	p := Profile{
		Name: "oauth", BaseURL: srv.URL,
		Login: LoginSpec{
			RequestSpec: RequestSpec{Path: "/oauth/token?grant_type=password", Encoding: "form",
				Body: map[string]any{"username": "{username}", "password": "{password}", "client_id": "signet"}},
			Tokens: TokenPaths{AccessToken: "access_token", RefreshToken: "refresh_token", TokenType: "token_type",
				Expiry: []ExpirySpec{{Path: "expires_in", Unit: "seconds"}}},
		},
		Refresh: &RefreshSpec{RequestSpec: RequestSpec{Path: "/oauth/token?grant_type=refresh_token", Encoding: "form",
			Body: map[string]any{"refresh_token": "{refresh_token}", "client_id": "signet"}}},
		Lists: thingsList(),
	}
	c := newTestClient(t, p)
	ctx := context.Background()

	res, err := c.Login(ctx, "ann", "p&ss=wörd")
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if res.Tokens.AccessToken != "at-1" || res.Tokens.TokenType != "bearer" || !res.Tokens.Expiry.Equal(testNow.Add(time.Hour)) {
		t.Errorf("tokens: %q %q %v", res.Tokens.AccessToken, res.Tokens.TokenType, res.Tokens.Expiry)
	}
	if got[0].Get("client_id") != "signet" || got[0].Get("username") != "ann" {
		t.Errorf("form = %v", got[0])
	}

	tok, err := c.Refresh(ctx, "rt-1")
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if tok.AccessToken != "at-2" || tok.RefreshToken != "rt-1" {
		t.Errorf("refresh without a new refresh token must keep the old one; got %q", tok.RefreshToken)
	}

	_, err = c.Login(ctx, "ann", "wrong")
	if e := wantKind(t, err, KindBadCredentials); e.Error() != "Invalid user credentials" {
		t.Errorf("text %q: error_description wanted over the error code", e.Error())
	}
	_, err = c.Refresh(ctx, "rt-revoked")
	wantKind(t, err, KindRefreshRefused)
}

func TestCamelCaseJWT_ExpiryFromExpClaimAndRefreshNotRotated(t *testing.T) {
	exp := testNow.Add(15 * time.Minute).Truncate(time.Second)
	access := makeJWT(t, jwt.MapClaims{"sub": "42", "exp": exp.Unix()})
	rec := &recorder{body: fmt.Sprintf(`{"accessToken":%q,"refreshToken":"r-xyz","user":{"id":42,"displayName":"Bo"}}`, access)}
	srv := serve(t, rec)
	p := Profile{
		Name: "camel", BaseURL: srv.URL,
		Login: LoginSpec{
			RequestSpec: RequestSpec{Path: "/api/auth/login", Body: map[string]any{"email": "{username}", "password": "{password}"}},
			Tokens:      TokenPaths{AccessToken: "accessToken", RefreshToken: "refreshToken"},
			User:        UserPaths{ID: "user.id", Name: "user.displayName"},
		},
		Refresh: &RefreshSpec{RequestSpec: RequestSpec{Path: "/api/auth/refresh", BearerRefreshToken: true}},
		Lists:   thingsList(),
	}
	c := newTestClient(t, p)
	res, err := c.Login(context.Background(), "bo@example.test", "pw")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Tokens.Expiry.Equal(exp) {
		t.Errorf("expiry = %v, want the JWT exp %v", res.Tokens.Expiry, exp)
	}
	if res.Tokens.TokenType != "Bearer" || res.User.ID != "42" || res.User.Name != "Bo" {
		t.Errorf("type %q user %+v", res.Tokens.TokenType, res.User)
	}

	rec.mu.Lock()
	rec.body = fmt.Sprintf(`{"accessToken":%q}`, access)
	rec.mu.Unlock()
	tok, err := c.Refresh(context.Background(), "r-xyz")
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != "r-xyz" {
		t.Errorf("unrotated refresh token lost")
	}
	last := rec.lastRequest()
	if last.Header.Get("Authorization") != "Bearer r-xyz" || last.Body != "" || last.Method != "POST" {
		t.Errorf("bearer refresh sent auth %q body %q method %s", last.Header.Get("Authorization"), last.Body, last.Method)
	}
}

func TestDataWrapped_MillisecondExpiryAndRotation(t *testing.T) {
	rec := &recorder{body: `{"success":true,"data":{"token":"a1","refreshToken":"r1","expiresIn":90000,"user":{"id":"7","email":"x@y.test"}}}`}
	srv := serve(t, rec)
	p := Profile{
		Name: "wrapped", BaseURL: srv.URL,
		Login: LoginSpec{
			RequestSpec: RequestSpec{Path: "/v1/session", Body: map[string]any{"login": "{username}", "secret": "{password}"}},
			Tokens: TokenPaths{AccessToken: "data.token", RefreshToken: "data.refreshToken",
				Expiry: []ExpirySpec{{Path: "data.expiresIn", Unit: "milliseconds"}}},
			User: UserPaths{ID: "data.user.id", Email: "data.user.email"},
		},
		Refresh: &RefreshSpec{RequestSpec: RequestSpec{Path: "/v1/session/refresh", Body: map[string]any{"refreshToken": "{refresh_token}"}}},
		Lists:   thingsList(),
	}
	c := newTestClient(t, p)
	res, err := c.Login(context.Background(), "u", "p")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Tokens.Expiry.Equal(testNow.Add(90*time.Second)) || res.User.Email != "x@y.test" {
		t.Errorf("expiry %v user %+v", res.Tokens.Expiry, res.User)
	}
	rec.mu.Lock()
	rec.body = `{"data":{"token":"a2","refreshToken":"r2","expiresIn":"1000"}}`
	rec.mu.Unlock()
	tok, err := c.Refresh(context.Background(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "a2" || tok.RefreshToken != "r2" || !tok.Expiry.Equal(testNow.Add(time.Second)) {
		t.Errorf("rotation not mapped: %q %q %v", tok.AccessToken, tok.RefreshToken, tok.Expiry)
	}
	if body := rec.lastRequest().Body; body != `{"refreshToken":"r1"}`+"\n" {
		t.Errorf("refresh body %q", body)
	}
}

func TestAccessTokenOnly_NoRefreshCall(t *testing.T) {
	srv := serve(t, &recorder{body: `{"token":"opaque-token"}`})
	p := Profile{Name: "only", BaseURL: srv.URL, Login: LoginSpec{
		RequestSpec: RequestSpec{Path: "/login", Body: credentials()}, Tokens: TokenPaths{AccessToken: "token", RefreshToken: "refresh"}},
		Lists: thingsList()}
	c := newTestClient(t, p)
	res, err := c.Login(context.Background(), "u", "p")
	if err != nil {
		t.Fatal(err)
	}
	if res.Tokens.RefreshToken != "" || !res.Tokens.Expiry.IsZero() {
		t.Errorf("want no refresh token and unknown expiry, got %q %v", res.Tokens.RefreshToken, res.Tokens.Expiry)
	}
	if c.HasRefresh() {
		t.Error("HasRefresh = true without a refresh call")
	}
	_, err = c.Refresh(context.Background(), "anything")
	if e := wantKind(t, err, KindRefreshRefused); e.Err != ErrNoRefresh {
		t.Errorf("cause = %v", e.Err)
	}
	if err := c.Logout(context.Background(), res.Tokens); err != nil {
		t.Errorf("Logout without a logout call = %v", err)
	}
}

func TestExpiresInAndExpiresAt_FirstPresentSpecWins(t *testing.T) {
	at := testNow.Add(2 * time.Hour).Format(time.RFC3339)
	tests := []struct {
		name, body string
		want       time.Time
	}{
		{"both: expires_in first", fmt.Sprintf(`{"t":"x","expires_in":60,"expires_at":%q}`, at), testNow.Add(time.Minute)},
		{"only expires_at", fmt.Sprintf(`{"t":"x","expires_at":%q}`, at), testNow.Add(2 * time.Hour)},
		{"absurd expires_in falls back", fmt.Sprintf(`{"t":"x","expires_in":9e15,"expires_at":%q}`, at), testNow.Add(2 * time.Hour)},
		{"null expires_in falls back", fmt.Sprintf(`{"t":"x","expires_in":null,"expires_at":%q}`, at), testNow.Add(2 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, &recorder{body: tt.body})
			p := Profile{Name: "both", BaseURL: srv.URL, Login: LoginSpec{RequestSpec: RequestSpec{Path: "/l", Body: credentials()},
				Tokens: TokenPaths{AccessToken: "t", Expiry: []ExpirySpec{{Path: "expires_in"}, {Path: "expires_at", Unit: "rfc3339"}}}},
				Lists: thingsList()}
			res, err := newTestClient(t, p).Login(context.Background(), "u", "p")
			if err != nil {
				t.Fatal(err)
			}
			if !res.Tokens.Expiry.Equal(tt.want) {
				t.Errorf("expiry %v, want %v", res.Tokens.Expiry, tt.want)
			}
		})
	}
}

func TestBareArrayList_TotalFromHeader(t *testing.T) {
	rec := &recorder{body: `[{"id":1,"name":"One","email":"a@x"},{"id":2,"email":"b@x"}]`, header: map[string]string{"X-Total-Count": "57"}}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Lists = []ListSpec{{Name: "Users", Path: "/users", IDField: "id", TitleField: "name", SubtitleField: "email",
		Paging: Paging{Style: PagingUnderscore, PageSize: 2, TotalHeader: "X-Total-Count"}}}
	c := newTestClient(t, p)
	page, err := c.FetchList(context.Background(), bearerClient("t"), "Users", 4, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 57 || len(page.Items) != 2 {
		t.Fatalf("total %d items %d", page.Total, len(page.Items))
	}
	if it := page.Items[1]; it.ID != "2" || it.Title != "2" || it.Subtitle != "b@x" || string(it.Raw) != `{"id":2,"email":"b@x"}` {
		t.Errorf("item = %+v raw %s (a missing title falls back to the id)", it, it.Raw)
	}
	if q := rec.lastRequest().RawQuery; q != "_limit=2&_page=3" {
		t.Errorf("query %q", q)
	}
}

func TestNamedKeyList_SkipLimitWithSearch(t *testing.T) {
	rec := &recorder{body: `{"products":[{"id":31,"title":"Mascara","brand":"Essence"}],"total":194,"skip":30,"limit":10}`}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Lists = []ListSpec{{Name: "Products", Path: "/products/search?select=title,brand", ItemsPath: "products",
		IDField: "id", TitleField: "title", SubtitleField: "brand", SearchParam: "q",
		Paging: Paging{Style: PagingSkip, PageSize: 10, TotalPath: "total"}}}
	c := newTestClient(t, p)
	page, err := c.FetchList(context.Background(), bearerClient("t"), "Products", 30, 0, "mas cara&x")
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 194 || len(page.Items) != 1 || page.Items[0].Subtitle != "Essence" {
		t.Errorf("page = %+v", page)
	}
	last := rec.lastRequest()
	if last.Path != "/products/search" || last.RawQuery != "select=title,brand&limit=10&q=mas+cara%26x&skip=30" {
		t.Errorf("request %s?%s", last.Path, last.RawQuery)
	}
	if last.Header.Get("Authorization") != "Bearer t" || last.Header.Get("Accept") != "application/json" {
		t.Errorf("headers %v", last.Header)
	}
}

func TestPagingStyles_OffsetIsAnItemIndex(t *testing.T) {
	items := func(from, n int) string {
		var parts []string
		for i := from; i < from+n; i++ {
			parts = append(parts, fmt.Sprintf(`{"id":%d}`, i))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	tests := []struct {
		style         string
		offset, limit int
		body          string // what a server of that style answers
		wantQuery     string
		wantFirst     string
		wantLen       int
	}{
		{PagingOffset, 20, 10, items(20, 10), "limit=10&offset=20", "20", 10},
		{PagingSkip, 20, 10, items(20, 10), "limit=10&skip=20", "20", 10},
		{PagingPage, 20, 10, items(20, 10), "page=3&per_page=10", "20", 10},
		{PagingPage, 25, 10, items(20, 10), "page=3&per_page=10", "25", 5}, // rest of the page holding 25
		{PagingUnderscore, 0, 5, items(0, 5), "_limit=5&_page=1", "0", 5},
		{PagingNone, 3, 10, items(0, 8), "", "3", 5}, // whole list; from offset on
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.style, tt.offset), func(t *testing.T) {
			rec := &recorder{body: tt.body}
			srv := serve(t, rec)
			p := simpleProfile(srv.URL)
			p.Lists = []ListSpec{{Name: "L", Path: "/l", IDField: "id", TitleField: "id", Paging: Paging{Style: tt.style, PageSize: 50}}}
			page, err := newTestClient(t, p).FetchList(context.Background(), nil, "L", tt.offset, tt.limit, "")
			if err != nil {
				t.Fatal(err)
			}
			if q := rec.lastRequest().RawQuery; q != tt.wantQuery {
				t.Errorf("query %q, want %q", q, tt.wantQuery)
			}
			if len(page.Items) != tt.wantLen || page.Items[0].ID != tt.wantFirst {
				t.Errorf("got %d items from %q, want %d from %q", len(page.Items), page.Items[0].ID, tt.wantLen, tt.wantFirst)
			}
			wantTotal := -1
			if tt.style == PagingNone {
				wantTotal = 8
			}
			if page.Total != wantTotal {
				t.Errorf("total %d, want %d", page.Total, wantTotal)
			}
		})
	}
}

func TestMe_MapsUserWithAuthenticatedClient(t *testing.T) {
	rec := &recorder{body: `{"data":{"id":"u9","profile":{"name":"Cy","mail":"c@y.test"}}}`}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Me = &MeSpec{RequestSpec: RequestSpec{Path: "/me"}, User: UserPaths{ID: "data.id", Name: "data.profile.name", Email: "data.profile.mail"}}
	u, err := newTestClient(t, p).Me(context.Background(), bearerClient("tok"))
	if err != nil {
		t.Fatal(err)
	}
	if u != (User{ID: "u9", Name: "Cy", Email: "c@y.test"}) {
		t.Errorf("user %+v", u)
	}
	if last := rec.lastRequest(); last.Method != "GET" || last.Header.Get("Authorization") != "Bearer tok" {
		t.Errorf("me request %s auth %q", last.Method, last.Header.Get("Authorization"))
	}

	rec.mu.Lock()
	rec.status = 403
	rec.mu.Unlock()
	_, err = newTestClient(t, p).Me(context.Background(), bearerClient("tok"))
	wantKind(t, err, KindUnauthorized)
}
