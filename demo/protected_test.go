package demo

import (
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestProtected_RefusesMissingAndForgedTokensWithAChallenge(t *testing.T) {
	s, base := startServer(t, Config{})
	good := login(t, base, DemoUsername, DemoPassword).AccessToken
	c := claimsOf(t, good)
	otherKey, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte("some other key, 32 bytes long.."))
	if err != nil {
		t.Fatal(err)
	}
	unsigned, err := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, header string }{
		{"no header", ""},
		{"basic scheme", "Basic ZGVtbzpkZW1vMTIzNA=="},
		{"bearer without token", "Bearer "},
		{"not a JWT", "Bearer not-a-token"},
		{"signed with another key", "Bearer " + otherKey},
		{"alg none", "Bearer " + unsigned},
		{"tampered", "Bearer " + good[:len(good)-2] + "xx"},
	}
	for _, path := range []string{"/api/items", "/api/me"} {
		for _, tc := range cases {
			t.Run(path+"/"+tc.name, func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodGet, base+path, nil)
				if tc.header != "" {
					req.Header.Set("Authorization", tc.header)
				}
				wantInvalidToken(t, do(t, req))
			})
		}
	}
	if st := s.Stats(); st.Unauthorized != int64(2*len(cases)) || st.ListCalls != 0 || st.MeCalls != 0 {
		t.Errorf("stats %+v, want %d unauthorized and no served calls", st, 2*len(cases))
	}
	// The good token still works: the refusals were about the tokens.
	wantStatus(t, getWithToken(t, base+"/api/items", good), http.StatusOK)
}

func TestProtected_AcceptsTheSchemeInAnyCase(t *testing.T) {
	_, base := startServer(t, Config{})
	tok := login(t, base, DemoUsername, DemoPassword).AccessToken
	req, _ := http.NewRequest(http.MethodGet, base+"/api/items", nil)
	req.Header.Set("Authorization", "bearer "+tok)
	wantStatus(t, do(t, req), http.StatusOK)
}

func TestProtected_TokenExpiresAfterTokenTTL(t *testing.T) {
	clock := newFakeClock()
	s, base := startServer(t, Config{Now: clock.Now, TokenTTL: 90 * time.Second})
	tok := login(t, base, DemoUsername, DemoPassword)
	if tok.ExpiresIn != 90 {
		t.Fatalf("expires_in = %d, want 90", tok.ExpiresIn)
	}

	clock.Advance(89 * time.Second)
	wantStatus(t, getWithToken(t, base+"/api/items", tok.AccessToken), http.StatusOK)

	clock.Advance(time.Second)
	r := getWithToken(t, base+"/api/items", tok.AccessToken)
	wantInvalidToken(t, r)
	if e := r.errorBody(t); e.Description != descTokenExpired {
		t.Errorf("description %q, want %q", e.Description, descTokenExpired)
	}
	if got := s.Stats().Unauthorized; got != 1 {
		t.Errorf("Unauthorized = %d, want 1", got)
	}
}

func TestProtected_ExpiryIsRoundedUpToWholeSeconds(t *testing.T) {
	clock := newFakeClock()
	clock.Advance(300 * time.Millisecond)
	_, base := startServer(t, Config{Now: clock.Now, TokenTTL: 2 * time.Second})
	tok := login(t, base, DemoUsername, DemoPassword).AccessToken
	// The client was told 2s; the token must not die before.
	clock.Advance(2 * time.Second)
	wantStatus(t, getWithToken(t, base+"/api/items", tok), http.StatusOK)
	clock.Advance(time.Second)
	wantInvalidToken(t, getWithToken(t, base+"/api/items", tok))
}
