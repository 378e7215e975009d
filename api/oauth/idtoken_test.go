package oauth

import (
	"encoding/json"
	"strings"
	"testing"

	"signet/api"
)

// Identity claims come in OIDC shape or, from plain OAuth 2.0 user
// endpoints (GitHub's /user), as id (number or string) and login.
func TestClaimsUser(t *testing.T) {
	for _, tc := range []struct {
		body string
		want api.User
	}{
		{`{"sub":"s1","name":"Ada","email":"a@x"}`, api.User{ID: "s1", Name: "Ada", Email: "a@x"}},
		{`{"sub":"s1","given_name":"Ada","family_name":"Lovelace"}`, api.User{ID: "s1", Name: "Ada Lovelace"}},
		{`{"sub":"s1","preferred_username":"ada"}`, api.User{ID: "s1", Name: "ada"}},
		{`{"id":1234567890123,"login":"octo"}`, api.User{ID: "1234567890123", Name: "octo"}},
		{`{"id":"9f1c-uuid","login":"octo","email":"o@x"}`, api.User{ID: "9f1c-uuid", Name: "octo", Email: "o@x"}},
	} {
		var c claims
		dec := json.NewDecoder(strings.NewReader(tc.body))
		dec.UseNumber()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		if got := c.user(); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.body, got, tc.want)
		}
	}
}

// The provider's words are shown cleaned: no control characters, no
// runaway length, no token echoed back.
func TestProviderErrorText(t *testing.T) {
	e := &ProviderError{Code: "access_denied", Description: cleanText("No\r\n\tthanks\u202e" + strings.Repeat("x", 500))}
	if strings.ContainsAny(e.Error(), "\r\n\t\u202e") || len([]rune(e.Description)) > 200 {
		t.Errorf("uncleaned: %q", e.Error())
	}
	if !strings.HasPrefix(e.Description, "No thanks") {
		t.Errorf("description %q", e.Description)
	}
	if d := cleanText("bad code eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl"); d != "" {
		t.Errorf("a token-like description was kept: %q", d)
	}
	if (&ProviderError{Code: "access_denied"}).Error() != "Sign-in was not allowed (access denied)." {
		t.Error("access_denied without a description has no sentence")
	}
}
