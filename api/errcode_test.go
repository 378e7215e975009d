package api

import (
	"context"
	"testing"
)

// Firebase Auth answers a refused sign-in with a bare code in
// error.message. A code the profile maps shows as its sentence; an
// unmapped one as "The server refused the sign-in (CODE)."; a code with a
// sentence after " : " shows the sentence.
func TestLogin_ErrorCodesInWords(t *testing.T) {
	rec := &recorder{status: 400}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.ErrorCodes = map[string]string{"EMAIL_NOT_FOUND": "There is no account with that email.", "NotAuthorizedException": "Wrong email or password."}
	c := newTestClient(t, p)
	for _, tc := range []struct{ body, want string }{
		{`{"error":{"code":400,"message":"EMAIL_NOT_FOUND","errors":[{"message":"EMAIL_NOT_FOUND","domain":"global","reason":"invalid"}]}}`,
			"There is no account with that email."},
		{`{"error":{"code":400,"message":"INVALID_PASSWORD","errors":[]}}`, "The server refused the sign-in (INVALID_PASSWORD)."},
		{`{"error":{"code":400,"message":"TOO_MANY_ATTEMPTS_TRY_LATER : Access to this account has been temporarily disabled."}}`,
			"Access to this account has been temporarily disabled."},
		{`{"__type":"NotAuthorizedException","message":"Incorrect username or password."}`, "Wrong email or password."},
		{`{"message":"Invalid credentials"}`, "Invalid credentials"},
	} {
		rec.body = tc.body
		_, err := c.Login(context.Background(), "ann", "pw")
		if e := wantKind(t, err, KindBadCredentials); e.Error() != tc.want {
			t.Errorf("%s\n  says %q, want %q", tc.body, e.Error(), tc.want)
		}
	}
}

// A failing list says which list and what status, in words, never a lone
// "Not Found".
func TestFetchList_ErrorsNameTheListAndStatus(t *testing.T) {
	rec := &recorder{}
	srv := serve(t, rec)
	c := newTestClient(t, simpleProfile(srv.URL))
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{404, `{"message":"Not Found"}`, "Things: the server has no such list (404)"},
		{404, `Not Found`, "Things: the server has no such list (404)"},
		{403, `{"message":"Forbidden"}`, "Things: you are not allowed to see this list (403)"},
		{400, `{"message":"unknown field sort"}`, "Things: unknown field sort (400)"},
		{429, ``, "Things: the server is getting too many requests; try again in a moment (429)"},
		{500, `{"message":"Internal Server Error"}`, "The server had a problem (500) while trying to load Things. Try again in a moment."},
		{502, `{"message":"upstream is down"}`, "Things: upstream is down (502)"},
	} {
		rec.status, rec.body = tc.status, tc.body
		_, err := c.FetchList(context.Background(), nil, "Things", 0, 0, "")
		if err == nil || err.Error() != tc.want {
			t.Errorf("%d %s: says %v, want %q", tc.status, tc.body, err, tc.want)
		}
	}
}

// A code with a 5xx is still the server's trouble, not a refusal.
func TestLogin_CodeWithAServerErrorIsNotARefusal(t *testing.T) {
	rec := &recorder{status: 503, body: `{"error":{"code":503,"message":"UNAVAILABLE"}}`}
	srv := serve(t, rec)
	c := newTestClient(t, simpleProfile(srv.URL))
	_, err := c.Login(context.Background(), "ann", "pw")
	if e := wantKind(t, err, KindServer); e.Error() != "The server had a problem (503, UNAVAILABLE) while trying to sign in. Try again in a moment." {
		t.Errorf("says %q", e.Error())
	}
}
