package api

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A refresh in the access-token style sends the current access token as
// the bearer, needs no refresh token, and reads the new access token.
func TestRefresh_WithTheCurrentAccessToken(t *testing.T) {
	rec := &recorder{body: `{"token":"new","expiresIn":600}`}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Login.Tokens = TokenPaths{AccessToken: "token", Expiry: []ExpirySpec{{Path: "expiresIn"}}}
	p.Refresh = &RefreshSpec{Style: RefreshWithAccessToken, RequestSpec: RequestSpec{Path: "/auth/refresh"}}
	p.Logout = nil
	c := newTestClient(t, p)
	if !c.RefreshNeedsLiveToken() {
		t.Fatal("RefreshNeedsLiveToken = false")
	}
	got, err := c.RenewTokens(context.Background(), Tokens{AccessToken: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if l := rec.lastRequest(); l.Header.Get("Authorization") != "Bearer old" || l.Path != "/auth/refresh" {
		t.Errorf("sent %s with %q", l.Path, l.Header.Get("Authorization"))
	}
	if got.AccessToken != "new" || got.RefreshToken != "" || !got.Expiry.Equal(testNow.Add(600e9)) {
		t.Errorf("got %q %q %v", got.AccessToken, got.RefreshToken, got.Expiry)
	}
	// Refresh with only a refresh token has nothing to send in this style.
	_, err = c.Refresh(context.Background(), "r")
	wantKind(t, err, KindRefreshRefused)
	rec.status, rec.body = 401, `{"message":"jwt expired"}`
	_, err = c.RenewTokens(context.Background(), Tokens{AccessToken: "dead"})
	wantKind(t, err, KindRefreshRefused)
}

// Paging parameters take any names, brackets included, and the page size
// too (perPage).
func TestFetchList_PagingParametersByAnyName(t *testing.T) {
	for _, tc := range []struct {
		name   string
		paging Paging
		want   map[string]string
	}{
		{"strapi", Paging{Style: PagingPage, PageSize: 25, PageParam: "pagination[page]", SizeParam: "pagination[pageSize]"},
			map[string]string{"pagination[page]": "3", "pagination[pageSize]": "25"}},
		{"pocketbase", Paging{Style: PagingPage, PageSize: 25, SizeParam: "perPage"},
			map[string]string{"page": "3", "perPage": "25"}},
		{"offset renamed", Paging{Style: PagingOffset, PageSize: 25, OffsetParam: "start", SizeParam: "count"},
			map[string]string{"start": "50", "count": "25"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{body: `{"items":[]}`}
			srv := serve(t, rec)
			p := simpleProfile(srv.URL)
			p.Lists[0].Paging = tc.paging
			c := newTestClient(t, p)
			if _, err := c.FetchList(context.Background(), nil, "Things", 50, 0, ""); err != nil {
				t.Fatal(err)
			}
			q := parseQuery(t, rec.lastRequest().RawQuery)
			if len(q) != len(tc.want) {
				t.Errorf("query %v, want %v", q, tc.want)
			}
			for k, v := range tc.want {
				if q.Get(k) != v {
					t.Errorf("%s = %q, want %q (query %v)", k, q.Get(k), v, q)
				}
			}
		})
	}
}

// A search with a path of its own goes there with its own parameter and
// paging; without a term the list path is used.
func TestFetchList_SearchOnItsOwnPath(t *testing.T) {
	rec := &recorder{body: `{"products":[{"title":"phone"}],"total":1}`}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Lists[0] = ListSpec{
		Name: "Products", Path: "/products", ItemsPath: "products", TitleField: "title",
		Paging: Paging{Style: PagingSkip, PageSize: 30, TotalPath: "total"},
		Search: &SearchSpec{Path: "/products/search", Paging: &Paging{Style: PagingPage, PageSize: 10, SizeParam: "size"}},
	}
	c := newTestClient(t, p)
	page, err := c.FetchList(context.Background(), nil, "Products", 10, 0, "pho")
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("%v %+v", err, page)
	}
	l := rec.lastRequest()
	q := parseQuery(t, l.RawQuery)
	if l.Path != "/products/search" || q.Get("q") != "pho" || q.Get("page") != "2" || q.Get("size") != "10" || q.Has("skip") {
		t.Errorf("search went to %s?%s", l.Path, l.RawQuery)
	}
	if _, err := c.FetchList(context.Background(), nil, "Products", 0, 0, ""); err != nil {
		t.Fatal(err)
	}
	if l := rec.lastRequest(); l.Path != "/products" || parseQuery(t, l.RawQuery).Get("skip") != "0" {
		t.Errorf("list went to %s?%s", l.Path, l.RawQuery)
	}
}

// An expired rule can ask for words in the body: a 500 "invalid signature"
// is a dead token, another 500 is not; a 400 {"error":"invalid_token"} is,
// another 400 is not. IsExpired leaves the body readable in full.
func TestIsExpired_StatusAndBodyRules(t *testing.T) {
	p := simpleProfile("http://127.0.0.1:1")
	p.ExpiredStatuses = []int{401}
	p.ExpiredWhen = []ExpiredRule{
		{Status: 500, Contains: "invalid signature"},
		{Status: 400, Path: "error", Contains: "invalid_token"},
		{Status: 419},
	}
	c := newTestClient(t, p)
	long := `{"message":"Invalid Signature","pad":"` + strings.Repeat("x", 100<<10) + `"}`
	for _, tc := range []struct {
		status int
		body   string
		want   bool
	}{
		{401, `{}`, true},
		{419, ``, true},
		{500, long, true},
		{500, `{"message":"database is down"}`, false},
		{400, `{"error":"invalid_token","error_description":"expired"}`, true},
		{400, `{"error":"invalid_request","error_description":"invalid_token missing"}`, false},
		{403, `{"error":"invalid_token"}`, false},
	} {
		resp := &http.Response{StatusCode: tc.status, Body: io.NopCloser(strings.NewReader(tc.body))}
		if got := c.IsExpired(resp); got != tc.want {
			t.Errorf("IsExpired(%d %.40s) = %v, want %v", tc.status, tc.body, got, tc.want)
		}
		rest, _ := io.ReadAll(resp.Body)
		if string(rest) != tc.body {
			t.Errorf("%d: the body read afterwards is %d bytes, want %d", tc.status, len(rest), len(tc.body))
		}
	}
	if c.IsExpiredStatus(500) || !c.IsExpiredStatus(419) {
		t.Error("IsExpiredStatus must answer for status-only rules alone")
	}
}

// A list answer that a body rule calls a dead token is KindUnauthorized
// (after the transport's one retry), another 500 stays a server error.
func TestFetchList_BodyRuleMakesAnUnauthorizedError(t *testing.T) {
	rec := &recorder{status: 500, body: `{"message":"invalid signature"}`}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.ExpiredWhen = []ExpiredRule{{Status: 500, Contains: "invalid signature"}}
	c := newTestClient(t, p)
	_, err := c.FetchList(context.Background(), nil, "Things", 0, 0, "")
	wantKind(t, err, KindUnauthorized)
	rec.body = `{"message":"oops"}`
	_, err = c.FetchList(context.Background(), nil, "Things", 0, 0, "")
	wantKind(t, err, KindServer)
}

func parseQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
