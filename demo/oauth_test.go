package demo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"signet/internal/browsertest"
	"signet/internal/testsync"
)

const testRedirect = "http://127.0.0.1:53124/callback"

// pkcePair is a verifier and its S256 challenge.
func pkcePair(seed string) (verifier, challenge string) {
	verifier = strings.Repeat(seed, 43/len(seed)+1)[:43]
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

func authorizeURL(base string, params map[string]string) string {
	q := url.Values{"client_id": {DemoClientID}, "redirect_uri": {testRedirect}, "response_type": {"code"},
		"state": {"st"}, "nonce": {"n-1"}, "scope": {supportedScopes}, "code_challenge_method": {"S256"}}
	for k, v := range params {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return base + pathAuthorize + "?" + q.Encode()
}

// browserCode signs in on the demo's page and returns the redirect it
// sends the browser to (not followed: nothing listens there).
func browserCode(t *testing.T, base, challenge, redirect string) url.Values {
	t.Helper()
	b := browsertest.New(t).StopAt(redirect)
	page := b.Open(authorizeURL(base, map[string]string{"code_challenge": challenge, "redirect_uri": redirect}))
	if page.Status != http.StatusOK {
		t.Fatalf("sign-in page: %d %s", page.Status, page.Body)
	}
	page = b.Submit(page, map[string]string{"username": DemoUsername, "password": DemoPassword}, "Allow")
	if page.Status != http.StatusFound || !strings.HasPrefix(page.Location, redirect+"?") {
		t.Fatalf("after Allow: %d to %q", page.Status, page.Location)
	}
	u, _ := url.Parse(page.Location)
	return u.Query()
}

func postForm(t *testing.T, u string, form url.Values) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

func exchange(t *testing.T, base, code, verifier, redirect string) response {
	t.Helper()
	return postForm(t, base+pathToken, url.Values{"grant_type": {"authorization_code"}, "client_id": {DemoClientID},
		"code": {code}, "code_verifier": {verifier}, "redirect_uri": {redirect}})
}

func wantOAuthError(t *testing.T, r response, status int, code string) {
	t.Helper()
	if e := r.errorBody(t); r.status != status || e.Error != code {
		t.Fatalf("answer %d %q (%s), want %d %q", r.status, e.Error, e.Description, status, code)
	}
}

// The code comes back with state and iss, is redeemed once with the PKCE
// verifier for tokens and an ES256 ID token that verifies against the
// JWKS, names the user and carries the nonce.
func TestOAuthCodeFlow(t *testing.T) {
	_, base := startServer(t, Config{hashIterations: testHashIterations})
	verifier, challenge := pkcePair("v3rifier")
	q := browserCode(t, base, challenge, testRedirect)
	if q.Get("state") != "st" || q.Get("iss") != base || q.Get("code") == "" {
		t.Fatalf("redirect query = %v", q)
	}
	r := exchange(t, base, q.Get("code"), verifier, testRedirect)
	wantStatus(t, r, http.StatusOK)
	tok := decode[oauthTokenResponse](t, r)
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Scope != supportedScopes {
		t.Fatalf("token answer incomplete: scope %q", tok.Scope)
	}
	wantStatus(t, getWithToken(t, base+"/api/me", tok.AccessToken), http.StatusOK)

	var claims idClaims
	_, err := jwt.ParseWithClaims(tok.IDToken, &claims, jwksKey(t, base), jwt.WithValidMethods([]string{"ES256"}),
		jwt.WithIssuer(base), jwt.WithAudience(DemoClientID), jwt.WithTimeFunc(func() time.Time { return claims.IssuedAt.Time }))
	if err != nil {
		t.Fatalf("ID token: %v", err)
	}
	if claims.Subject != "u-1001" || claims.Nonce != "n-1" || claims.Email != "demo@signet.example" || claims.Name != "Demo User" {
		t.Errorf("ID token claims = %+v", claims)
	}

	// Single use: the same code again is refused, and ends the session it
	// gave (someone else holds a copy of the code).
	wantOAuthError(t, exchange(t, base, q.Get("code"), verifier, testRedirect), http.StatusBadRequest, errInvalidGrant)
	wantInvalidToken(t, getWithToken(t, base+"/api/me", tok.AccessToken))
}

// jwksKey reads the demo's published key, as a relying party would.
func jwksKey(t *testing.T, base string) jwt.Keyfunc {
	t.Helper()
	r := do(t, mustRequest(t, http.MethodGet, base+pathJWKS))
	wantStatus(t, r, http.StatusOK)
	set := decode[struct{ Keys []map[string]string }](t, r)
	if len(set.Keys) != 1 || set.Keys[0]["kty"] != "EC" || set.Keys[0]["crv"] != "P-256" {
		t.Fatalf("JWKS = %+v", set)
	}
	k := set.Keys[0]
	x, _ := base64.RawURLEncoding.DecodeString(k["x"])
	y, _ := base64.RawURLEncoding.DecodeString(k["y"])
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		t.Fatalf("JWKS key: %v", err)
	}
	return func(tok *jwt.Token) (any, error) {
		if tok.Header["kid"] != k["kid"] {
			t.Errorf("kid %v, JWKS has %s", tok.Header["kid"], k["kid"])
		}
		return pub, nil
	}
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// A code lives 60 s; a wrong verifier or redirect URI is refused and
// burns the code.
func TestOAuthCodeRefusals(t *testing.T) {
	clock := newFakeClock()
	_, base := startServer(t, Config{Now: clock.Now})
	verifier, challenge := pkcePair("abc")

	q := browserCode(t, base, challenge, testRedirect)
	clock.Advance(61 * time.Second)
	wantOAuthError(t, exchange(t, base, q.Get("code"), verifier, testRedirect), http.StatusBadRequest, errInvalidGrant)

	q = browserCode(t, base, challenge, testRedirect)
	clock.Advance(59 * time.Second)
	r := exchange(t, base, q.Get("code"), "wrong-verifier-wrong-verifier-wrong-verifier", testRedirect)
	wantOAuthError(t, r, http.StatusBadRequest, errInvalidGrant)
	if r.errorBody(t).Description != descPKCE {
		t.Errorf("description = %q", r.errorBody(t).Description)
	}
	wantOAuthError(t, exchange(t, base, q.Get("code"), verifier, testRedirect), http.StatusBadRequest, errInvalidGrant)

	q = browserCode(t, base, challenge, testRedirect)
	r = exchange(t, base, q.Get("code"), verifier, "http://127.0.0.1:1/other")
	wantOAuthError(t, r, http.StatusBadRequest, errInvalidGrant)
}

// Loopback redirect URIs are accepted on any port and loopback host; a bad
// client or redirect is shown on the page and never redirected to; the
// other problems go back to the app as errors with the state.
func TestOAuthAuthorizeValidation(t *testing.T) {
	_, base := startServer(t, Config{})
	_, challenge := pkcePair("x")
	for _, redirect := range []string{"http://127.0.0.1:1/cb", "http://[::1]:65000/callback", "http://localhost:8123/x"} {
		browserCode(t, base, challenge, redirect)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(params map[string]string) *http.Response {
		t.Helper()
		params["code_challenge"] = challenge
		resp, err := noFollow.Get(authorizeURL(base, params))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp
	}
	for _, params := range []map[string]string{
		{"client_id": "someone-else"},
		{"redirect_uri": "https://evil.example/cb"},
		{"redirect_uri": "http://evil.example:8080/cb"},
		{"redirect_uri": "http://127.0.0.1/no-port"},
		{"redirect_uri": ""},
	} {
		if resp := get(params); resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("%v: %d to %q, want 400 and no redirect", params, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	for _, tc := range []struct {
		params map[string]string
		code   string
	}{
		{map[string]string{"code_challenge_method": ""}, "invalid_request"},
		{map[string]string{"code_challenge_method": "plain"}, "invalid_request"},
		{map[string]string{"response_type": "token"}, "unsupported_response_type"},
	} {
		resp := get(tc.params)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || loc.Query().Get("error") != tc.code || loc.Query().Get("state") != "st" {
			t.Errorf("%v: %d to %q, want an error redirect %s", tc.params, resp.StatusCode, loc, tc.code)
		}
	}
	resp, err := http.Get(authorizeURL(base, map[string]string{"code_challenge": challenge}))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Error("the sign-in page may be framed")
	}
}

type deviceStart struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               int    `json:"expires_in"`
	Interval                int    `json:"interval"`
}

func startDeviceGrant(t *testing.T, base string) deviceStart {
	t.Helper()
	r := postForm(t, base+pathDeviceAuthorization, url.Values{"client_id": {DemoClientID}, "scope": {supportedScopes}})
	wantStatus(t, r, http.StatusOK)
	return decode[deviceStart](t, r)
}

func pollDevice(t *testing.T, base, deviceCode string) response {
	t.Helper()
	return postForm(t, base+pathToken, url.Values{"grant_type": {grantDeviceCode}, "client_id": {DemoClientID},
		"device_code": {deviceCode}})
}

// Device flow: pending, slow_down for polling faster than the interval
// (which then grows), refusal on the page ends in access_denied, an
// unknown code in invalid_grant; an approval hands the tokens out once.
func TestOAuthDeviceFlow(t *testing.T) {
	_, base := startServer(t, Config{DeviceInterval: 2 * time.Second})
	d := startDeviceGrant(t, base)
	if d.Interval != 2 || d.ExpiresIn != 600 || d.VerificationURI != base+pathDevice ||
		!strings.HasSuffix(d.VerificationURIComplete, "?user_code="+d.UserCode) {
		t.Fatalf("device answer = %+v", d)
	}
	wantOAuthError(t, pollDevice(t, base, d.DeviceCode), http.StatusBadRequest, errPending)
	wantOAuthError(t, pollDevice(t, base, d.DeviceCode), http.StatusBadRequest, errSlowDown)
	wantOAuthError(t, pollDevice(t, base, "unknown"), http.StatusBadRequest, errInvalidGrant)

	b := browsertest.New(t)
	page := b.Open(d.VerificationURI)
	bad := b.Submit(page, map[string]string{"user_code": "BBBB-BBBB", "username": DemoUsername, "password": DemoPassword}, "Allow")
	if bad.Status != http.StatusBadRequest || !strings.Contains(bad.Body, "not valid or has expired") {
		t.Fatalf("unknown user code: %d %s", bad.Status, bad.Body)
	}
	// People type codes in lower case and without the dash.
	typed := strings.ToLower(strings.ReplaceAll(d.UserCode, "-", ""))
	ok := b.Submit(page, map[string]string{"user_code": typed, "username": DemoUsername, "password": DemoPassword}, "Allow")
	if !strings.Contains(ok.Body, "is now signed in") {
		t.Fatalf("approval: %d %s", ok.Status, ok.Body)
	}
	r := pollDevice(t, base, d.DeviceCode)
	wantStatus(t, r, http.StatusOK)
	if tok := decode[oauthTokenResponse](t, r); tok.IDToken == "" || tok.User.ID != "u-1001" {
		t.Fatalf("device tokens: %+v", tok.User)
	}
	wantOAuthError(t, pollDevice(t, base, d.DeviceCode), http.StatusBadRequest, errInvalidGrant)

	d = startDeviceGrant(t, base)
	page = b.Open(d.VerificationURIComplete)
	b.Submit(page, nil, "Deny")
	wantOAuthError(t, pollDevice(t, base, d.DeviceCode), http.StatusBadRequest, errAccessDenied)
}

// An unapproved device code is answered expired_token after 10 minutes.
func TestOAuthDeviceExpiry(t *testing.T) {
	clock := newFakeClock()
	_, base := startServer(t, Config{Now: clock.Now})
	d := startDeviceGrant(t, base)
	clock.Advance(10 * time.Minute)
	wantOAuthError(t, pollDevice(t, base, d.DeviceCode), http.StatusBadRequest, errExpiredToken)
}

// The refresh grant at the OAuth token endpoint rotates like /auth/refresh
// and refuses a reused token with 400 invalid_grant (RFC 6749 5.2);
// revoking the access token ends the session.
func TestOAuthRefreshAndRevoke(t *testing.T) {
	_, base := startServer(t, Config{})
	first := login(t, base, DemoUsername, DemoPassword)
	refreshAt := func(tok string) response {
		return postForm(t, base+pathToken, url.Values{"grant_type": {"refresh_token"}, "client_id": {DemoClientID},
			"refresh_token": {tok}})
	}
	r := refreshAt(first.RefreshToken)
	wantStatus(t, r, http.StatusOK)
	second := decode[oauthTokenResponse](t, r)
	if second.RefreshToken == first.RefreshToken {
		t.Fatal("not rotated")
	}
	wantOAuthError(t, refreshAt(first.RefreshToken), http.StatusBadRequest, errInvalidGrant)

	third := login(t, base, DemoUsername, DemoPassword)
	wantStatus(t, postForm(t, base+pathRevoke, url.Values{"token": {third.AccessToken}}), http.StatusOK)
	wantStatus(t, getWithToken(t, base+"/api/me", third.AccessToken), http.StatusUnauthorized)
	wantStatus(t, postForm(t, base+pathRevoke, url.Values{"token": {"never-issued"}}), http.StatusOK)
	wantOAuthError(t, postForm(t, base+pathToken, url.Values{"grant_type": {"password"}, "client_id": {DemoClientID}}),
		http.StatusBadRequest, errUnsupportedGrant)
	wantOAuthError(t, postForm(t, base+pathToken, url.Values{"grant_type": {"refresh_token"}, "client_id": {"x"}}),
		http.StatusUnauthorized, errInvalidClient)
}

// The ID token key is kept in the data file: the JWKS is the same after a
// restart, so ID tokens issued before it still verify.
func TestOAuthIDTokenKeyPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	kid := func() string {
		s, base := startServer(t, Config{DataPath: path})
		defer s.Close()
		r := do(t, mustRequest(t, http.MethodGet, base+pathJWKS))
		return decode[struct{ Keys []map[string]string }](t, r).Keys[0]["kid"]
	}
	if a, b := kid(), kid(); a == "" || a != b {
		t.Fatalf("kid %q then %q", a, b)
	}
}

// The browser and device sign-ins log their events but never a code,
// verifier, token, user code or password.
func TestOAuthLogsShowNoSecrets(t *testing.T) {
	var logs testsync.Buffer
	_, base := startServer(t, Config{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	verifier, challenge := pkcePair("logged")
	q := browserCode(t, base, challenge, testRedirect)
	tok := decode[oauthTokenResponse](t, exchange(t, base, q.Get("code"), verifier, testRedirect))
	d := startDeviceGrant(t, base)
	b := browsertest.New(t)
	b.Submit(b.Open(d.VerificationURIComplete), map[string]string{"username": DemoUsername, "password": DemoPassword}, "Allow")
	dev := decode[oauthTokenResponse](t, pollDevice(t, base, d.DeviceCode))
	wantStatus(t, postForm(t, base+pathRevoke, url.Values{"token": {dev.RefreshToken}}), http.StatusOK)

	out := logs.String()
	if !strings.Contains(out, "browser sign-in approved") || !strings.Contains(out, "device sign-in approved") {
		t.Fatalf("expected the sign-in events in the log, got:\n%s", out)
	}
	for name, secret := range map[string]string{
		"code": q.Get("code"), "verifier": verifier, "challenge": challenge, "access token": tok.AccessToken,
		"refresh token": tok.RefreshToken, "ID token": tok.IDToken, "device code": d.DeviceCode,
		"user code": d.UserCode, "device refresh token": dev.RefreshToken, "password": DemoPassword,
	} {
		if secret == "" || strings.Contains(out, secret) {
			t.Errorf("the log shows the %s (or it is empty)", name)
		}
	}
}
