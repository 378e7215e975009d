package api

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// firebaseLikeProfile signs in at one origin, refreshes at another with
// other field names (form-encoded, snake_case), and reads lists at a third.
func firebaseLikeProfile(signIn, tokens, api string) Profile {
	return Profile{
		Name: "split", BaseURL: signIn,
		Origins: map[string]string{"securetoken": tokens, "api": api + "/v1"},
		Login: LoginSpec{
			RequestSpec: RequestSpec{Path: "/v1/accounts:signInWithPassword?key=K", Body: map[string]any{
				"email": "{username}", "password": "{password}", "returnSecureToken": true,
			}},
			Tokens: TokenPaths{AccessToken: "idToken", RefreshToken: "refreshToken",
				Expiry: []ExpirySpec{{Path: "expiresIn", Unit: "seconds"}}},
			User: UserPaths{ID: "localId", Email: "email"},
		},
		Refresh: &RefreshSpec{
			RequestSpec: RequestSpec{Origin: "securetoken", Path: "/v1/token?key=K", Encoding: "form",
				Body: map[string]any{"grant_type": "refresh_token", "refresh_token": "{refresh_token}"}},
			Tokens: &TokenPaths{AccessToken: "id_token", RefreshToken: "refresh_token",
				Expiry: []ExpirySpec{{Path: "expires_in", Unit: "seconds"}}},
		},
		Lists: []ListSpec{{Name: "Notes", Origin: "api", Path: "/notes", ItemsPath: "items", TitleField: "t"}},
	}
}

// Sign-in at one host and refresh at another, each with its own query,
// encoding and field names, expiresIn given as a string of seconds; the
// list goes to the declared API origin with the bearer, which goes nowhere
// else.
func TestOrigins_SignInRefreshAndListsOnTheirOwnHosts(t *testing.T) {
	signIn := &recorder{body: `{"idToken":"id1","refreshToken":"r1","expiresIn":"3600","localId":"u1","email":"a@x"}`}
	tok := &recorder{body: `{"id_token":"id2","refresh_token":"r2","expires_in":"1800","token_type":"Bearer"}`}
	apiRec := &recorder{body: `{"items":[{"t":"first"}]}`}
	s1, s2, s3 := serve(t, signIn), serve(t, tok), serve(t, apiRec)
	c := newTestClient(t, firebaseLikeProfile(s1.URL, s2.URL, s3.URL))
	ctx := context.Background()

	res, err := c.Login(ctx, "a@x", "pw")
	if err != nil {
		t.Fatal(err)
	}
	if l := signIn.lastRequest(); l.Path != "/v1/accounts:signInWithPassword" || l.RawQuery != "key=K" ||
		!strings.Contains(l.Body, `"returnSecureToken":true`) {
		t.Errorf("sign-in went as %s?%s %s", l.Path, l.RawQuery, l.Body)
	}
	if res.Tokens.AccessToken != "id1" || !res.Tokens.Expiry.Equal(testNow.Add(3600e9)) || res.User.ID != "u1" {
		t.Errorf("sign-in mapped %q %v %+v", res.Tokens.AccessToken, res.Tokens.Expiry, res.User)
	}
	fresh, err := c.Refresh(ctx, res.Tokens.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	l := tok.lastRequest()
	q, _ := url.ParseQuery(l.Body)
	if l.Path != "/v1/token" || l.RawQuery != "key=K" || q.Get("refresh_token") != "r1" || q.Get("grant_type") != "refresh_token" {
		t.Errorf("refresh went as %s?%s %s", l.Path, l.RawQuery, l.Body)
	}
	if fresh.AccessToken != "id2" || fresh.RefreshToken != "r2" || !fresh.Expiry.Equal(testNow.Add(1800e9)) {
		t.Errorf("refresh mapped %q %q %v", fresh.AccessToken, fresh.RefreshToken, fresh.Expiry)
	}
	page, err := c.FetchList(ctx, bearerClient(fresh.AccessToken), "Notes", 0, 0, "")
	if err != nil || len(page.Items) != 1 || page.Items[0].Title != "first" {
		t.Fatalf("list: %v %+v", err, page)
	}
	if l := apiRec.lastRequest(); l.Path != "/v1/notes" || l.Header.Get("Authorization") != "Bearer id2" {
		t.Errorf("list went as %s with %q", l.Path, l.Header.Get("Authorization"))
	}

	u3, _ := url.Parse(s3.URL)
	if got := c.BearerOrigins(); !reflect.DeepEqual(got, []string{Origin(u3)}) {
		t.Errorf("BearerOrigins = %v, want only the API's %s", got, Origin(u3))
	}
	u1, _ := url.Parse(s1.URL)
	if c.IsBearerOrigin(u1) || !c.IsBearerOrigin(u3) {
		t.Error("IsBearerOrigin disagrees with BearerOrigins")
	}
	if got := c.SecretOrigins(); len(got) != 3 {
		t.Errorf("SecretOrigins = %v, want the three declared", got)
	}
}

// A single base_url profile is unchanged: its one origin is the bearer's.
func TestOrigins_SingleBaseURLIsTheOnlyBearerOrigin(t *testing.T) {
	c := newTestClient(t, simpleProfile("https://api.example.com/base"))
	if got := c.BearerOrigins(); !reflect.DeepEqual(got, []string{"https://api.example.com:443"}) {
		t.Errorf("BearerOrigins = %v", got)
	}
}

// A full URL as a path is allowed on a declared origin and refused off
// them; a call naming an undeclared origin is refused too.
func TestOrigins_PathsStayOnDeclaredOrigins(t *testing.T) {
	p := simpleProfile("https://auth.example.com")
	p.Origins = map[string]string{"api": "https://api.example.com"}
	p.Lists[0].Path = "https://api.example.com/things"
	c, err := New(Config{Profile: p})
	if err != nil {
		t.Fatalf("a full URL on a declared origin: %v", err)
	}
	if got := c.BearerOrigins(); !reflect.DeepEqual(got, []string{"https://api.example.com:443"}) {
		t.Errorf("BearerOrigins = %v", got)
	}
	for name, mod := range map[string]func(*Profile){
		"full URL elsewhere":   func(p *Profile) { p.Lists[0].Path = "https://evil.example/things" },
		"undeclared origin":    func(p *Profile) { p.Lists[0].Origin = "other" },
		"insecure origin":      func(p *Profile) { p.Origins["api"] = "http://api.example.com" },
		"search elsewhere":     func(p *Profile) { p.Lists[0].Search = &SearchSpec{Path: "https://evil.example/s"} },
		"refresh undeclared":   func(p *Profile) { p.Refresh.Origin = "tokens" },
		"sign-in full URL off": func(p *Profile) { p.Login.Path = "https://evil.example/login" },
	} {
		q := p.Clone()
		mod(&q)
		if _, err := New(Config{Profile: q}); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

// A redirect from the API origin to the sign-in origin is still refused:
// declaring both does not let one hand a secret to the other.
func TestOrigins_RedirectToAnotherDeclaredOriginIsRefused(t *testing.T) {
	other := serve(t, &recorder{body: `{"items":[]}`})
	api := serve(t, http.RedirectHandler(other.URL+"/things", http.StatusTemporaryRedirect))
	p := simpleProfile(other.URL)
	p.Origins = map[string]string{"api": api.URL}
	p.Lists[0].Origin = "api"
	c := newTestClient(t, p)
	_, err := c.FetchList(context.Background(), bearerClient("tok"), "Things", 0, 0, "")
	var re *RedirectError
	if err == nil || !asRedirect(err, &re) {
		t.Fatalf("err = %v, want a refused redirect", err)
	}
}

func asRedirect(err error, re **RedirectError) bool {
	e, ok := err.(*Error)
	if !ok {
		return false
	}
	r, ok := e.Err.(*RedirectError)
	*re = r
	return ok
}
