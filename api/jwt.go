package api

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// jwtExpiry reads the exp claim of an access token that is a JWT, without
// verifying it: the client has no key to verify with, and the claim is only
// a hint for refreshing early (R8); the server still decides. exp is the
// server's clock, moved onto the local one by arr's skew. It reports false
// for opaque tokens, tokens without exp, and an exp outside the range
// expiryFromBody accepts.
func jwtExpiry(token string, arr arrival) (time.Time, bool) {
	exp, ok := jwtClaimSeconds(token, "exp")
	if !ok {
		return time.Time{}, false
	}
	return absoluteSeconds(exp, arr)
}

// jwtIssuedAt is the iat claim of a JWT (unverified), the server's clock
// when it issued the token.
func jwtIssuedAt(token string, latest time.Time) (time.Time, bool) {
	iat, ok := jwtClaimSeconds(token, "iat")
	if !ok {
		return time.Time{}, false
	}
	return unixSeconds(iat, latest)
}

// jwtClaimSeconds reads a numeric claim of an unverified JWT.
func jwtClaimSeconds(token, claim string) (float64, bool) {
	if strings.Count(token, ".") != 2 {
		return 0, false // opaque, or a five-part JWE
	}
	claims := jwt.MapClaims{}
	p := jwt.NewParser(jwt.WithJSONNumber())
	// ErrTokenUnverifiable comes after the claims were read (an "alg"
	// this library does not know); the claims are still what the issuer
	// wrote.
	if _, _, err := p.ParseUnverified(token, claims); err != nil && !errors.Is(err, jwt.ErrTokenUnverifiable) {
		return 0, false
	}
	n, ok := claims[claim].(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}
