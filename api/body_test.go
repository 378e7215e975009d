package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"testing"
)

// A body of numbers, booleans, nested tables and arrays goes out typed, with
// the placeholders filled in at every depth, and survives Clone untouched.
func TestRequest_TypedAndNestedBody(t *testing.T) {
	rec := &recorder{body: `{"access_token":"a"}`}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Login.Body = map[string]any{
		"expiresInMins": int64(1),
		"ratio":         1.5,
		"remember":      true,
		"auth":          map[string]any{"user": "{username}", "secret": map[string]any{"pw": "{password}"}},
		"scopes":        []any{"read", "{username}", int64(2)},
	}
	c := newTestClient(t, p)
	if _, err := c.Login(context.Background(), "ann", "pw{refresh_token}"); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(rec.lastRequest().Body), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"expiresInMins": 1.0, "ratio": 1.5, "remember": true,
		"auth":   map[string]any{"user": "ann", "secret": map[string]any{"pw": "pw{refresh_token}"}},
		"scopes": []any{"read", "ann", 2.0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body = %v\nwant %v", got, want)
	}
	// The client's profile is a deep copy: changing the nested table
	// of the one handed out changes nothing inside.
	out := c.Profile()
	out.Login.Body["auth"].(map[string]any)["user"] = "changed"
	if c.Profile().Login.Body["auth"].(map[string]any)["user"] != "{username}" {
		t.Error("a nested body table is shared with the caller")
	}
}

// A form body sends numbers and booleans as written; a nested value cannot
// be sent as a form, and New says so.
func TestRequest_FormBodyTypedScalarsAndNoNesting(t *testing.T) {
	rec := &recorder{body: `{"access_token":"a"}`}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Login.Encoding = "form"
	p.Login.Body = map[string]any{"username": "{username}", "password": "{password}", "days": int64(30), "keep": false}
	c := newTestClient(t, p)
	if _, err := c.Login(context.Background(), "ann", "pw"); err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(rec.lastRequest().Body)
	if q.Get("days") != "30" || q.Get("keep") != "false" || q.Get("username") != "ann" {
		t.Errorf("form = %v", q)
	}
	p.Login.Body["nested"] = map[string]any{"a": "b"}
	if _, err := New(Config{Profile: p}); err == nil {
		t.Error("New accepted a nested value in a form body")
	}
}

// A Content-Type header in the profile replaces the default one, whatever
// its spelling; the body is still JSON.
func TestRequest_ProfileContentTypeReplacesTheDefault(t *testing.T) {
	rec := &recorder{body: `{"access_token":"a"}`}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Login.Headers = map[string]string{"content-type": "application/x-amz-json-1.1"}
	c := newTestClient(t, p)
	if _, err := c.Login(context.Background(), "ann", "pw"); err != nil {
		t.Fatal(err)
	}
	got := rec.lastRequest().Header.Values("Content-Type")
	if len(got) != 1 || got[0] != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type = %q, want exactly the profile's", got)
	}
}

// cognitoFake answers InitiateAuth as the AWS Cognito user-pool API does:
// JSON-RPC over POST /, the action in X-Amz-Target, the body in
// application/x-amz-json-1.1, errors as {"__type","message"}; a refresh
// (REFRESH_TOKEN_AUTH) returns no new refresh token.
type cognitoFake struct {
	mu       sync.Mutex
	password string
	refresh  string
	gen      int
}

func (f *cognitoFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, typ, msg string) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
	}
	if r.Method != http.MethodPost || r.URL.Path != "/" ||
		r.Header.Get("X-Amz-Target") != "AWSCognitoIdentityProviderService.InitiateAuth" ||
		r.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		fail(400, "UnknownOperationException", "")
		return
	}
	var in struct {
		AuthFlow       string
		ClientId       string
		AuthParameters map[string]string
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.ClientId != "client-1" {
		fail(400, "InvalidParameterException", "1 validation error detected")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	access := "access-" + string(rune('0'+f.gen))
	result := map[string]any{"AccessToken": access, "IdToken": "id-" + access, "ExpiresIn": 3600, "TokenType": "Bearer"}
	switch in.AuthFlow {
	case "USER_PASSWORD_AUTH":
		if in.AuthParameters["USERNAME"] != "ann" || in.AuthParameters["PASSWORD"] != f.password {
			fail(400, "NotAuthorizedException", "Incorrect username or password.")
			return
		}
		f.refresh = "refresh-1"
		result["RefreshToken"] = f.refresh
	case "REFRESH_TOKEN_AUTH":
		if in.AuthParameters["REFRESH_TOKEN"] != f.refresh {
			fail(400, "NotAuthorizedException", "Invalid Refresh Token")
			return
		}
	default:
		fail(400, "InvalidParameterException", "bad AuthFlow")
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(map[string]any{"AuthenticationResult": result, "ChallengeParameters": map[string]any{}})
}

func cognitoProfile(base string) Profile {
	headers := map[string]string{
		"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
		"Content-Type": "application/x-amz-json-1.1",
	}
	tokens := TokenPaths{
		AccessToken: "AuthenticationResult.AccessToken", RefreshToken: "AuthenticationResult.RefreshToken",
		TokenType: "AuthenticationResult.TokenType",
		Expiry:    []ExpirySpec{{Path: "AuthenticationResult.ExpiresIn", Unit: "seconds"}},
	}
	return Profile{
		Name: "cognito", BaseURL: base,
		Login: LoginSpec{
			RequestSpec: RequestSpec{Path: "/", Headers: headers, Body: map[string]any{
				"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "client-1",
				"AuthParameters": map[string]any{"USERNAME": "{username}", "PASSWORD": "{password}"},
			}},
			Tokens: tokens,
		},
		Refresh: &RefreshSpec{RequestSpec: RequestSpec{Path: "/", Headers: headers, Body: map[string]any{
			"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": "client-1",
			"AuthParameters": map[string]any{"REFRESH_TOKEN": "{refresh_token}"},
		}}},
		ErrorPath: "message",
		Lists:     []ListSpec{{Name: "Things", Path: "/things", TitleField: "title"}},
	}
}

// The JSON-RPC style sign-in works end to end: the right password signs in
// (it used to get the same refusal as a wrong one), a wrong one is refused
// in the server's words, and a refresh without a new refresh token keeps
// the old one.
func TestCognitoStyle_SignInAndRefresh(t *testing.T) {
	fake := &cognitoFake{password: "Correct-Horse-1"}
	srv := serve(t, fake)
	c := newTestClient(t, cognitoProfile(srv.URL))
	ctx := context.Background()

	_, err := c.Login(ctx, "ann", "wrong")
	if e := wantKind(t, err, KindBadCredentials); e.Error() != "Incorrect username or password." {
		t.Errorf("wrong password says %q", e.Error())
	}
	res, err := c.Login(ctx, "ann", "Correct-Horse-1")
	if err != nil {
		t.Fatalf("the right password: %v", err)
	}
	if res.Tokens.AccessToken != "access-2" || res.Tokens.RefreshToken != "refresh-1" ||
		!res.Tokens.Expiry.Equal(testNow.Add(3600e9)) {
		t.Errorf("tokens %q %q %v", res.Tokens.AccessToken, res.Tokens.RefreshToken, res.Tokens.Expiry)
	}
	fresh, err := c.Refresh(ctx, res.Tokens.RefreshToken)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if fresh.AccessToken != "access-3" || fresh.RefreshToken != "refresh-1" {
		t.Errorf("after refresh %q %q", fresh.AccessToken, fresh.RefreshToken)
	}
	_, err = c.Refresh(ctx, "stolen")
	wantKind(t, err, KindRefreshRefused)
}
