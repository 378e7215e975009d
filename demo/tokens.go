package demo

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const tokenIssuer = "signet-demo"

// accessClaims are the claims of an access token. sid ties the token to
// its session so revocation reaches it; gen counts the refreshes before it
// was issued (0 = straight from sign-in), which lets tests see that a list
// was fetched with a renewed token.
type accessClaims struct {
	jwt.RegisteredClaims
	SessionID  string `json:"sid"`
	Generation int    `json:"gen"`
}

// signer issues and checks HS256 access tokens with the key from the data
// file, so tokens survive a restart.
type signer struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// issue returns a signed access token and its expiry. JWT times have whole
// seconds; the expiry is rounded up, never down, so the token lives at least
// as long as the expires_in the client is told.
func (sg signer) issue(userID string, s sessionRecord) (string, time.Time, error) {
	now := sg.now()
	exp := now.Add(sg.ttl)
	if t := exp.Truncate(time.Second); !t.Equal(exp) {
		exp = t.Add(time.Second)
	}
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			Subject:   userID,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
			// A unique id keeps two tokens issued within the same second
			// distinct.
			ID: randomID(12),
		},
		SessionID:  s.ID,
		Generation: s.Generation,
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(sg.key)
	return signed, exp, err
}

// Descriptions for invalid_token answers. Expired and malformed tokens are
// the same error to the client; the wording only helps a person reading it.
const (
	descTokenMissing = "The request has no bearer access token."
	descTokenExpired = "The access token has expired."
	descTokenInvalid = "The access token is not valid."
	descTokenRevoked = "The session of this access token has ended."
)

// verify checks signature, algorithm, issuer and expiry (against the
// injected clock) and returns the claims, or a description of the problem.
// It does not check the session; the caller does.
func (sg signer) verify(raw string) (*accessClaims, string) {
	var claims accessClaims
	_, err := jwt.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return sg.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(sg.now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, descTokenExpired
	case err != nil, claims.SessionID == "", claims.Subject == "":
		return nil, descTokenInvalid
	}
	return &claims, ""
}

// newRefreshToken returns an opaque refresh token and the hash that is all
// the server stores of it.
func newRefreshToken() (token string, hash []byte) {
	token = randomID(32)
	return token, hashRefreshToken(token)
}

func hashRefreshToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// randomID returns n random bytes in URL-safe base64. crypto/rand.Read
// never fails on supported platforms (it panics rather than return short).
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
