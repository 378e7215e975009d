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
// a hint for refreshing early (R8); the server still decides. It reports
// false for opaque tokens, tokens without exp, and an exp outside the range
// expiryFromBody accepts.
func jwtExpiry(token string, at time.Time) (time.Time, bool) {
	if strings.Count(token, ".") != 2 {
		return time.Time{}, false // opaque, or a five-part JWE
	}
	claims := jwt.MapClaims{}
	p := jwt.NewParser(jwt.WithJSONNumber())
	// ErrTokenUnverifiable comes after the claims were read (an "alg"
	// this library does not know); exp is still what the issuer wrote.
	if _, _, err := p.ParseUnverified(token, claims); err != nil && !errors.Is(err, jwt.ErrTokenUnverifiable) {
		return time.Time{}, false
	}
	var sec float64
	switch exp := claims["exp"].(type) {
	case json.Number:
		f, err := exp.Float64()
		if err != nil {
			return time.Time{}, false
		}
		sec = f
	default:
		return time.Time{}, false
	}
	return absoluteSeconds(sec, at)
}
