package demo

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLogin_IssuesTokensAndNamesTheUser(t *testing.T) {
	s, base := startServer(t, Config{})
	r := postJSON(t, base+"/auth/login", map[string]string{"username": DemoUsername, "password": DemoPassword})
	wantStatus(t, r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store on a token answer", cc)
	}
	got := decode[tokenResponse](t, r)
	if got.AccessToken == "" || got.RefreshToken == "" {
		t.Fatalf("answer lacks a token: access %t, refresh %t", got.AccessToken != "", got.RefreshToken != "")
	}
	if got.TokenType != "Bearer" || got.ExpiresIn != 60 {
		t.Errorf("token_type %q, expires_in %d; want Bearer, 60", got.TokenType, got.ExpiresIn)
	}
	want := userJSON{ID: "u-1001", Name: "Demo User", Email: "demo@signet.example"}
	if got.User != want {
		t.Errorf("user = %+v, want %+v", got.User, want)
	}

	c := claimsOf(t, got.AccessToken)
	if c.Subject != want.ID || c.SessionID == "" || c.Generation != 0 {
		t.Errorf("claims sub %q sid %q gen %d; want sub %q, a sid, gen 0", c.Subject, c.SessionID, c.Generation, want.ID)
	}
	if c.IssuedAt == nil || c.ExpiresAt == nil || c.ExpiresAt.Sub(c.IssuedAt.Time) != 60*time.Second {
		t.Errorf("iat %v exp %v, want exp 60s after iat", c.IssuedAt, c.ExpiresAt)
	}
	if st := s.Stats(); st.Logins != 1 || st.LoginFailures != 0 {
		t.Errorf("stats %+v, want one login", st)
	}
}

func TestLogin_UsernameIgnoresCaseButPasswordDoesNot(t *testing.T) {
	_, base := startServer(t, Config{})
	login(t, base, strings.ToUpper(DemoUsername), DemoPassword)
	r := postJSON(t, base+"/auth/login", map[string]string{"username": DemoUsername, "password": strings.ToUpper(DemoPassword)})
	wantStatus(t, r, http.StatusUnauthorized)
}

func TestLogin_WrongCredentialsAre401InvalidGrantWithAHumanMessage(t *testing.T) {
	s, base := startServer(t, Config{})
	for _, tc := range []struct{ name, username, password string }{
		{"wrong password", DemoUsername, "not-the-password"},
		{"unknown user", "nobody", DemoPassword},
		{"another user's password", "ada", DemoPassword},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := postJSON(t, base+"/auth/login", map[string]string{"username": tc.username, "password": tc.password})
			wantStatus(t, r, http.StatusUnauthorized)
			want := errorBody{Error: "invalid_grant", Description: "Wrong username or password."}
			if got := r.errorBody(t); got != want {
				t.Errorf("body %+v, want %+v", got, want)
			}
		})
	}
	if st := s.Stats(); st.LoginFailures != 3 || st.Logins != 0 {
		t.Errorf("stats %+v, want 3 failures and no login", st)
	}
}

func TestLogin_MalformedRequestsAre400WithAMessage(t *testing.T) {
	_, base := startServer(t, Config{})
	for _, tc := range []struct {
		name, contentType, body string
	}{
		{"not JSON", "application/json", "username=demo"},
		{"empty body", "application/json", ""},
		{"JSON array", "application/json", "[]"},
		{"two JSON values", "application/json", `{"username":"demo"} {}`},
		{"form encoded", "application/x-www-form-urlencoded", "username=demo&password=demo1234"},
		{"missing password", "application/json", `{"username":"demo"}`},
		{"body too large", "application/json", `{"username":"` + strings.Repeat("a", maxBodyBytes) + `"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, base+"/auth/login", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tc.contentType)
			r := do(t, req)
			wantStatus(t, r, http.StatusBadRequest)
			if e := r.errorBody(t); e.Error != "invalid_request" || e.Description == "" {
				t.Errorf("body %+v, want invalid_request with a description", e)
			}
		})
	}
}

func TestLogin_OtherMethodsAre405(t *testing.T) {
	_, base := startServer(t, Config{})
	r := getWithToken(t, base+"/auth/login", "")
	wantStatus(t, r, http.StatusMethodNotAllowed)
}

func TestMe_ReturnsTheSignedInUser(t *testing.T) {
	s, base := startServer(t, Config{})
	for _, a := range Accounts() {
		tok := login(t, base, a.Username, a.Password)
		r := getWithToken(t, base+"/api/me", tok.AccessToken)
		wantStatus(t, r, http.StatusOK)
		want := userJSON{ID: a.ID, Name: a.Name, Email: a.Email}
		if got := decode[userJSON](t, r); got != want {
			t.Errorf("me = %+v, want %+v", got, want)
		}
	}
	if got := s.Stats().MeCalls; got != int64(len(Accounts())) {
		t.Errorf("MeCalls = %d, want %d", got, len(Accounts()))
	}
}
